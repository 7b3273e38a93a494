import Foundation

/// Small helpers for byte strings that the protocol code shares.
public enum Bytes {
    /// Lower-case hexadecimal.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 15)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Parses hexadecimal of either case; nil on anything else or an odd length.
    public static func fromHex(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }

    /// Standard base64 with padding.
    public static func base64(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Parses standard or URL-safe base64, with or without padding, ignoring white space.
    public static func fromBase64(_ text: some StringProtocol) -> [UInt8]? {
        var cleaned = String(text.filter { !$0.isWhitespace })
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while cleaned.utf8.count % 4 != 0 { cleaned.append("=") }
        return Data(base64Encoded: cleaned).map { [UInt8]($0) }
    }

    /// Compares two byte strings in time that depends only on their lengths, so a
    /// wrong guess at a secret tells nothing about how close it was.
    public static func constantTimeEqual(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        constantTimeEqual(Array(lhs), Array(rhs))
    }

    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in
                var difference: UInt8 = 0
                for index in 0..<a.count { difference |= a[index] ^ b[index] }
                return difference == 0
            }
        }
    }

    /// Compares two texts' UTF-8 bytes in constant time (for their lengths).
    public static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        constantTimeEqual(Array(lhs.utf8), Array(rhs.utf8))
    }

    /// `count` bytes from the system's secure random source.
    public static func random(count: Int) -> [UInt8] {
        // Eight bytes per draw from the system generator, not one: each draw is a system call.
        var generator = SystemRandomNumberGenerator()
        var output: [UInt8] = []
        output.reserveCapacity(count + 7)
        while output.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { output.append(contentsOf: $0) }
        }
        output.removeLast(output.count - count)
        return output
    }
}
