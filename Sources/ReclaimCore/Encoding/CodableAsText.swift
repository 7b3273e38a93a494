/// A value whose JSON form is its text form (a serial, a MAC, a key id, a hash record),
/// so files stay readable and a malformed value is refused where it is read.
public protocol CodableAsText: LosslessStringConvertible, Codable {}

extension CodableAsText {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not a valid \(Self.self): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
