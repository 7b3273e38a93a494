/// A text of a surface's catalogue with its values: how an error says its detail in the
/// reader's language. A reason about a number of things carries `count`, and its text is
/// a counted one, so the reader's language picks the singular or the plural.
public struct LocalizedReason: Sendable, Hashable {
    public let key: String
    public let values: [String: String]
    public let count: Int?

    public init(_ key: String, _ values: [String: String] = [:], count: Int? = nil) {
        self.key = key
        self.values = values
        self.count = count
    }
}
