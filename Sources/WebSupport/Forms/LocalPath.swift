import Foundation

/// Where a page may send the browser after a form: only a path of this site.
///
/// A `next=` value comes from the request, so anything a browser could read as another
/// origin is refused: `//host`, `/\host` (browsers read `\` as `/`), a scheme (`https:`,
/// `javascript:`), and control characters and spaces (browsers drop tabs and newlines from a
/// URL, which would turn `/\t/host` into `//host`).
public enum LocalPath {
    /// `text` when it is a path of this site, else nil.
    public static func validated(_ text: String) -> String? {
        guard text.hasPrefix("/"), text.utf8.count <= 2048 else { return nil }
        let second = text.dropFirst().first
        guard second != "/", second != "\\" else { return nil }
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" }) else { return nil }
        guard let parsed = URLComponents(string: text), parsed.scheme == nil, parsed.host == nil, parsed.user == nil,
            parsed.path.hasPrefix("/")
        else { return nil }
        return text
    }

    /// `text` when it is a path of this site, else `fallback`.
    public static func validated(_ text: String, or fallback: String) -> String {
        validated(text) ?? fallback
    }
}
