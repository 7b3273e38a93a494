/// A 48-bit Ethernet address, written as devices write it in discovery:
/// lower case with dashes (`c2-52-0a-00-01-07`).
public struct MACAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.bytes = bytes
    }

    /// Parses six hex pairs separated by `-` or `:`, or twelve hex digits; any case.
    public init?(_ text: String) {
        let cleaned = text.filter { $0 != "-" && $0 != ":" }
        guard cleaned.count == 12, text.count == 12 || text.count == 17,
            let bytes = Bytes.fromHex(cleaned)
        else { return nil }
        self.bytes = bytes
    }

    public var description: String {
        bytes.map { Bytes.hex([$0]) }.joined(separator: "-")
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let mac = MACAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not a MAC address: \(text)"))
        }
        self = mac
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
