/// A text of a surface's catalogue with its values: how an error says its detail in the
/// reader's language.
public struct LocalizedReason: Sendable, Hashable {
    public let key: String
    public let values: [String: String]

    public init(_ key: String, _ values: [String: String] = [:]) {
        self.key = key
        self.values = values
    }
}
