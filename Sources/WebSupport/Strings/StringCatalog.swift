import Foundation
public import ReclaimCore

/// One text in every language a surface speaks. A counted text (``counted(en:it:)``) has a
/// form for one and a form for any other number, chosen by the language's plural rule:
/// never "1 tentativi".
public struct Translation: Sendable, Hashable {
    public let english: String
    public let italian: String
    /// The forms for a count the language calls "one"; nil for texts that count nothing.
    public let englishOne: String?
    public let italianOne: String?

    public init(en english: String, it italian: String) {
        self.english = english
        self.italian = italian
        englishOne = nil
        italianOne = nil
    }

    /// A text about `{n}` of something, with its singular and plural forms in each language.
    public static func counted(en: (one: String, other: String), it: (one: String, other: String)) -> Translation {
        Translation(english: en.other, italian: it.other, englishOne: en.one, italianOne: it.one)
    }

    private init(english: String, italian: String, englishOne: String?, italianOne: String?) {
        self.english = english
        self.italian = italian
        self.englishOne = englishOne
        self.italianOne = italianOne
    }

    public var isCounted: Bool { englishOne != nil }

    public func text(_ language: Language) -> String {
        switch language {
        case .english: english
        // An Italian text left empty falls back to English rather than to nothing.
        case .italian: italian.isEmpty ? english : italian
        }
    }

    /// The form for `count` in `language`.
    public func text(_ language: Language, count: Int) -> String {
        guard language.pluralCategory(count) == .one else { return text(language) }
        switch language {
        case .english: return englishOne ?? english
        case .italian: return italianOne ?? text(language)
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

    /// The counted text `key` for `count` in `language`; `{n}` is the count, other names
    /// come from `values`.
    public func text(_ key: String, _ language: Language, count: Int, _ values: [String: String] = [:]) -> String {
        var text = entries[key]?.text(language, count: count) ?? key
        for (name, value) in values.merging(["n": String(count)], uniquingKeysWith: { mine, _ in mine }) {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// The text of an error's localized reason: its counted form when it counts something.
    public func text(_ reason: LocalizedReason, _ language: Language) -> String {
        guard let count = reason.count else { return text(reason.key, language, reason.values) }
        return text(reason.key, language, count: count, reason.values)
    }

    /// The keys of the texts that count something.
    public var countedKeys: [String] { entries.filter { $0.value.isCounted }.map(\.key).sorted() }

    /// Every text in `language`, for templates (`{{t.key}}`).
    public func table(_ language: Language) -> [String: String] { tables[language] ?? [:] }
}
