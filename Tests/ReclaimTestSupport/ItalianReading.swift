import Foundation

/// How a test reads a page as an Italian does: what a browser shows of it, and whether an
/// English sentence is left there (as `tests/test_italian.py` reads a real browser's page).
public enum ItalianReading {
    /// Words of English that no Italian sentence has; names, codes and models are
    /// upper-case or proper names, so a lower-case match is English left on the page.
    public static func englishWords(in text: String) -> [String] {
        text.matches(of: /\b(the|your|and|with|this|that|to|is|are|of|not|has|was|been|try|again|please)\b/).map { String($0.output.0) }
    }

    /// What a reader sees of a page: its text and the attributes a browser shows (a field's
    /// placeholder, a tooltip, a picture's alternative), without scripts and styles.
    public static func visibleText(_ html: String) -> String {
        var text = html.replacing(/(?s)<script.*?<\/script>|<style.*?<\/style>/, with: " ")
        let shown = text.matches(of: /(?:placeholder|title|aria-label|alt)="([^"]*)"/).map { String($0.output.1) }
        text = text.replacing(/<[^>]*>/, with: " ")
        for (entity, character) in [("&amp;", "&"), ("&#39;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return ([text] + shown).joined(separator: "\n")
    }

    /// The English an Italian page still shows, empty when there is none: English words,
    /// and dates as English or ISO 8601 write them. The page must say it is Italian too.
    public static func englishOn(italianPage html: String) -> [String] {
        guard html.contains("<html lang=\"it\"") else { return ["<html lang> is not it"] }
        let text = visibleText(html)
        let dates = text.matches(
            of: /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b/)
        return englishWords(in: text) + dates.map { "a date written \($0.output)" }
    }

    /// Whether the page shows a date as an Italian writes it: `20/06/2025 13:49`.
    public static func hasItalianDate(_ html: String) -> Bool {
        visibleText(html).firstMatch(of: /\b\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\b/) != nil
    }
}
