import Foundation
public import ReclaimCore

/// One text in every language a surface speaks.
public struct Translation: Sendable, Hashable {
    public let english: String
    public let italian: String

    public init(en english: String, it italian: String) {
        self.english = english
        self.italian = italian
    }

    public func text(_ language: Language) -> String {
        switch language {
        case .english: english
        // An Italian text left empty falls back to English rather than to nothing.
        case .italian: italian.isEmpty ? english : italian
        }
    }
}

/// The texts of a surface by key, each in English and Italian: how every page, message
/// and mail of Reclaim holds what it says.
///
/// Texts may name values in braces (`{email}`), filled in by ``text(_:_:_:)``. Templates
/// read a whole table as `{{t.key}}`. A key that is missing renders as the key itself, so
/// a slip shows on the page instead of a blank; the catalogue tests fail on it first.
public struct StringCatalog: Sendable {
    public let entries: [String: Translation]
    private let tables: [Language: [String: String]]

    public init(_ entries: [String: Translation]) {
        self.entries = entries
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            tables[language] = entries.mapValues { $0.text(language) }
        }
        self.tables = tables
    }

    /// This catalogue with `other`'s entries added; on a shared key, `other` wins.
    public func merging(_ other: StringCatalog) -> StringCatalog {
        StringCatalog(entries.merging(other.entries) { _, theirs in theirs })
    }

    public func contains(_ key: String) -> Bool { entries[key] != nil }

    /// The text of `key` in `language`, with `{name}` replaced by `values[name]`.
    public func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        var text = entries[key]?.text(language) ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Every text in `language`, for templates (`{{t.key}}`).
    public func table(_ language: Language) -> [String: String] { tables[language] ?? [:] }
}
