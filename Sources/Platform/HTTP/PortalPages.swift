import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReclaimCore
import WebSupport

/// One request to a portal page: its language, its CSRF token, the signed-in account.
struct PortalPage {

    let request: Request
    let context: PortalContext
    let services: PlatformServices?
    let language: Language
    let chosenLanguage: Language?
    let csrf: String
    let csrfIsNew: Bool

    init(request: Request, context: PortalContext, services: PlatformServices?) {
        self.request = request
        self.context = context
        self.services = services
        let pageLanguage = PageLanguage(request: request)
        language = pageLanguage.language
        chosenLanguage = pageLanguage.chosen
        let token = CSRFToken(request: request)
        csrf = token.value
        csrfIsNew = token.isNew
    }

    func t(_ key: String, _ values: [String: String] = [:]) -> String { PortalStrings.text(key, language, values) }

    /// True when the form's token matches the cookie: the form came from a page of ours.
    func csrfMatches(_ form: SubmittedForm) -> Bool {
        !csrfIsNew && Bytes.constantTimeEqual(form["csrf"], csrf)
    }

    func render(
        _ template: String, title: String, status: HTTPResponse.Status = .ok, error: String? = nil, notice: String? = nil,
        _ values: [String: Any] = [:]
    ) -> Response {
        var values: [String: Any] = values
        values["t"] = PortalStrings.table(language)
        values["lang"] = language.rawValue
        values["title"] = title
        values["here"] = request.uri.path
        values["csrf"] = csrf
        if let account = context.account { values["account"] = ["email": account.email, "name": account.name] }
        if let error { values["error"] = error }
        if let notice { values["notice"] = notice }
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: PortalTemplates.render(template, values))))
        decorate(&response)
        return response
    }

    func decorate(_ response: inout Response) {
        let secure = services?.settings.secureCookies ?? false
        if csrfIsNew { response.setCookie(CSRFToken.cookie(csrf, secure: secure)) }
        if let chosenLanguage {
            response.setCookie(
                Cookie(name: PageLanguage.cookieName, value: chosenLanguage.rawValue, path: "/", secure: secure, httpOnly: true, sameSite: .lax))
        }
        PageHeaders.apply(to: &response)
    }

    func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        decorate(&response)
        return response
    }

    static func forbidden(request: Request, context: PortalContext) -> Response {
        let page = PortalPage(request: request, context: context, services: nil)
        return page.render("message", title: page.t("forbidden"), status: .forbidden)
    }
}

/// The portal's HTML pages.
extension GuardedRouter {
    mutating func addPortalPages() {
        let services = services
        @Sendable func page(_ request: Request, _ context: PortalContext) -> PortalPage {
            PortalPage(request: request, context: context, services: services)
        }

        add(.get, "/", .anyone) { request, context in
            let page = page(request, context)
            return page.render("home", title: page.t("homeTitle"))
        }

        add(.get, "/signin", .anyone) { request, context in
            let page = page(request, context)
            let next = request.uri.queryParameters["next"].map(String.init) ?? "/dashboard"
            return page.render("signin", title: page.t("signIn"), ["next": next])
        }

        add(.post, "/signin", .anyone) { request, context in
            let page = page(request, context)
            let form = try await SubmittedForm.read(request, limit: 16 * 1024)
            guard page.csrfMatches(form) else { return page.render("signin", title: page.t("signIn"), status: .forbidden, error: page.t("csrf")) }
            let values: [String: Any] = ["email": form["email"], "next": form["next"]]
            switch try await services.accounts.signIn(email: form["email"], password: form["password"], source: context.source) {
            case .signedIn(let account):
                let token = try await services.accounts.startSession(for: account)
                let next = form["next"].hasPrefix("/") && !form["next"].hasPrefix("//") ? form["next"] : "/dashboard"
                return page.redirect(
                    next,
                    cookies: [
                        Cookie(
                            name: AccountMiddleware.sessionCookie, value: token, path: "/", secure: services.settings.secureCookies,
                            httpOnly: true, sameSite: .lax)
                    ])
            case .refused:
                return page.render("signin", title: page.t("signIn"), status: .unauthorized, error: page.t("signInRefused"), values)
            case .paused(let until):
                return page.render(
                    "signin", title: page.t("signIn"), status: .tooManyRequests,
                    error: page.t("signInPaused", ["until": until.formatted(date: .omitted, time: .shortened)]), values)
            }
        }

        add(.post, "/signout", .anyone) { request, context in
            let page = page(request, context)
            let form = try await SubmittedForm.read(request, limit: 16 * 1024)
            guard page.csrfMatches(form) else { return page.render("message", title: page.t("csrf"), status: .forbidden) }
            if let token = context.sessionToken { try await services.accounts.endSession(token) }
            let gone = Cookie(
                name: AccountMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: services.settings.secureCookies,
                httpOnly: true, sameSite: .lax)
            return page.redirect("/", cookies: [gone])
        }

        add(.get, "/signup", .anyone) { request, context in
            let page = page(request, context)
            return page.render("signup", title: page.t("signUpTitle"))
        }

        add(.post, "/signup", .anyone) { request, context in
            let page = page(request, context)
            let form = try await SubmittedForm.read(request, limit: 16 * 1024)
            let values: [String: Any] = ["email": form["email"], "name": form["name"], "company": form["company"]]
            guard page.csrfMatches(form) else {
                return page.render("signup", title: page.t("signUpTitle"), status: .forbidden, error: page.t("csrf"), values)
            }
            return try await SignUp(services: services, page: page).submit(form, values: values, source: context.source)
        }

        add(.get, "/signup/confirm", .anyone) { request, context in
            let page = page(request, context)
            let token = request.uri.queryParameters["token"].map(String.init) ?? ""
            guard try await services.accounts.confirm(token: token) != nil else {
                return page.render("message", title: page.t("confirmFailed"), status: .notFound)
            }
            return page.redirect("/signin?confirmed=1")
        }

        add(.get, "/dashboard", .signedIn) { request, context in
            let page = page(request, context)
            return try await Dashboard(services: services, page: page).render()
        }

        add(.post, "/admin/companies/{id}/certify", .roles([.admin])) { request, context in
            let page = page(request, context)
            let form = try await SubmittedForm.read(request, limit: 16 * 1024)
            guard page.csrfMatches(form) else { return page.render("message", title: page.t("csrf"), status: .forbidden) }
            do {
                _ = try await services.accounts.certify(company: context.parameters.get("id") ?? "", actor: context.actor)
            } catch let failure as Accounts.Failure {
                return page.render("message", title: failure.description, status: .notFound)
            }
            return page.redirect("/dashboard")
        }

        add(.get, "/recover", .anyone) { request, context in
            let page = page(request, context)
            return page.render("recover", title: page.t("recoverTitle"))
        }

        add(.post, "/recover", .anyone) { request, context in
            let page = page(request, context)
            let form = try await SubmittedForm.read(request, limit: context.maxUploadSize, fileFields: ["picture"])
            guard page.csrfMatches(form) else { return page.render("recover", title: page.t("recoverTitle"), status: .forbidden, error: page.t("csrf")) }
            switch services.emailRecovery.handIn(text: form.fields["challenge"], picture: form.files["picture"], source: context.source) {
            case .received:
                return page.render("recover", title: page.t("recoverTitle"), notice: page.t("recoverReceived"))
            case .unreadable(let why):
                return page.render("recover", title: page.t("recoverTitle"), status: .badRequest, error: why)
            }
        }
    }
}

/// Sign-up: the page answers the same whether or not the address has an account; the
/// difference goes to the address's mailbox only.
struct SignUp {
    let services: PlatformServices
    let page: PortalPage

    func submit(_ form: SubmittedForm, values: [String: Any], source: String) async throws -> Response {
        let title = page.t("signUpTitle")
        if try await services.throttle.hit("signup-source", source, window: 3600, now: Date()) > services.settings.signupsPerSource {
            return page.render("signup", title: title, status: .tooManyRequests, error: page.t("signUpLimited"), values)
        }
        let email = Accounts.normalized(form["email"])
        let installer = form["kind"] != "owner"
        let company = form["company"].trimmingCharacters(in: .whitespacesAndNewlines)
        guard Accounts.isPlausibleAddress(email) else {
            return page.render("signup", title: title, status: .badRequest, error: "\(form["email"]) is not an e-mail address.", values)
        }
        if installer, company.isEmpty {
            return page.render("signup", title: title, status: .badRequest, error: page.t("companyName"), values)
        }
        let violations = Accounts.passwordPolicy.violations(of: form["password"], userName: email)
        if !violations.isEmpty {
            let text = violations.map { $0.message(language: page.language) }.joined(separator: " ")
            return page.render("signup", title: title, status: .badRequest, error: text, values)
        }
        let base = services.settings.publicURL
        do {
            let account = try await services.accounts.create(
                email: email, name: form["name"], role: installer ? .installer : .owner, password: form["password"],
                language: page.language, companyName: installer ? company : nil, confirmed: false, actor: "public:\(source)")
            let token = try await services.accounts.makeConfirmation(for: account, now: Date())
            services.mail.enqueue(
                MailMessage(to: email, MailTemplates.confirmSignUp(link: "\(base)/signup/confirm?token=\(token)", language: page.language)))
        } catch Accounts.Failure.exists {
            // Same page as for a new address; only the mailbox learns the account exists.
            _ = SlowHash(hashing: form["password"], cost: services.accounts.passwordCost)
            services.mail.enqueue(MailMessage(to: email, MailTemplates.alreadyRegistered(signIn: "\(base)/signin", language: page.language)))
        } catch let failure as Accounts.Failure {
            return page.render("signup", title: title, status: .badRequest, error: failure.description, values)
        }
        return page.render("message", title: page.t("signUpDone", ["email": email]))
    }
}

/// The signed-in home page: what the role needs at a glance.
struct Dashboard {
    let services: PlatformServices
    let page: PortalPage

    func render() async throws -> Response {
        let account = page.context.account!
        var values: [String: Any] = ["email": account.email]
        values["role"] = page.t("role" + account.role.rawValue.prefix(1).uppercased() + account.role.rawValue.dropFirst())
        if let companyID = account.companyId, let company = try await services.accounts.company(id: companyID) {
            values["company"] = ["name": company.name, "certified": company.isCertified]
        }
        values["isOwner"] = account.role == .owner
        if account.role == .admin || account.role == .reviewer {
            values["companies"] = try await services.accounts.companies().map {
                ["id": $0.id, "name": $0.name, "certified": $0.isCertified, "canCertify": account.role == .admin, "csrf": page.csrf] as [String: Any]
            }
            let entries = try await services.database.read { db in try await AuditLog.recent(db, limit: 20) }
            values["audit"] = [
                "head": page.t("auditHead", ["count": "\(entries.first?.seq ?? 0)", "head": String((entries.first?.hash ?? AuditLog.genesis).prefix(16))]),
                "entries": entries.map {
                    [
                        "seq": $0.seq, "when": Date(timeIntervalSince1970: TimeInterval($0.at)).formatted(.iso8601), "action": $0.action,
                        "subject": $0.subject, "actor": $0.actor,
                    ] as [String: Any]
                },
            ] as [String: Any]
        }
        return page.render("dashboard", title: page.t("welcome", ["name": account.name]), values)
    }
}
