/// Base32 text encodings of bytes.
///
/// Two alphabets serve two readers: RFC 4648 upper-case for QR codes (every character
/// is in the QR alphanumeric set, so a code stays small) and Crockford's for text a
/// person types (no I, L, O or U; reading forgives the look-alikes).
public enum Base32 {
    public enum Alphabet: Sendable {
        /// `A–Z2–7`, RFC 4648 section 6, without padding.
        case rfc4648
        /// `0–9A–Z` less `I L O U`, Crockford's alphabet.
        case crockford

        var characters: [UInt8] {
            switch self {
            case .rfc4648: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
            case .crockford: Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
            }
        }
    }

    private static let rfcTable = decodeTable(for: .rfc4648)
    private static let crockfordTable: [Int8] = {
        var table = decodeTable(for: .crockford)
        // Crockford reads the look-alikes as the digits they resemble.
        for (letter, value) in [("O", 0), ("I", 1), ("L", 1)] {
            let byte = Int(letter.utf8.first!)
            table[byte] = Int8(value)
            table[byte + 32] = Int8(value)
        }
        return table
    }()

    private static func decodeTable(for alphabet: Alphabet) -> [Int8] {
        var table = [Int8](repeating: -1, count: 256)
        for (value, byte) in alphabet.characters.enumerated() {
            table[Int(byte)] = Int8(value)
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                table[Int(byte) + 32] = Int8(value)  // lower case reads as upper case
            }
        }
        return table
    }

    /// Encodes `bytes`, without padding.
    public static func encode(_ bytes: some Sequence<UInt8>, alphabet: Alphabet = .rfc4648) -> String {
        let characters = alphabet.characters
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(characters[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 {
            output.append(characters[Int((buffer << UInt32(5 - bits)) & 31)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes unpadded text; returns nil on a character outside the alphabet or
    /// on trailing bits that are not zero (so every byte string has one text form).
    public static func decode(_ text: some StringProtocol, alphabet: Alphabet = .rfc4648) -> [UInt8]? {
        let table = alphabet == .rfc4648 ? rfcTable : crockfordTable
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 5 / 8)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value = table[Int(byte)]
            guard value >= 0 else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        guard bits < 5, buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }

    /// Typed Crockford text in its canonical form (upper case, look-alikes replaced),
    /// or nil when a character is outside the alphabet.
    public static func canonicalCrockford(_ text: some StringProtocol) -> String? {
        let characters = Alphabet.crockford.characters
        var output: [UInt8] = []
        for byte in text.utf8 {
            let value = crockfordTable[Int(byte)]
            guard value >= 0 else { return nil }
            output.append(characters[Int(value)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The value of the leading `bitCount` bits of `bytes`, as Crockford text of
    /// `bitCount / 5` characters. Used to turn a MAC into a code a person can type.
    static func crockfordPrefix(of bytes: some Sequence<UInt8>, bitCount: Int) -> String {
        precondition(bitCount % 5 == 0)
        let encoded = encode(bytes, alphabet: .crockford)
        return String(encoded.prefix(bitCount / 5))
    }
}
