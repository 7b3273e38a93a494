public import Foundation
public import Hummingbird
import HTTPTypes
public import Mustache
import MultipartKit
public import ReclaimCore

/// What the device web page and the platform portal share: server-rendered pages with
/// the same protective headers, CSRF tokens in a cookie, and form reading.

/// Mustache templates kept in code, parsed once.
public struct TemplateLibrary: Sendable {
    private let library: MustacheLibrary

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
    }

    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}

public enum PageHeaders {
    /// No framing, no scripts, no inline anything but styles, forms only to ourselves,
    /// no referrer: what every page answer carries.
    public static func apply(to response: inout Response) {
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
    }
}

/// The double-submit CSRF token: a random value in an `HttpOnly`, `SameSite=Strict`
/// cookie that every form repeats in a hidden field.
public struct CSRFToken: Sendable {
    public static let cookieName = "reclaim_csrf"
    public let value: String
    /// True when the request brought no token: the answer must set the cookie, and no
    /// form of this request can match.
    public let isNew: Bool

    public init(request: Request) {
        if let existing = request.cookies[Self.cookieName]?.value, existing.count == 32 {
            value = existing
            isNew = false
        } else {
            value = Bytes.hex(Bytes.random(count: 16))
            isNew = true
        }
    }

    public func matches(_ form: SubmittedForm) -> Bool {
        !isNew && Bytes.constantTimeEqual(Array(form["csrf"].utf8), Array(value.utf8))
    }

    /// The cookie that carries a token to the browser.
    public static func cookie(_ value: String, secure: Bool = false) -> Cookie {
        Cookie(name: cookieName, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}

/// A submitted form: text fields, and for multipart forms the bytes of the fields that
/// carry files.
public struct SubmittedForm: Sendable {
    public var fields: [String: String] = [:]
    public var files: [String: [UInt8]] = [:]

    public init(fields: [String: String] = [:], files: [String: [UInt8]] = [:]) {
        self.fields = fields
        self.files = files
    }

    public subscript(_ name: String) -> String { fields[name] ?? "" }

    /// Reads an `application/x-www-form-urlencoded` or `multipart/form-data` body;
    /// `fileFields` are kept as bytes, every other field as text.
    public static func read(_ request: Request, limit: Int, fileFields: Set<String> = []) async throws -> SubmittedForm {
        let contentType = request.headers[.contentType] ?? ""
        var buffer = try await request.body.collect(upTo: limit)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        guard contentType.lowercased().hasPrefix("multipart/form-data") else {
            return SubmittedForm(fields: urlEncoded(String(decoding: bytes, as: UTF8.self)))
        }
        guard let boundary = Digest.parameters(String(contentType.drop { $0 != ";" }.dropFirst()))["boundary"] else {
            return SubmittedForm()
        }
        var form = SubmittedForm()
        let parts = (try? FormDataDecoder().decode([String: Data].self, from: bytes, boundary: boundary)) ?? [:]
        for (name, data) in parts {
            if fileFields.contains(name) {
                form.files[name] = Array(data)
            } else {
                form.fields[name] = String(decoding: data, as: UTF8.self)
            }
        }
        return form
    }

    public static func urlEncoded(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

/// The language of a page: `?lang=` when the request chooses one (the answer then keeps
/// it in a cookie), else the cookie, else the browser's `Accept-Language`.
public struct PageLanguage: Sendable {
    public static let cookieName = "reclaim_lang"
    public let language: Language
    /// Set when the request chose with `?lang=`.
    public let chosen: Language?

    public init(request: Request) {
        chosen = request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) }
        language =
            chosen ?? request.cookies[Self.cookieName].flatMap { Language(rawValue: $0.value) }
            ?? Language.preferred(acceptLanguage: request.headers[.acceptLanguage])
    }
}
