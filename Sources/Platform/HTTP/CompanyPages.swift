import Foundation
import HTTPTypes
import Hummingbird
import ReclaimCore
import WebSupport

extension OwnedObject where Object == Colleagues.Invitation {
    /// An invitation to a company: seen, and taken back, by that company's members only.
    static let invitation = OwnedObject(
        kind: "invitation", parameter: "id", find: { id, services in try await services.colleagues.invitation(id: id) },
        isVisible: { invitation, account in account.companyId == invitation.companyId })
}

/// The company page (members, invitations, leaving) and the invitation link a colleague opens.
extension GuardedRouter {
    mutating func addCompanyPages() {
        let services = services
        @Sendable func portal(_ request: Request, _ context: PortalContext) -> PortalPage {
            PortalPage(request: request, context: context, services: services)
        }
        /// Runs a company form: a refusal is shown on the company page, success goes back to it.
        @Sendable func companyForm(
            _ request: Request, _ caller: SignedIn, done: String, _ act: @Sendable (SubmittedForm) async throws -> Void
        ) async throws -> Response {
            let portal = portal(request, caller.context)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            do {
                try await act(form)
            } catch let error as PlatformError {
                let failure = PlatformFailure(error)
                return try await CompanyPage(services: services, portal: portal, account: caller.account)
                    .render(status: failure.httpStatus, error: portal.page.message(failure), email: form["email"])
            }
            return portal.page.redirect(done)
        }

        add(.get, "/company", signedIn: .roles([.installer])) { request, caller in
            try await CompanyPage(services: services, portal: portal(request, caller.context), account: caller.account).render()
        }

        add(.post, "/company/invitations", signedIn: .roles([.installer])) { request, caller in
            try await companyForm(request, caller, done: "/company?done=invited") { form in
                try await services.colleagues.invite(form["email"], by: caller.account)
            }
        }

        add(.post, "/company/invitations/{id}/revoke", signedIn: .roles([.installer]), owning: .invitation) { request, caller, invitation in
            try await companyForm(request, caller, done: "/company?done=invitationRevoked") { _ in
                try await services.colleagues.revoke(invitation, by: caller.account)
            }
        }

        add(.post, "/company/leave", signedIn: .roles([.installer])) { request, caller in
            try await companyForm(request, caller, done: "/company?done=left") { form in
                // The checkbox stands for "I know I lose the company's cases and sites".
                guard form["confirm"] == "yes" else {
                    throw PlatformError(.invalidInput, "Tick the box to confirm.", localized: .init("leaveConfirmMissing"))
                }
                _ = try await services.colleagues.leave(caller.account)
            }
        }

        add(.post, "/company/new", signedIn: .roles([.installer])) { request, caller in
            try await companyForm(request, caller, done: "/company?done=companyStarted") { form in
                _ = try await services.colleagues.startCompany(form["company"], by: caller.account)
            }
        }

        // The link from the invitation mail. Who opens it decides what it shows: a new
        // colleague sets a name and password; an existing account joins signed in as itself.
        add(.get, "/invitation", .anyone) { request, context in
            let portal = portal(request, context)
            let token = request.uri.queryParameters["token"].map(String.init) ?? ""
            return try await InvitationPage(services: services, portal: portal, token: token).render()
        }

        add(.post, "/invitation", .anyone) { request, context in
            let portal = portal(request, context)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            let page = InvitationPage(services: services, portal: portal, token: form["token"])
            do {
                if let account = context.account {
                    _ = try await services.colleagues.accept(token: form["token"], as: account)
                    return portal.page.redirect("/company?done=joined")
                }
                guard form["password"] == form["confirm"] else {
                    return try await page.render(status: .badRequest, error: portal.t("passwordsDiffer"))
                }
                let account = try await services.colleagues.accept(
                    token: form["token"], name: form["name"], password: form["password"], language: portal.page.language)
                let session = try await services.accounts.startSession(for: account)
                return portal.page.redirect("/company?done=joined", cookies: [portal.sessionCookie(session)])
            } catch let error as ReclaimError where error.code == .passwordRule {
                let invited = try await services.colleagues.opened(token: form["token"])?.invitation.email ?? ""
                let violations = Accounts.passwordPolicy.violations(of: form["password"], userName: invited)
                let said = violations.map { $0.message(language: portal.page.language) }.joined(separator: " ")
                return try await page.render(status: .badRequest, error: said.isEmpty ? portal.page.message(PlatformFailure(error)) : said)
            } catch let error as PlatformError {
                let failure = PlatformFailure(error)
                return try await page.render(status: failure.httpStatus, error: portal.page.message(failure))
            }
        }
    }
}

/// The caller's company: who is in it, who is invited, and the way out.
struct CompanyPage {
    let services: PlatformServices
    let portal: PortalPage
    let account: Account

    func render(status: HTTPResponse.Status = .ok, error: String? = nil, email: String = "") async throws -> Response {
        guard let companyID = account.companyId, let company = try await services.accounts.company(id: companyID) else {
            return portal.page.render("company-none", title: portal.t("companyTitle"), status: status, error: error)
        }
        let members: [[String: Any]] = try await services.colleagues.members(of: account).map {
            ["name": $0.name, "email": $0.email, "since": portal.when($0.createdAt, services), "isYou": $0.id == account.id]
        }
        let csrf = portal.page.csrf.value
        let invitations: [[String: Any]] = try await services.colleagues.pending(for: account).map {
            ["id": $0.id, "email": $0.email, "expires": portal.when($0.expiresAt, services), "csrf": csrf]
        }
        return portal.page.render(
            "company", title: portal.t("companyTitle"), status: status, error: error,
            [
                "name": company.name, "certified": company.isCertified, "members": members,
                "membersHead": portal.t("membersCount", count: members.count), "invitations": invitations,
                "hasInvitations": !invitations.isEmpty, "email": email, "canLeave": members.count > 1,
            ])
    }
}

/// What an invitation link shows: whose company, and how to join it.
struct InvitationPage {
    let services: PlatformServices
    let portal: PortalPage
    let token: String

    func render(status: HTTPResponse.Status = .ok, error: String? = nil) async throws -> Response {
        let title = portal.t("invitationTitle")
        guard let opened = try await services.colleagues.opened(token: token) else {
            return portal.page.message(title: title, portal.t("invitationInvalid"), next: "/", status: .notFound)
        }
        var values: [String: Any] = [
            "token": token, "company": opened.company, "inviter": opened.invitedBy, "invited": opened.invitation.email,
            "intro": portal.t("invitationIntro", ["inviter": opened.invitedBy, "company": opened.company]),
            "rules": Accounts.passwordPolicy.summary(language: portal.page.language),
            "joinLabel": portal.t("invitationJoin", ["company": opened.company]),
            "otherAccount": portal.t("invitationOtherAccount", ["email": opened.invitation.email]),
        ]
        if let account = portal.context.account {
            values["signedInAs"] = account.email
            values["isInvited"] = account.email == opened.invitation.email
            if let current = account.companyId {
                let name = try await services.accounts.company(id: current)?.name ?? current
                values["leaveFirst"] = portal.t("invitationLeaveFirst", ["company": name])
            }
        } else if opened.hasAccount {
            let here = "/invitation?token=" + token
            values["signInLink"] = "/signin?next=" + (here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        } else {
            values["newAccount"] = true
        }
        return portal.page.render("invitation", title: title, status: status, error: error, values)
    }
}
