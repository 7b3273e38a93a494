import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReclaimCore
import WebSupport

extension OwnedObject where Object == OwnerTicket {
    /// An owner's support ticket: seen by its owner and by reviewers (and administrators).
    static let ticket = OwnedObject(
        kind: "ticket", parameter: "id", find: { id, services in try await services.tickets.find(id: id) },
        isVisible: { ticket, account in OwnerTickets.mayRead(ticket, account) })
}

/// Owners' support tickets in the owner app (`/app/tickets`), on the reviewer desk
/// (`/desk/tickets/…`), and their files, for the ticket's owner and reviewers only.
extension GuardedRouter {
    mutating func addTicketPages() {
        let services = services
        @Sendable func portal(_ request: Request, _ caller: SignedIn) async -> PortalPage {
            await PortalPage.signedIn(request, caller, services)
        }
        let owners: Access = .roles([.owner])
        let desk: Access = .roles([.reviewer, .admin])
        // Four files at the largest size, and the text fields.
        let formLimit = services.settings.ticketFileLimit * 4 + 64 * 1024
        let fileFields: Set<String> = ["qr", "label", "purchase", "authorisation", "attachment"]

        /// A file of the form, under the name the browser gave it, else under what it is for.
        @Sendable func upload(_ form: SubmittedForm, _ field: String, as name: String) -> OwnerTickets.Upload {
            OwnerTickets.Upload(name: form.fileNames[field] ?? name, bytes: form.files[field] ?? [])
        }

        add(.get, "/app/tickets", signedIn: owners) { request, caller in
            let portal = await portal(request, caller)
            let tickets = try await services.tickets.tickets(of: caller.account).map { TicketView.summary($0, portal, services) }
            return portal.page.render("tickets", title: portal.t("ticketsTitle"), ["tickets": tickets, "hasTickets": !tickets.isEmpty])
        }

        add(.get, "/app/tickets/new", signedIn: owners) { request, caller in
            let portal = await portal(request, caller)
            return portal.page.render("ticket-new", title: portal.t("ticketNewTitle"), TicketView.limits(portal, services))
        }

        add(.post, "/app/tickets", signedIn: owners) { request, caller in
            let portal = await portal(request, caller)
            let title = portal.t("ticketNewTitle")
            guard let form = try await portal.form(limit: formLimit, fileFields: fileFields) else {
                return portal.page.render("ticket-new", title: title, status: .forbidden, error: portal.t("form.expired"))
            }
            let opening = OwnerTickets.Opening(
                challenge: form["challenge"], qrPicture: upload(form, "qr", as: "qr-code"),
                labelPhoto: upload(form, "label", as: "label-photo"),
                proofOfPurchase: upload(form, "purchase", as: "proof-of-purchase"), onBehalfOfClient: form["onBehalf"] == "yes",
                authorisation: upload(form, "authorisation", as: "authorisation-letter"), note: form["note"])
            do {
                let ticket = try await services.tickets.open(opening, by: caller.account)
                return portal.page.redirect("/app/tickets/\(ticket.id)?done=ticketOpened")
            } catch let error as PlatformError {
                let failure = PlatformFailure(error)
                var values = TicketView.limits(portal, services)
                values["note"] = form["note"]
                values["challenge"] = form["challenge"]
                values["onBehalf"] = form["onBehalf"] == "yes"
                return portal.page.render(
                    "ticket-new", title: title, status: failure.httpStatus, error: portal.page.message(failure), values)
            }
        }

        add(.get, "/app/tickets/{id}", signedIn: owners, owning: .ticket) { request, caller, ticket in
            let portal = await portal(request, caller)
            return try await TicketView.page(ticket, portal, services, desk: false)
        }

        // The thread, written from either side: the owner's app or the desk.
        for (prefix, access) in [("/app", owners), ("/desk", desk)] {
            add(.post, prefix + "/tickets/{id}/messages", signedIn: access, owning: .ticket) { request, caller, ticket in
                try await Self.ticketForm(
                    request, caller, ticket, services, limit: formLimit, fileFields: fileFields, desk: prefix == "/desk"
                ) { form in
                    try await services.tickets.write(
                        form["text"], files: [upload(form, "attachment", as: "attachment")], to: ticket.id, by: caller.account)
                }
            }
        }

        add(.post, "/app/tickets/{id}/close", signedIn: owners, owning: .ticket) { request, caller, ticket in
            try await Self.ticketForm(request, caller, ticket, services, desk: false) { _ in
                try await services.tickets.close(ticket.id, by: caller.account)
            }
        }

        // The reset file of an approved ticket (recorders); a camera's key is on the page.
        add(.get, "/app/tickets/{id}/reset-file", signedIn: owners, owning: .ticket) { _, _, ticket in
            guard case .resetFile(let name, let xml) = try await services.tickets.result(of: ticket) else {
                throw PlatformError(.notFound, "This ticket gives a reset key, not a file.", localized: .init("ticketNoResult"))
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/xml; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                body: .init(byteBuffer: ByteBuffer(string: xml)))
        }

        // A file of the ticket, for its owner and reviewers: always as a download, never
        // rendered by the platform's origin, so a document cannot act as a page of the portal.
        add(.get, "/tickets/{id}/files/{file}", signedIn: .roles([.owner, .reviewer, .admin]), owning: .ticket) { request, caller, ticket in
            let (file, bytes) = try await services.tickets.file(caller.parameters.get("file") ?? "", of: ticket)
            return Response(
                status: .ok,
                headers: [
                    .contentType: file.mediaType, .contentDisposition: "attachment; filename=\"\(file.name)\"",
                    .init("X-Content-Type-Options")!: "nosniff", .contentSecurityPolicy: "sandbox; default-src 'none'",
                    .cacheControl: "private, no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }

        // MARK: The desk

        add(.get, "/desk/tickets/{id}", signedIn: desk, owning: .ticket) { request, caller, ticket in
            let portal = await portal(request, caller)
            return try await TicketView.page(ticket, portal, services, desk: true)
        }

        add(.post, "/desk/tickets/{id}/approve", signedIn: desk, owning: .ticket) { request, caller, ticket in
            try await Self.ticketForm(request, caller, ticket, services, desk: true) { _ in
                try await services.tickets.approve(ticket.id, by: caller.account)
            }
        }

        add(.post, "/desk/tickets/{id}/reject", signedIn: desk, owning: .ticket) { request, caller, ticket in
            try await Self.ticketForm(request, caller, ticket, services, desk: true) { form in
                try await services.tickets.reject(ticket.id, by: caller.account, why: form["why"])
            }
        }
    }

    /// Runs a form of a ticket's page: a refusal is shown on the page, success reloads it.
    static func ticketForm(
        _ request: Request, _ caller: SignedIn, _ ticket: OwnerTicket, _ services: PlatformServices, limit: Int = 16 * 1024,
        fileFields: Set<String> = [], desk: Bool, _ act: @Sendable (SubmittedForm) async throws -> OwnerTicket
    ) async throws -> Response {
        let portal = await PortalPage.signedIn(request, caller, services)
        guard let form = try await portal.form(limit: limit, fileFields: fileFields) else {
            return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
        }
        do {
            let after = try await act(form)
            return portal.page.redirect((desk ? "/desk/tickets/" : "/app/tickets/") + after.id + "?done=ticketSaved")
        } catch let error as PlatformError {
            let failure = PlatformFailure(error)
            let current = try await services.tickets.find(id: ticket.id) ?? ticket
            return try await TicketView.page(
                current, portal, services, desk: desk, status: failure.httpStatus, error: portal.page.message(failure), text: form["text"])
        }
    }
}

/// What the ticket pages show.
enum TicketView {
    static func stateName(_ ticket: OwnerTicket, _ portal: PortalPage) -> String { portal.t("ticketState." + ticket.state.rawValue) }

    static func summary(_ ticket: OwnerTicket, _ portal: PortalPage, _ services: PlatformServices) -> [String: Any] {
        [
            "id": ticket.id, "serial": ticket.serial, "model": ticket.model, "state": stateName(ticket, portal),
            "stateValue": ticket.state.rawValue, "opened": portal.when(ticket.createdAt, services),
            "updated": portal.when(ticket.updatedAt, services),
        ]
    }

    static func limits(_ portal: PortalPage, _ services: PlatformServices) -> [String: Any] {
        ["limits": portal.t("ticketLimits", ["megabytes": "\(services.settings.ticketFileLimit / 1_048_576)"])]
    }

    static func page(
        _ ticket: OwnerTicket, _ portal: PortalPage, _ services: PlatformServices, desk: Bool, status: HTTPResponse.Status = .ok,
        error: String? = nil, text: String = ""
    ) async throws -> Response {
        let (messages, files) = try await services.tickets.thread(of: ticket)
        var names: [String: String] = [:]
        func author(_ id: String) async throws -> String {
            if let known = names[id] { return known }
            let name = try await services.accounts.account(id: id)?.name ?? ""
            names[id] = name
            return name
        }
        func fileValues(_ file: TicketFile) -> [String: Any] {
            var values: [String: Any] = [
                "id": file.id, "name": file.name, "size": portal.t("ticketFileSize", ["kilobytes": "\(max(1, file.size / 1024))"]),
                "purpose": portal.t("ticketFile." + file.purpose.rawValue), "link": "/tickets/\(ticket.id)/files/\(file.id)",
            ]
            if file.deletedAt != nil { values["deleted"] = portal.t("ticketFileDeletedShort") }
            return values
        }
        var thread: [[String: Any]] = []
        for message in messages {
            thread.append([
                "id": message.id, "author": try await author(message.authorId),
                "role": message.fromReviewer ? portal.t("ticketFromReviewer") : portal.t("ticketFromOwner"),
                "fromReviewer": message.fromReviewer, "when": portal.when(message.createdAt, services), "body": message.body,
                "files": files.filter { $0.messageId == message.id }.map(fileValues),
            ])
        }
        var values = summary(ticket, portal, services)
        values.merge(limits(portal, services)) { _, new in new }
        values["documents"] = files.filter { $0.messageId == nil }.map(fileValues)
        values["thread"] = thread
        values["hasThread"] = !thread.isEmpty
        values["text"] = text
        values["desk"] = desk
        values["base"] = desk ? "/desk/tickets/" + ticket.id : "/app/tickets/" + ticket.id
        values["onBehalf"] = ticket.onBehalfOfClient
        values["owner"] = try await author(ticket.ownerId)
        values["open"] = ticket.state == .waitingForReview || ticket.state == .waitingForOwner
        values["mayWrite"] = !ticket.state.isFinal
        values["mayClose"] = !desk && !ticket.state.isFinal
        values["challengeExpires"] = portal.when(ticket.challengeExpiresAt, services)
        values["stateHint"] = portal.t("ticketStateHint." + ticket.state.rawValue)
        if let why = ticket.rejectText { values["rejectText"] = why }
        if ticket.filesDeletedAt != nil { values["filesDeleted"] = portal.t("ticketFilesDeleted") }
        if desk,
            let enrollment = try await SerialNumber(ticket.serial).asyncMap({ try await services.authority.enrollment(serial: $0) }) ?? nil
        {
            values["enrolled"] = "\(enrollment.model) \(enrollment.serial.text)"
            values["labelCode"] = enrollment.labelCode
        }
        if !desk, ticket.state == .approved {
            switch try await services.tickets.result(of: ticket) {
            case .resetKey(let key): values["resetKey"] = key
            case .resetFile: values["resetFile"] = "/app/tickets/\(ticket.id)/reset-file"
            }
        }
        return portal.page.render(
            desk ? "ticket-desk" : "ticket", title: portal.t("ticketTitle", ["serial": ticket.serial]), status: status, error: error, values
        )
    }
}
