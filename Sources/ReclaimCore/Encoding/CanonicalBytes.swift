/// The one byte string that a signature or MAC covers.
///
/// Signing XML or JSON text invites ambiguity (white space, attribute order, escapes);
/// the protocol signs this instead: a domain label that names the purpose and version,
/// then each field as a one-byte tag, a four-byte big-endian length and the bytes.
/// A field can't run into its neighbour and a value signed for one purpose can't be
/// replayed as another.
public struct CanonicalWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(domain: String) {
        append(tag: 0, Array(domain.utf8))
    }

    public mutating func append(tag: UInt8, _ value: some Collection<UInt8>) {
        bytes.append(tag)
        let length = UInt32(value.count)
        bytes.append(contentsOf: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
        bytes.append(contentsOf: value)
    }

    public mutating func append(tag: UInt8, _ text: String) {
        append(tag: tag, Array(text.utf8))
    }

    public mutating func append(tag: UInt8, _ number: UInt64) {
        append(tag: tag, (0..<8).reversed().map { UInt8(number >> (UInt64($0) * 8) & 0xFF) })
    }
}

/// Reads what ``CanonicalWriter`` wrote, refusing anything else.
public struct CanonicalReader: Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    /// Starts reading `bytes`, which must open with `domain`.
    public init(_ bytes: [UInt8], domain: String) throws(ReclaimError) {
        self.bytes = bytes
        let (tag, value) = try next()
        guard tag == 0, value == Array(domain.utf8) else {
            throw ReclaimError(.malformedInput, "The data is not a \(domain) record.")
        }
    }

    public var isAtEnd: Bool { offset == bytes.count }

    /// The next field's tag and value.
    public mutating func next() throws(ReclaimError) -> (tag: UInt8, value: [UInt8]) {
        guard bytes.count - offset >= 5 else {
            throw ReclaimError(.malformedInput, "The data ends in the middle of a field.")
        }
        let tag = bytes[offset]
        let length = bytes[offset + 1..<offset + 5].reduce(0) { $0 << 8 | Int($1) }
        offset += 5
        guard length <= bytes.count - offset else {
            throw ReclaimError(.malformedInput, "A field is longer than the data that holds it.")
        }
        let value = Array(bytes[offset..<offset + length])
        offset += length
        return (tag, value)
    }

    /// The next field, which must carry `tag`.
    public mutating func field(_ tag: UInt8) throws(ReclaimError) -> [UInt8] {
        let (found, value) = try next()
        guard found == tag else {
            throw ReclaimError(.malformedInput, "Field \(tag) was expected, \(found) found.")
        }
        return value
    }

    public mutating func text(_ tag: UInt8, maxLength: Int = 256) throws(ReclaimError) -> String {
        let value = try field(tag)
        guard value.count <= maxLength, let text = String(validating: value, as: UTF8.self) else {
            throw ReclaimError(.malformedInput, "Field \(tag) is not valid text.")
        }
        return text
    }

    public mutating func number(_ tag: UInt8) throws(ReclaimError) -> UInt64 {
        let value = try field(tag)
        guard value.count == 8 else {
            throw ReclaimError(.malformedInput, "Field \(tag) is not an eight-byte number.")
        }
        return value.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Tag of the next field without consuming it, or nil at the end.
    public func peekTag() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
}
