public import Hummingbird
public import ReclaimCore

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

    /// The cookie that remembers a chosen language.
    public static func cookie(_ language: Language, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: language.rawValue, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
