/// A 48-bit Ethernet address, written as devices write it in discovery:
/// lower case with dashes (`c2-52-0a-00-01-07`).
public struct MACAddress: Hashable, Sendable, CodableAsText {
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

}
