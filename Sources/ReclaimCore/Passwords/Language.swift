import Foundation

/// The languages that Reclaim's pages and messages come in.
public enum Language: String, Sendable, Codable, CaseIterable, Hashable {
    case english = "en"
    case italian = "it"

    /// Picks a language from an `Accept-Language` header value, English by default.
    public static func preferred(acceptLanguage: String?) -> Language {
        guard let header = acceptLanguage?.lowercased() else { return .english }
        var best: (Language, Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            let tag = parts.first.map { $0.trimmingXMLWhitespace() } ?? ""
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=")
                if pair.count == 2, pair[0].trimmingXMLWhitespace() == "q" { quality = Double(pair[1].trimmingXMLWhitespace()) ?? 0 }
            }
            let language: Language? = tag.hasPrefix("it") ? .italian : tag.hasPrefix("en") ? .english : nil
            if let language, quality > (best?.1 ?? -1) { best = (language, quality) }
        }
        return best?.0 ?? .english
    }
}

extension Language {
    public enum PluralCategory: Sendable { case one, other }

    /// The CLDR cardinal rule for whole numbers: English and Italian both say "one" for 1
    /// only ("0 tentativi", "1 tentativo", "2 tentativi").
    public func pluralCategory(_ count: Int) -> PluralCategory {
        switch self {
        case .english, .italian: count == 1 ? .one : .other
        }
    }

    /// The form of a text about `count` things that this language's plural rule picks, with
    /// `{n}` filled in: how every counted text is built, never by adding an "s" by hand.
    public func counted(_ count: Int, one: String, other: String) -> String {
        (pluralCategory(count) == .one ? one : other).replacingOccurrences(of: "{n}", with: String(count))
    }
}
