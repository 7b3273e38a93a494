import Foundation
import Mustache

/// Mustache templates kept in code, parsed once: a surface's own, with the shared layout.
public struct TemplateLibrary: Sendable {
    private let library: MustacheLibrary
    /// The names of every template, for the tests that check what they refer to.
    public let texts: [String: String]

    /// - Parameter templates: name → template text; a template that does not parse is a
    ///   defect of the program that holds it, so this stops the program.
    public init(_ templates: [String: String]) {
        var library = MustacheLibrary()
        for (name, text) in templates {
            do {
                try library.register(text, named: name)
            } catch {
                fatalError("template \(name) does not parse: \(error)")
            }
        }
        self.library = library
        texts = templates
    }

    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    /// The string keys a template reads as `{{t.key}}` (or `{{{t.key}}}`).
    public static func stringKeys(in template: String) -> Set<String> {
        var keys: Set<String> = []
        var rest = Substring(template)
        while let range = rest.range(of: "{{t.") {
            let after = rest[range.upperBound...]
            let key = after.prefix { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
            keys.insert(String(key))
            rest = after.dropFirst(key.count)
        }
        return keys
    }
}
