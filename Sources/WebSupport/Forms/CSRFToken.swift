public import Hummingbird
import ReclaimCore

/// The double-submit CSRF token: a random value in an `HttpOnly`, `SameSite=Strict`
/// cookie that every form repeats in a hidden field. The one check every form of every
/// surface goes through is ``matches(_:)``.
public struct CSRFToken: Sendable {
    public static let cookieName = "reclaim_csrf"
    /// The name of the hidden field that carries it.
    public static let fieldName = "csrf"
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

    /// Whether `form` came from a page of ours: its hidden field repeats the cookie.
    public func matches(_ form: SubmittedForm) -> Bool {
        !isNew && Bytes.constantTimeEqual(Array(form[Self.fieldName].utf8), Array(value.utf8))
    }

    /// The cookie that carries a token to the browser.
    public static func cookie(_ value: String, secure: Bool = false) -> Cookie {
        Cookie(name: cookieName, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}
