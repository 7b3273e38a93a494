import Foundation
import HTTPTypes
import Hummingbird
import ReclaimCore
import ServiceLifecycle
import WebSupport

/// The owner app's device page (state and reset history), authorisation requests on both
/// sides, second-hand claims, and the live feed (`/events`) that lets open pages follow
/// what happens without reloading.
extension OwnedObject where Object == AccessRequest {
    /// An installer company's authorisation request: answered by the owner it asks, only.
    static let accessRequest = OwnedObject(
        kind: "access-request", parameter: "id",
        find: { id, services in try await services.database.read { db in try await AccessRequestTable.find(id: id, in: db) } },
        isVisible: { request, account in request.ownerId == account.id })
}

extension OwnedObject where Object == DeviceClaim {
    /// A second-hand claim: the device's owner may object, the claimant withdraw; nobody else sees it.
    static let claim = OwnedObject(
        kind: "claim", parameter: "id",
        find: { id, services in try await services.database.read { db in try await DeviceClaimTable.find(id: id, in: db) } },
        isVisible: { claim, account in claim.ownerId == account.id || claim.claimantId == account.id })
}

extension GuardedRouter {
    mutating func addOwnerAccessPages() {
        let services = services
        @Sendable func portal(_ request: Request, _ caller: SignedIn) async -> PortalPage {
            await PortalPage.signedIn(request, caller, services)
        }
        let owners: Access = .roles([.owner])
        let installers: Access = .roles([.installer])

        // MARK: The device page and its history

        add(.get, "/app/devices/{serial}", signedIn: owners, owning: .device) { request, caller, device in
            let portal = await portal(request, caller)
            var rows: [(at: Int64, values: [String: Any])] = []
            for event in try await services.history.history(serial: device.serial, owner: caller.account) {
                // The same names the owner's mail uses.
                let method = DeviceHistory.methodText(event, portal.page.language)
                rows.append(
                    (
                        event.createdAt,
                        [
                            "when": portal.when(event.createdAt, services), "kind": event.kind.rawValue,
                            "what": portal.t("history." + event.kind.rawValue, ["method": method]), "source": event.source,
                        ]
                    ))
            }
            for value in try await services.resets.list(for: caller.account, limit: 100) where value.serial == device.serial {
                let company = try await services.accounts.company(id: value.companyId)?.name ?? value.companyId
                rows.append(
                    (
                        value.updatedAt,
                        [
                            "when": portal.when(value.updatedAt, services), "kind": "reset-request",
                            "what": portal.t(
                                "history.reset-request", ["company": company, "state": portal.t("resetState." + value.state.rawValue)]),
                            "source": value.id, "link": "/app/requests/" + value.id,
                        ]
                    ))
            }
            var claims: [[String: Any]] = []
            for claim in try await services.claims.claims(for: caller.account)
            where claim.serial == device.serial && claim.state == .pending {
                claims.append(["id": claim.id, "until": portal.when(claim.decidesAt, services), "mine": claim.ownerId == caller.account.id])
            }
            return portal.page.render(
                "app-device", title: "\(device.model) \(device.serial)",
                [
                    "serial": device.serial, "model": device.model, "online": device.online,
                    "onlineText": portal.t(device.online ? "deviceOnline" : "deviceOffline"),
                    "since": device.since.map { portal.when(Int64($0.timeIntervalSince1970), services) } ?? "",
                    "history": rows.sorted { $0.at > $1.at }.map(\.values), "claims": claims,
                ])
        }

        // MARK: Authorisation requests

        add(.post, "/sites/access", signedIn: installers) { request, caller in
            let portal = await portal(request, caller)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            do {
                _ = try await services.sites.requestAccess(
                    ownerEmail: form["email"], note: form["note"], mayReset: form["mayReset"] == "true", by: caller.account)
            } catch let error as PlatformError {
                // An address the owner does not sign in with, mostly: corrected in place.
                let failure = PlatformFailure(error)
                return try await InstallerSites(services: services, portal: portal, account: caller.account).render(
                    status: failure.httpStatus, error: portal.page.message(failure), typed: form)
            }
            return portal.page.redirect("/sites?done=accessSent")
        }

        add(.post, "/app/access/{id}", signedIn: owners, owning: .accessRequest) { request, caller, access in
            let portal = await portal(request, caller)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            let id = access.id
            if form["answer"] == "accept" {
                do {
                    _ = try await services.sites.answerAccess(
                        id: id, site: SiteChoice(menu: form["site"], newName: form["siteName"]), allowReset: form["mayReset"] == "true",
                        by: caller.account)
                } catch let error as PlatformError {
                    // A new site without a name, say: the request stays to be answered, on the page.
                    let failure = PlatformFailure(error)
                    return try await OwnerHome(services: services, portal: portal, account: caller.account)
                        .render(status: failure.httpStatus, error: portal.page.message(failure))
                }
                return portal.page.redirect("/app?done=accessAccepted")
            }
            _ = try await services.sites.answerAccess(id: id, site: nil, allowReset: false, by: caller.account)
            return portal.page.redirect("/app?done=accessDeclined")
        }

        // MARK: Second-hand claims

        add(.post, "/app/claims", signedIn: owners) { request, caller in
            let portal = await portal(request, caller)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            do {
                _ = try await services.claims.claim(
                    serial: form["serial"], labelCode: form["code"], into: SiteChoice(menu: form["site"], newName: form["siteName"]),
                    by: caller.account)
            } catch let error as PlatformError {
                return try await OwnerHome(services: services, portal: portal, account: caller.account).refused(error, "claim", form)
            }
            return portal.page.redirect("/app?done=claimSent")
        }

        add(.post, "/app/claims/{id}/object", signedIn: owners, owning: .claim) { request, caller, claim in
            let portal = await portal(request, caller)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            _ = try await services.claims.object(id: claim.id, by: caller.account)
            return portal.page.redirect("/app?done=claimObjected")
        }

        add(.post, "/app/claims/{id}/withdraw", signedIn: owners, owning: .claim) { request, caller, claim in
            let portal = await portal(request, caller)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            _ = try await services.claims.withdraw(id: claim.id, by: caller.account)
            return portal.page.redirect("/app?done=claimWithdrawn")
        }

        // MARK: Live updates

        // Server-sent events: "change" whenever the caller gets a new message (a request
        // answered, a command's outcome, a share). Open pages fetch themselves again and
        // swap their live parts; the stream ends after a while and the browser reconnects.
        add(.get, "/events", signedIn: .signedIn) { request, caller in
            // Only a browser's EventSource asks for the stream; anything else would hold a
            // connection for nothing.
            guard request.headers[.accept]?.contains("text/event-stream") == true else {
                return Response(
                    status: .notAcceptable, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(
                        byteBuffer: ByteBuffer(string: "The live feed of the owner app's pages: ask with Accept: text/event-stream.\n")))
            }
            let account = caller.account.id
            let database = services.database
            let body = ResponseBody { writer in
                var last = try await database.read { db in try await NotificationTable.newest(account: account, in: db) }
                try await writer.write(ByteBuffer(string: "retry: 1000\n: live\n\n"))
                let started = ContinuousClock.now
                // A server stopping does not wait for the stream: the browser reconnects elsewhere.
                while ContinuousClock.now - started < .seconds(55), !Task.isShuttingDownGracefully, !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(700))
                    let newest = try await database.read { db in try await NotificationTable.newest(account: account, in: db) }
                    if newest != last {
                        last = newest
                        try await writer.write(ByteBuffer(string: "event: change\ndata: \(newest ?? "")\n\n"))
                    }
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
                body: body)
        }
    }
}
