import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReclaimCore
import WebSupport

/// The portal as a surface of the shared page layer.
enum PortalWeb {
    static func surface(secureCookies: Bool) -> WebSurface {
        WebSurface(
            name: "portal", strings: PortalStrings.catalog,
            templates: PortalTemplates.templates.merging(CaseTemplates.templates) { a, _ in a }.merging(OwnerTemplates.templates) { a, _ in
                a
            }.merging(TicketTemplates.templates) { a, _ in a },
            secureCookies: secureCookies, ownImagesAndScripts: true)
    }
}

/// One request to a portal page: the shared page, with the header for who is signed in.
struct PortalPage {
    let page: Page
    let context: PortalContext

    init(request: Request, context: PortalContext, services: PlatformServices) {
        self.context = context
        var page = Page(request: request, surface: services.portalSurface, chrome: PageChrome(title: ""))
        page.chrome.title = page.t("appName")
        if let account = context.account {
            page.chrome.links = [NavigationLink(id: "nav-dashboard", href: "/dashboard", label: page.t("dashboard"))]
            if account.role == .installer || account.role == .admin {
                page.chrome.links.append(NavigationLink(id: "nav-cases", href: "/cases", label: page.t("casesTitle")))
            }
            if account.role == .installer {
                page.chrome.links.append(NavigationLink(id: "nav-sites", href: "/sites", label: page.t("sitesTitle")))
                page.chrome.links.append(NavigationLink(id: "nav-company", href: "/company", label: page.t("companyNav")))
            }
            if account.role == .owner {
                page.chrome.links.append(NavigationLink(id: "nav-app", href: "/app", label: page.t("appTitle")))
                page.chrome.links.append(NavigationLink(id: "nav-tickets", href: "/app/tickets", label: page.t("ticketsNav")))
            }
            if account.role == .reviewer || account.role == .admin {
                page.chrome.links.append(NavigationLink(id: "nav-desk", href: "/desk", label: page.t("deskTitle")))
            }
            if account.role == .distributor {
                page.chrome.links.append(NavigationLink(id: "nav-distributor", href: "/distributor", label: page.t("distributorTitle")))
            }
            page.chrome.signOutAction = "/signout"
        } else {
            page.chrome.links = [
                NavigationLink(id: "nav-signin", href: "/signin", label: page.t("signIn")),
                NavigationLink(id: "nav-signup", href: "/signup", label: page.t("signUp")),
                NavigationLink(id: "nav-compatibility", href: "/compatibility", label: page.t("compatTitle")),
            ]
        }
        self.page = page
    }

    init(page: Page, context: PortalContext) {
        self.page = page
        self.context = context
    }

    func t(_ key: String, _ values: [String: String] = [:]) -> String { page.t(key, values) }
    func t(_ key: String, count: Int, _ values: [String: String] = [:]) -> String { page.t(key, count: count, values) }

    /// A portal form, or nil when its CSRF token does not match.
    func form(limit: Int = 16 * 1024, fileFields: Set<String> = []) async throws -> SubmittedForm? {
        try await page.form(limit: limit, fileFields: fileFields)
    }

    /// The portal's session cookie: `HttpOnly`, `SameSite=Lax` so a link from a mail arrives signed in.
    func sessionCookie(_ token: String, maxAge: Int? = nil) -> Cookie {
        page.cookie(AccountMiddleware.sessionCookie, token, maxAge: maxAge, sameSite: .lax)
    }
}

/// The portal's HTML pages.
extension GuardedRouter {
    mutating func addPortalPages() {
        let services = services
        @Sendable func portal(_ request: Request, _ context: PortalContext) -> PortalPage {
            PortalPage(request: request, context: context, services: services)
        }

        add(.get, "/", .anyone) { request, context in
            let portal = portal(request, context)
            return portal.page.render("home", title: portal.t("homeTitle"))
        }

        add(.get, "/signin", .anyone) { request, context in
            let portal = portal(request, context)
            let next = LocalPath.validated(request.uri.queryParameters["next"].map(String.init) ?? "", or: "/dashboard")
            return portal.page.render("signin", title: portal.t("signInTitle"), ["next": next])
        }

        add(.post, "/signin", .anyone) { request, context in
            let portal = portal(request, context)
            let title = portal.t("signInTitle")
            guard let form = try await portal.form() else {
                return portal.page.render("signin", title: title, status: .forbidden, error: portal.t("form.expired"))
            }
            let values: [String: Any] = ["email": form["email"], "next": form["next"]]
            switch try await services.accounts.signIn(email: form["email"], password: form["password"], source: context.source) {
            case .signedIn(let account):
                let token = try await services.accounts.startSession(for: account)
                let next = LocalPath.validated(form["next"], or: "/dashboard")
                return portal.page.redirect(next, cookies: [portal.sessionCookie(token)])
            case .refused:
                return portal.page.render("signin", title: title, status: .unauthorized, error: portal.t("signInRefused"), values)
            case .paused(let until):
                return portal.page.render(
                    "signin", title: title, status: .tooManyRequests,
                    error: portal.t("signInPaused", ["until": portal.time(until, services)]), values)
            }
        }

        add(.post, "/signout", .anyone) { request, context in
            let portal = portal(request, context)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            if let token = context.sessionToken { try await services.accounts.endSession(token) }
            return portal.page.redirect("/", cookies: [portal.sessionCookie("", maxAge: 0)])
        }

        add(.get, "/signup", .anyone) { request, context in
            let portal = portal(request, context)
            return portal.page.render("signup", title: portal.t("signUpTitle"))
        }

        add(.post, "/signup", .anyone) { request, context in
            try await SignUp(services: services, portal: portal(request, context)).submit(source: context.source)
        }

        // Forgotten portal password: the same answer for every address, the link by mail.
        // MARK: Certification by code

        add(.post, "/company/certify", signedIn: .roles([.installer])) { request, caller in
            let portal = portal(request, caller.context)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            let dashboard = Dashboard(services: services, portal: portal, account: caller.account)
            do {
                _ = try await services.certification.redeem(form["code"], by: caller.account)
            } catch let error as PlatformError {
                let failure = PlatformFailure(error)
                return try await dashboard.render(status: failure.httpStatus, error: portal.page.message(failure))
            }
            return portal.page.redirect("/dashboard?done=certified")
        }

        add(.get, "/distributor", signedIn: .roles([.distributor])) { request, caller in
            try await DistributorPage(services: services, portal: portal(request, caller.context), account: caller.account).render()
        }

        add(.post, "/distributor/codes", signedIn: .roles([.distributor])) { request, caller in
            let portal = portal(request, caller.context)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            let code = try await services.certification.issue(by: caller.account)
            return try await DistributorPage(services: services, portal: portal, account: caller.account).render(newCode: code)
        }

        add(.get, "/password/forgot", .anyone) { request, context in
            let portal = portal(request, context)
            return portal.page.render("forgot-password", title: portal.t("forgotTitle"))
        }

        add(.post, "/password/forgot", .anyone) { request, context in
            let portal = portal(request, context)
            let title = portal.t("forgotTitle")
            guard let form = try await portal.form() else {
                return portal.page.render("forgot-password", title: title, status: .forbidden, error: portal.t("form.expired"))
            }
            let over =
                try await services.throttle.hit(.passwordResetSource, context.source, window: 3600, now: Date())
                > services.settings.signupsPerSource
            if over {
                return portal.page.render("forgot-password", title: title, status: .tooManyRequests, error: portal.t("forgotLimited"))
            }
            services.signUps.forgotPassword(email: form["email"])
            return portal.page.message(title: title, portal.t("forgotSent", ["email": Accounts.normalized(form["email"])]), next: "/signin")
        }

        add(.get, "/password/reset", .anyone) { request, context in
            let portal = portal(request, context)
            let token = request.uri.queryParameters["token"].map(String.init) ?? ""
            guard try await services.accounts.passwordResetIsValid(token: token) else {
                return portal.page.message(
                    title: portal.t("resetLinkTitle"), portal.t("resetLinkInvalid"), next: "/password/forgot", status: .notFound)
            }
            return portal.page.render(
                "reset-password", title: portal.t("resetLinkTitle"),
                ["token": token, "rules": Accounts.passwordPolicy.summary(language: portal.page.language)])
        }

        add(.post, "/password/reset", .anyone) { request, context in
            let portal = portal(request, context)
            let title = portal.t("resetLinkTitle")
            let rules = Accounts.passwordPolicy.summary(language: portal.page.language)
            guard let form = try await portal.form() else {
                return portal.page.message(title: title, portal.t("form.expired"), next: "/password/forgot", status: .forbidden)
            }
            let values: [String: Any] = ["token": form["token"], "rules": rules]
            guard form["password"] == form["confirm"] else {
                return portal.page.render("reset-password", title: title, status: .badRequest, error: portal.t("passwordsDiffer"), values)
            }
            do {
                let account = try await services.accounts.resetPassword(token: form["token"], newPassword: form["password"])
                services.mail.enqueue(
                    MailMessage(
                        to: account.email,
                        MailTemplates.passwordChanged(
                            link: services.settings.publicURL + "/password/forgot", language: account.preferredLanguage)))
                return portal.page.message(title: title, portal.t("resetLinkDone"), next: "/signin")
            } catch let error as ReclaimError where error.code == .passwordRule {
                let address = try await services.accounts.passwordResetAddress(token: form["token"]) ?? ""
                let violations = Accounts.passwordPolicy.violations(of: form["password"], userName: address)
                let said = violations.map { $0.message(language: portal.page.language) }.joined(separator: " ")
                return portal.page.render(
                    "reset-password", title: title, status: .badRequest,
                    error: said.isEmpty ? portal.page.message(PlatformFailure(error)) : said,
                    values)
            }
        }

        add(.get, "/signup/confirm", .anyone) { request, context in
            let portal = portal(request, context)
            let token = request.uri.queryParameters["token"].map(String.init) ?? ""
            guard try await services.accounts.confirm(token: token) != nil else {
                return portal.page.message(title: portal.t("confirmFailed"), status: .notFound)
            }
            return portal.page.redirect("/signin?done=confirmed")
        }

        add(.get, "/dashboard", signedIn: .signedIn) { request, caller in
            var page = portal(request, caller.context)
            await page.addMessageCentre(services)
            return try await Dashboard(services: services, portal: page, account: caller.account).render()
        }

        add(.post, "/admin/companies/{id}/certify", signedIn: .roles([.admin])) { request, caller in
            let portal = portal(request, caller.context)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            _ = try await services.accounts.certify(company: caller.parameters.get("id") ?? "", actor: caller.actor)
            return portal.page.redirect("/dashboard")
        }

        // Which models and firmware offer which recovery method: the catalogue the devices
        // themselves read (DeviceModel.recoveryMethods), for anyone choosing or installing one.
        add(.get, "/compatibility", .anyone) { request, context in
            let portal = portal(request, context)
            let language = portal.page.language
            let methods = RecoveryMethod.allCases
            let (yes, enrolledOnly, no) = (portal.t("compatYes"), portal.t("compatEnrolled"), portal.t("compatNo"))
            let models: [[String: Any]] = DeviceModel.catalogue.map { model in
                let firmware: [[String: Any]] = model.firmwareVersions.map { release in
                    let always = Set(model.recoveryMethods(firmware: release, enrolled: false))
                    let enrolled = Set(model.recoveryMethods(firmware: release, enrolled: true))
                    let cells: [[String: Any]] = methods.map { method in
                        let text = always.contains(method) ? yes : enrolled.contains(method) ? enrolledOnly : no
                        return ["method": method.rawValue, "text": text, "offered": enrolled.contains(method)]
                    }
                    return ["version": release.displayString, "cells": cells]
                }
                return [
                    "name": model.name, "kind": portal.t("kind." + model.kind.rawValue), "description": model.description,
                    "password": PasswordPolicy(model.passwordProfile).summary(language: language), "firmware": firmware,
                ]
            }
            return portal.page.render(
                "compatibility", title: portal.t("compatTitle"),
                ["models": models, "methods": methods.map { ["name": portal.t("method." + $0.rawValue)] }])
        }

        add(.get, "/recover", .anyone) { request, context in
            let portal = portal(request, context)
            return portal.page.render("recover", title: portal.t("recoverTitle"))
        }

        add(.post, "/recover", .anyone) { request, context in
            let portal = portal(request, context)
            let title = portal.t("recoverTitle")
            let limit = context.maxUploadSize
            let csrf = portal.page.csrf
            do {
                try await services.emailRecovery.handIn(source: context.source, upload: true) {
                    let form = try await SubmittedForm.read(request, limit: limit, fileFields: ["picture"], offloaded: true)
                    guard csrf.matches(form) else { throw FormExpired() }
                    return (form.fields["challenge"], form.files["picture"])
                }
            } catch is FormExpired {
                return portal.page.render("recover", title: title, status: .forbidden, error: portal.t("form.expired"))
            } catch {
                let failure = PlatformFailure(error)
                return portal.page.render("recover", title: title, status: failure.httpStatus, error: portal.page.message(failure))
            }
            return portal.page.render("recover", title: title, notice: portal.t("recoverReceived"))
        }
    }
}

/// A form whose CSRF token does not match: answered with the form again and "the form expired".
struct FormExpired: Error {}

/// Sign-up: the page answers the same whether or not the address has an account; the
/// difference goes to the address's mailbox only.
struct SignUp {
    let services: PlatformServices
    let portal: PortalPage

    func submit(source: String) async throws -> Response {
        let page = portal.page
        let title = portal.t("signUpTitle")
        guard let form = try await portal.form() else {
            return page.render("signup", title: title, status: .forbidden, error: portal.t("form.expired"))
        }
        let values: [String: Any] = ["email": form["email"], "name": form["name"], "company": form["company"]]
        func refuse(_ error: String, _ status: HTTPResponse.Status = .badRequest) -> Response {
            page.render("signup", title: title, status: status, error: error, values)
        }
        if try await services.throttle.hit(.signupSource, source, window: 3600, now: Date()) > services.settings.signupsPerSource {
            return refuse(portal.t("signUpLimited"), .tooManyRequests)
        }
        let email = Accounts.normalized(form["email"])
        let installer = form["kind"] != "owner"
        let company = form["company"].trimmingCharacters(in: .whitespacesAndNewlines)
        guard Accounts.isPlausibleAddress(email) else { return refuse(portal.t("error.notAnAddress", ["email": form["email"]])) }
        if installer, company.isEmpty { return refuse(portal.t("error.companyMissing")) }
        let violations = Accounts.passwordPolicy.violations(of: form["password"], userName: email)
        if !violations.isEmpty { return refuse(violations.map { $0.message(language: page.language) }.joined(separator: " ")) }
        guard !form["name"].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, form["name"].count <= 100 else {
            return refuse(portal.t("error.nameLength"))
        }
        // The rest happens after the answer, so the answer is the same for a taken address.
        services.signUps.submit(
            SignUps.Request(
                email: email, name: form["name"], role: installer ? .installer : .owner, password: form["password"],
                language: page.language, companyName: installer ? company : nil, source: source))
        return page.message(title: portal.t("signUpDone", ["email": email]))
    }
}

/// The signed-in home page: what the role needs at a glance.
struct Dashboard {
    let services: PlatformServices
    let portal: PortalPage
    let account: Account

    func render(status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        var values: [String: Any] = ["email": account.email]
        values["role"] = portal.t("role" + account.role.rawValue.prefix(1).uppercased() + account.role.rawValue.dropFirst())
        if let companyID = account.companyId, let company = try await services.accounts.company(id: companyID) {
            values["company"] = ["name": company.name, "certified": company.isCertified, "canRedeem": account.role == .installer]
        }
        // An installer who left their company: where to start again.
        values["noCompany"] = account.role == .installer && account.companyId == nil
        if account.role == .distributor { values["isDistributor"] = true }
        values["isOwner"] = account.role == .owner
        if account.role == .admin || account.role == .reviewer {
            let csrf = portal.page.csrf.value
            values["companies"] = try await services.accounts.companies().map {
                ["id": $0.id, "name": $0.name, "certified": $0.isCertified, "canCertify": account.role == .admin, "csrf": csrf]
                    as [String: Any]
            }
            let entries = try await services.audit.recent(limit: 20)
            values["audit"] =
                [
                    "head": portal.t(
                        "auditHead", count: Int(entries.first?.seq ?? 0),
                        ["head": String((entries.first?.hash ?? AuditLog.genesis).prefix(16))]),
                    "entries": entries.map {
                        [
                            "seq": $0.seq, "when": portal.when($0.at, services),
                            "action": $0.action,
                            "subject": $0.subject, "actor": $0.actor,
                        ] as [String: Any]
                    },
                ] as [String: Any]
        }
        let notice = portal.page.request.uri.queryParameters["done"] == "certified" ? portal.t("done.certified") : nil
        return portal.page.render(
            "dashboard", title: portal.t("welcome", ["name": account.name]), status: status, error: error, notice: notice, values)
    }
}

/// A distributor's page: issue a certification code (shown once) and see the codes issued,
/// which are unused, redeemed (by which company) or expired.
struct DistributorPage {
    let services: PlatformServices
    let portal: PortalPage
    let account: Account

    func render(newCode: String? = nil) async throws -> Response {
        let now = Int64(Date().timeIntervalSince1970)
        var codes: [[String: Any]] = []
        for code in try await services.certification.issued(by: account) {
            var state = code.expiresAt <= now ? portal.t("codeExpired") : portal.t("codeUnused")
            if let company = code.redeemedBy {
                let name = try await services.accounts.company(id: company)?.name ?? company
                state = portal.t("codeRedeemed", ["company": name, "when": portal.when(code.redeemedAt ?? now, services)])
            }
            codes.append([
                "hint": code.hint, "issued": portal.when(code.issuedAt, services), "expires": portal.when(code.expiresAt, services),
                "state": state,
            ])
        }
        var values: [String: Any] = ["codes": codes, "hasCodes": !codes.isEmpty]
        if let newCode { values["newCode"] = newCode }
        return portal.page.render("distributor", title: portal.t("distributorTitle"), values)
    }
}
