import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReclaimCore
import WebSupport

extension PortalPage {
    /// The page of a signed-in caller, with the message centre in its header.
    static func signedIn(_ request: Request, _ caller: SignedIn, _ services: PlatformServices) async -> PortalPage {
        var portal = PortalPage(request: request, context: caller.context, services: services)
        await portal.addMessageCentre(services)
        return portal
    }

    /// The header's envelope: the message centre, with the count of unread messages.
    mutating func addMessageCentre(_ services: PlatformServices) async {
        guard let account = context.account else { return }
        let unread = (try? await services.cases.unreadCount(for: account)) ?? 0
        var page = page
        page.chrome.links.append(
            NavigationLink(id: "nav-messages", href: "/messages", label: unread > 0 ? "✉ \(unread)" : "✉"))
        self = PortalPage(page: page, context: context)
    }

    func stateName(_ state: SupportCase.State) -> String { t("caseState." + state.rawValue) }
    func channelName(_ channel: SupportCase.Channel) -> String { t("channel." + channel.rawValue) }

    /// A date and time as the reader writes it, in the reviewers' time zone (read once, at start).
    func when(_ seconds: Int64, _ services: PlatformServices) -> String {
        page.language.dateTime(Date(timeIntervalSince1970: TimeInterval(seconds)), timeZone: services.cases.hours.timeZone)
    }

    /// A time of today in the reader's language, in the platform's time zone.
    func time(_ date: Date, _ services: PlatformServices) -> String {
        page.language.time(date, timeZone: services.cases.hours.timeZone)
    }

    /// Working time as hours and minutes.
    func duration(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        return t("duration", ["hours": "\(minutes / 60)", "minutes": "\(minutes % 60)"])
    }
}

/// The portal's pages of support cases (installers), the reviewer desk and the message centre.
extension GuardedRouter {
    mutating func addCasePages() {
        let services = services
        @Sendable func portal(_ request: Request, _ caller: SignedIn) async -> PortalPage {
            await PortalPage.signedIn(request, caller, services)
        }
        let installers: Access = .roles([.installer, .admin])
        let desk: Access = .roles([.reviewer, .admin])

        add(.get, "/cases", signedIn: installers) { request, caller in
            let portal = await portal(request, caller)
            let query = try CaseQuery(request)
            let company = caller.account.role == .installer ? caller.account.companyId ?? "none" : nil
            let (cases, total) = try await services.cases.list(
                companyID: company, states: query.states, from: query.from, until: query.until, page: query.page, perPage: query.perPage)
            let chosen = query.states.first?.rawValue ?? ""
            let from = request.uri.queryParameters["from"].map(String.init) ?? ""
            let to = request.uri.queryParameters["to"].map(String.init) ?? ""
            func link(_ page: Int) -> String {
                "/cases?state=\(chosen)&from=\(from)&to=\(to)&page=\(page)"
            }
            let pages = max(1, (total + query.perPage - 1) / query.perPage)
            var values: [String: Any] = [
                "states": SupportCase.State.allCases.map {
                    ["value": $0.rawValue, "label": portal.stateName($0), "selected": $0.rawValue == chosen] as [String: Any]
                },
                "from": from, "to": to,
                "cases": cases.map { value in
                    [
                        "id": value.id, "created": portal.when(value.createdAt, services), "model": value.model, "serial": value.serial,
                        "channel": portal.channelName(value.channel), "state": portal.stateName(value.state),
                        "stateValue": value.state.rawValue,
                    ]
                },
                "pageText": portal.t("casePage", ["page": "\(query.page)", "pages": "\(pages)", "total": "\(total)"]),
            ]
            if query.page > 1 { values["previous"] = link(query.page - 1) }
            if query.page < pages { values["next"] = link(query.page + 1) }
            return portal.page.render("cases", title: portal.t("casesTitle"), values)
        }

        add(.get, "/cases/new", signedIn: .roles([.installer])) { request, caller in
            let portal = await portal(request, caller)
            return try await CaseRecords.newCaseForm(portal, services, account: caller.account)
        }

        add(.post, "/cases/new", signedIn: .roles([.installer])) { request, caller in
            let portal = await portal(request, caller)
            let title = portal.t("caseNew")
            do {
                let form = try await SubmittedForm.read(
                    request, limit: caller.context.maxUploadSize, fileFields: ["photo", "qr"], offloaded: true)
                guard portal.page.csrf.matches(form) else { throw FormExpired() }
                let value = try await services.cases.open(try await CaseForm.opening(form), by: caller.account)
                return portal.page.redirect("/cases/\(value.id)?sent=1")
            } catch is FormExpired {
                return portal.page.render(
                    "case-new", title: title, status: .forbidden, error: portal.t("form.expired"), CaseRecords.newCaseValues(services))
            } catch {
                let failure = PlatformFailure(error)
                return portal.page.render(
                    "case-new", title: title, status: failure.httpStatus, error: portal.page.message(failure),
                    CaseRecords.newCaseValues(services))
            }
        }

        add(.get, "/cases/{id}", signedIn: .signedIn, owning: .supportCase) { request, caller, value in
            let portal = await portal(request, caller)
            return try await CaseRecords.casePage(portal, services, value, sent: request.uri.queryParameters["sent"] != nil)
        }

        add(.post, "/cases/{id}/close", signedIn: installers, owning: .supportCase) { request, caller, value in
            let portal = await portal(request, caller)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            _ = try await services.cases.close(caseID: value.id, by: caller.account)
            return portal.page.redirect("/cases/\(value.id)")
        }

        add(.get, "/desk", signedIn: desk) { request, caller in
            let portal = await portal(request, caller)
            return try await CaseRecords.desk(portal, services)
        }

        add(.post, "/desk/{id}/approve", signedIn: desk, owning: .supportCase) { request, caller, value in
            let portal = await portal(request, caller)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            _ = try await services.cases.approve(caseID: value.id, by: caller.account)
            return portal.page.redirect("/desk?done=approved")
        }

        add(.post, "/desk/{id}/reject", signedIn: desk, owning: .supportCase) { request, caller, value in
            let portal = await portal(request, caller)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            let reason = SupportCase.RejectReason(rawValue: form["reason"]) ?? .other
            _ = try await services.cases.reject(caseID: value.id, by: caller.account, reason: reason, text: form["text"])
            return portal.page.redirect("/desk?done=rejected")
        }

        add(.get, "/messages", signedIn: .signedIn) { request, caller in
            // Opening the message centre reads every message in it.
            let messages = try await services.cases.notifications(for: caller.account)
            try await services.cases.markRead(nil, for: caller.account)
            let portal = await portal(request, caller)
            return portal.page.render(
                "messages", title: portal.t("messagesTitle"),
                [
                    "messages": messages.map { message in
                        [
                            "when": portal.when(message.createdAt, services), "caseId": message.caseId,
                            "link": Self.messageLink(message.caseId, for: caller.account),
                            "text": portal.t("message." + message.event, ["id": message.caseId]), "unread": message.readAt == nil,
                        ] as [String: Any]
                    }
                ])
        }
    }
}

extension GuardedRouter {
    /// Where a message leads: its case, reset request, device, or the page of its share,
    /// authorisation request or claim, in the owner app or under Sites and devices.
    static func messageLink(_ subject: String, for account: Account) -> String {
        let owner = account.role == .owner
        switch String(subject.prefix(3)) {
        case "rr_": return (owner ? "/app/requests/" : "/sites/requests/") + subject
        case "tk_": return (owner ? "/app/tickets/" : "/desk/tickets/") + subject
        case "sh_", "ar_", "dc_": return owner ? "/app" : "/sites"
        default: return SerialNumber(subject) != nil && owner ? "/app/devices/" + subject : "/cases/" + subject
        }
    }
}

/// What the case pages show, built from a case and the reader's page.
enum CaseRecords {
    static func newCaseForm(_ portal: PortalPage, _ services: PlatformServices, account: Account) async throws -> Response {
        let company = try await account.companyId.asyncMap { try await services.accounts.company(id: $0) } ?? nil
        guard company?.isCertified == true else {
            return portal.page.message(title: portal.t("caseNotCertified"), next: "/dashboard", status: .forbidden)
        }
        return portal.page.render("case-new", title: portal.t("caseNew"), newCaseValues(services))
    }

    /// What the new-case form needs besides its texts: this portal's address for the helper,
    /// and a fresh pairing code for it (the page keeps it while it is open).
    static func newCaseValues(_ services: PlatformServices) -> [String: Any] {
        let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let code = String(Bytes.random(count: 8).map { letters[Int($0) % letters.count] })
        return ["platform": services.settings.publicURL, "pairing": String(code.prefix(4)) + "-" + String(code.suffix(4))]
    }

    static func casePage(_ portal: PortalPage, _ services: PlatformServices, _ value: SupportCase, sent: Bool) async throws -> Response {
        var values: [String: Any] = [
            "id": value.id, "state": portal.stateName(value.state), "stateValue": value.state.rawValue, "model": value.model,
            "serial": value.serial, "channel": portal.channelName(value.channel), "created": portal.when(value.createdAt, services),
            "canClose": !value.state.isFinal && portal.context.account?.role != .reviewer,
        ]
        let expectedReview = services.cases.expectedReview(after: Date(timeIntervalSince1970: TimeInterval(value.createdAt)))
        let reviewText = expectedReview.map { portal.t("caseReviewBy", ["when": portal.when(Int64($0.timeIntervalSince1970), services)]) }
        if sent {
            values["sent"] = value.state == .inProgress && !value.checked ? portal.t("caseSentChecking") : portal.t("caseSentDone")
        }
        if value.awaitsReview { values["waiting"] = reviewText ?? portal.t("caseReviewSoon") }
        if value.state == .inProgress, !value.checked {
            values["waiting"] = portal.t("caseChecking")
            values["refresh"] = 2
        }
        if value.state == .rejected {
            let reason = portal.t("reject." + (value.rejectReason?.rawValue ?? "other"))
            values["rejected"] = [reason, value.rejectText].compactMap { $0 }.joined(separator: " ")
        }
        if value.state == .closed { values["closed"] = portal.t("close." + (value.closeReason?.rawValue ?? "by-installer")) }
        if value.state == .toConfirm {
            values["expires"] = value.resultExpiresAt.map { portal.when($0, services) } ?? ""
            switch try await services.cases.result(of: value) {
            case .resetKey(let key): values["key"] = key
            case .resetFile: values["file"] = "/api/v1/cases/\(value.id)/reset-file"
            }
        }
        var response = portal.page.render("case", title: portal.t("caseTitle", ["id": value.id]), values)
        if values["refresh"] != nil {
            // While the automatic check runs (seconds), the page looks again by itself.
            response.headers[HTTPField.Name("Refresh")!] = "2"
        }
        return response
    }

    static func desk(_ portal: PortalPage, _ services: PlatformServices) async throws -> Response {
        var queue: [[String: Any]] = []
        let csrf = portal.page.csrf.value
        for value in try await services.cases.queue() {
            let enrollment = try await SerialNumber(value.serial).asyncMap { try await services.authority.enrollment(serial: $0) } ?? nil
            var item: [String: Any] = [
                "id": value.id, "reason": portal.t("review." + (value.reviewReason?.rawValue ?? "unreadable-label")),
                "waited": portal.t("deskWaited", ["time": portal.duration(services.cases.waited(value))]),
                "model": value.model, "serial": value.serial, "enrolledModel": enrollment?.model ?? "—",
                "enrolledSerial": enrollment?.serial.text ?? portal.t("deskNotEnrolled"), "labelCode": enrollment?.labelCode ?? "—",
                "labelRead": value.labelRead ?? portal.t("deskNothingRead"),
                "challengeExpires": portal.when(value.challengeExpiresAt, services), "csrf": csrf,
                "reasons": SupportCase.RejectReason.reviewerChoices.map {
                    ["value": $0.rawValue, "label": portal.t("reject." + $0.rawValue)]
                },
            ]
            if let reused = value.reusedFrom { item["reusedFrom"] = reused }
            queue.append(item)
        }
        let tickets = try await services.tickets.queue().map { TicketView.summary($0, portal, services) }
        return portal.page.render(
            "desk", title: portal.t("deskTitle"), ["queue": queue, "tickets": tickets, "hasTickets": !tickets.isEmpty])
    }
}
