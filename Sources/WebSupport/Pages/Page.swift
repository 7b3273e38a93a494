import Foundation
public import HTTPTypes
public import Hummingbird
import NIOCore
public import ReclaimCore

/// One request to a page of any surface: its language, its CSRF token, what its header
/// shows, and how it answers — a rendered page, a redirect, or a form read and checked.
///
/// Every surface builds its pages on this, so language negotiation, the CSRF check, the
/// protective headers and the cookies are written once.
public struct Page: Sendable {
    public let request: Request
    public let surface: WebSurface
    public let language: Language
    /// Set when the request chose a language with `?lang=`; the answer remembers it.
    public let chosenLanguage: Language?
    public let csrf: CSRFToken
    public var chrome: PageChrome

    public init(request: Request, surface: WebSurface, chrome: PageChrome) {
        self.request = request
        self.surface = surface
        let pageLanguage = PageLanguage(request: request)
        language = pageLanguage.language
        chosenLanguage = pageLanguage.chosen
        csrf = CSRFToken(request: request)
        self.chrome = chrome
    }

    /// The text of `key` in the page's language.
    public func t(_ key: String, _ values: [String: String] = [:]) -> String {
        surface.strings.text(key, language, values)
    }

    /// The counted text `key` for `count`, in the page's language.
    public func t(_ key: String, count: Int, _ values: [String: String] = [:]) -> String {
        surface.strings.text(key, language, count: count, values)
    }

    /// What a person reads of `error`, in the page's language.
    public func message(_ error: some UserFacingError) -> String {
        error.message(language, surface.strings)
    }

    /// A notice named by `?done=NAME`, when the surface has a text `done.NAME`: what a page
    /// says after a redirect ("Saved."). Only the surface's own texts are ever shown.
    public var doneNotice: String? {
        guard let done = request.uri.queryParameters["done"].map(String.init), surface.strings.contains("done." + done) else { return nil }
        return t("done." + done)
    }

    // MARK: Answers

    /// Renders `template` inside the layout.
    public func render(
        _ template: String, title: String, status: HTTPResponse.Status = .ok, error: String? = nil, notice: String? = nil,
        _ values: [String: Any] = [:]
    ) -> Response {
        var context: [String: Any] = [
            "t": surface.strings.table(language), "lang": language.rawValue, "title": title, "here": request.uri.path,
            "csrf": csrf.value, "chrome": chromeValues,
        ]
        if let error { context["error"] = error }
        if let notice = notice ?? doneNotice { context["notice"] = notice }
        context.merge(values) { _, new in new }
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: surface.templates.render(template, context))))
        decorate(&response)
        return response
    }

    /// A page that only says something, with a link on.
    public func message(title: String, _ message: String? = nil, next: String = "/", status: HTTPResponse.Status = .ok) -> Response {
        var values: [String: Any] = ["next": next]
        if let message { values["message"] = message }
        return render("message", title: title, status: status, values)
    }

    /// The page for a failure: its status, and its message as the title.
    public func failure(_ error: some UserFacingError, next: String = "/") -> Response {
        message(title: message(error), next: next, status: error.httpStatus)
    }

    /// A `303 See Other` to `location`, setting `cookies`.
    public func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        decorate(&response)
        return response
    }

    /// The submitted form, if its CSRF token matches the cookie; nil otherwise (answer
    /// with ``t(_:_:)`` of `form.expired` and status 403).
    /// `offloaded` parses on ``HeavyWork``'s threads, for bodies of megabytes.
    public func form(limit: Int = 64 * 1024, fileFields: Set<String> = [], offloaded: Bool = false) async throws -> SubmittedForm? {
        let form = try await SubmittedForm.read(request, limit: limit, fileFields: fileFields, offloaded: offloaded)
        return csrf.matches(form) ? form : nil
    }

    /// A cookie set the way this surface sets them: `HttpOnly`, `Secure` behind HTTPS.
    public func cookie(_ name: String, _ value: String, maxAge: Int? = nil, sameSite: Cookie.SameSite = .lax) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: surface.secureCookies, httpOnly: true, sameSite: sameSite)
    }

    /// The cookies and headers every answer carries.
    func decorate(_ response: inout Response) {
        if csrf.isNew { response.setCookie(CSRFToken.cookie(csrf.value, secure: surface.secureCookies)) }
        if let chosenLanguage { response.setCookie(PageLanguage.cookie(chosenLanguage, secure: surface.secureCookies)) }
        PageHeaders.apply(to: &response, ownImagesAndScripts: surface.ownImagesAndScripts)
    }

    private var chromeValues: [String: Any] {
        var values: [String: Any] = [
            "title": chrome.title,
            "links": chrome.links.map { ["id": $0.id, "href": $0.href, "label": $0.label] },
        ]
        if let detail = chrome.detail { values["detail"] = detail }
        if let action = chrome.signOutAction { values["signOutAction"] = action }
        return values
    }
}

public enum PageHeaders {
    /// No framing, no inline anything but styles, no scripts but the surface's own, forms only to ourselves,
    /// no referrer: what every page answer carries.
    /// - Parameter ownImagesAndScripts: images and scripts may also come from the page's own
    ///   origin (never inline scripts).
    public static func apply(to response: inout Response, ownImagesAndScripts: Bool = false) {
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        // The portal's script may also ask `reclaim helper` on this computer.
        let own =
            ownImagesAndScripts
            ? "img-src 'self' data:; script-src 'self'; connect-src 'self' http://127.0.0.1:* http://localhost:*" : "img-src data:"
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; \(own); form-action 'self'; frame-ancestors 'none'"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
    }
}
