public import Foundation
public import WebSupport

/// Checks a surface's texts against what uses them: every text has an Italian version,
/// every key a template (`{{t.key}}`) or the code (`t("key")`, `text("key")`,
/// `localized: .init("key")`) names exists, and every text is used somewhere.
public enum CatalogAudit {
    /// The repository's root folder, found from a test file's path.
    public static func root(from file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file)
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// What is wrong, one line each; empty when nothing is.
    ///
    /// - Parameters:
    ///   - sources: folders (relative to the root) whose Swift files use the texts.
    ///   - dynamicPrefixes: keys made at run time (`"error." + code`) count as used.
    public static func problems(
        _ strings: StringCatalog, templates: [String: String], sources: [String], dynamicPrefixes: [String] = [], root: URL = root()
    ) -> [String] {
        var problems: [String] = []
        for (key, text) in strings.entries.sorted(by: { $0.key < $1.key }) {
            if text.italian.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(key) has no Italian text") }
            if text.english.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(key) has no English text") }
        }
        var used: Set<String> = []
        for (name, template) in templates {
            for key in TemplateLibrary.stringKeys(in: template) {
                used.insert(key)
                if !strings.contains(key) { problems.append("template \(name) names \(key), which has no text") }
                // Mustache reads {{t.a.b}} as "b" inside "a", which is nothing: the page shows a blank.
                if key.contains(".") { problems.append("template \(name) names \(key): a key with a dot cannot be read there") }
            }
        }
        let pattern = try! NSRegularExpression(pattern: #"(?:\bt|\.text|LocalizedReason|localized: \.init)\(\s*"([A-Za-z0-9_.]+)""#)
        for folder in sources {
            let base = root.appendingPathComponent(folder)
            let files =
                FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
            for file in files {
                let text = (try? String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)) ?? ""
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    let key = String(text[Range(match.range(at: 1), in: text)!])
                    used.insert(key)
                    if !strings.contains(key), !dynamicPrefixes.contains(where: { key.hasPrefix($0) && key.count == $0.count }) {
                        problems.append("\(folder)/\(file) names \(key), which has no text")
                    }
                }
            }
        }
        // The shared texts serve every surface; one surface need not use them all.
        let own = Set(strings.entries.keys).subtracting(SharedStrings.catalog.entries.keys)
        for key in own.sorted() where !used.contains(key) && !dynamicPrefixes.contains(where: key.hasPrefix) {
            problems.append("\(key) is never used")
        }
        return problems
    }
}
