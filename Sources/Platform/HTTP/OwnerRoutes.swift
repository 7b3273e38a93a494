import Foundation
import Hummingbird
import ReclaimCore

/// An owner-approved reset as the API shows it to its owner and to the installers who asked.
struct ResetRequestView: Encodable {
    let id: String
    let serial: String
    let model: String
    let mode: String
    let state: String
    let createdAt: Date
    let expiresAt: Date
    let failureCode: String?
    let failureReason: String?

    init(_ request: ResetRequest) {
        id = request.id
        serial = request.serial
        model = request.model
        mode = request.mode.rawValue
        state = request.state.rawValue
        createdAt = Date(timeIntervalSince1970: TimeInterval(request.createdAt))
        expiresAt = Date(timeIntervalSince1970: TimeInterval(request.expiresAt))
        failureCode = request.failureCode
        failureReason = request.failureReason
    }
}

extension OwnedObject where Object == ResetRequest {
    /// A reset request: seen by the device's owner, by the company that asked, by reviewers and administrators.
    static let resetRequest = OwnedObject(
        kind: "reset-request", parameter: "id", find: { id, services in try await services.resets.find(id: id) },
        isVisible: { request, account in
            account.role == .reviewer || account.role == .admin || request.ownerId == account.id
                || (account.role == .installer && account.companyId == request.companyId)
        })
}

extension OwnedObject where Object == Site {
    /// An owner's site: seen by its owner, by reviewers and administrators.
    static let site = OwnedObject(
        kind: "site", parameter: "id",
        find: { id, services in try await services.sites.site(id: id) },
        isVisible: { site, account in site.ownerId == account.id || account.role == .reviewer || account.role == .admin })
}

/// A site's share with a company, and who owns the site: only they may end it.
struct OwnedShare: Sendable {
    let share: SiteShare
    let ownerId: String
}

extension OwnedObject where Object == OwnedShare {
    static let share = OwnedObject(
        kind: "share", parameter: "id",
        find: { id, services in
            try await services.database.read { db in
                guard let share = try await SiteShareTable.find(id: id, in: db),
                    let site = try await SiteTable.find(id: share.siteId, in: db)
                else { return nil }
                return OwnedShare(share: share, ownerId: site.ownerId)
            }
        },
        isVisible: { value, account in value.ownerId == account.id })
}

extension GuardedRouter {
    mutating func addOwnerRoutes() {
        let services = services

        // Owners: sites, devices, shares.
        add(.get, "/api/v1/sites", signedIn: .roles([.owner, .installer])) { _, caller in
            struct SiteView: Encodable {
                let id: String
                let name: String
                let devices: [String]
                let shares: [SiteShare]
            }
            if caller.account.role == .installer, let company = caller.account.companyId {
                return APIResponse.json(
                    try await services.sites.sharedSites(with: company).map {
                        SiteView(id: $0.site.id, name: $0.site.name, devices: $0.devices.map(\.serial), shares: [$0.share])
                    })
            }
            let devices = try await services.sites.devices(of: caller.account)
            var views: [SiteView] = []
            for site in try await services.sites.sites(of: caller.account) {
                views.append(
                    SiteView(
                        id: site.id, name: site.name, devices: devices.filter { $0.siteId == site.id }.map(\.serial),
                        shares: try await services.sites.shares(of: site.id)))
            }
            return APIResponse.json(views)
        }
        add(.post, "/api/v1/sites", signedIn: .roles([.owner])) { request, caller in
            struct Body: Decodable { let name: String }
            let body = try await APIBody.decode(Body.self, request, limit: 4096, hint: "Send {\"name\": \"…\"}.")
            return APIResponse.json(try await services.sites.createSite(name: body.name, by: caller.account), status: .created)
        }
        add(.post, "/api/v1/sites/{id}/devices", signedIn: .roles([.owner]), owning: .site) { request, caller, site in
            struct Body: Decodable {
                let serial: String
                let verificationCode: String
                let name: String?
            }
            let body = try await APIBody.decode(
                Body.self, request, limit: 4096, hint: "Send {\"serial\": \"…\", \"verificationCode\": \"the code on the label\"}.")
            let device = try await services.sites.addDevice(
                serial: body.serial, labelCode: body.verificationCode, name: body.name, site: site.id, by: caller.account)
            return APIResponse.json(device, status: .created)
        }
        add(.post, "/api/v1/sites/{id}/shares", signedIn: .roles([.owner]), owning: .site) { request, caller, site in
            struct Body: Decodable {
                let company: String
                let mayReset: Bool?
            }
            let body = try await APIBody.decode(Body.self, request, limit: 4096, hint: "Send {\"company\": \"co_…\", \"mayReset\": true}.")
            let share = try await services.sites.share(
                site: site.id, with: body.company, mayReset: body.mayReset ?? true, by: caller.account)
            return APIResponse.json(share, status: .created)
        }
        add(.post, "/api/v1/shares/{id}/revoke", signedIn: .roles([.owner]), owning: .share) { _, caller, owned in
            try await services.sites.revoke(share: owned.share.id, by: caller.account)
            return Response(status: .noContent)
        }

        // The owner-approved reset.
        add(.post, "/api/v1/devices/{serial}/reset-requests", signedIn: .roles([.installer]), owning: .device) { request, caller, device in
            struct Body: Decodable { let mode: ResetRequest.Mode }
            let body = try await APIBody.decode(
                Body.self, request, limit: 4096, hint: "Send {\"mode\": \"off-site\"} or {\"mode\": \"on-site\"}.")
            let sent = try await services.resets.request(serial: device.serial, mode: body.mode, by: caller.account, source: caller.source)
            struct Answer: Encodable {
                let request: ResetRequestView
                let ownerEmail: String
            }
            return APIResponse.json(Answer(request: ResetRequestView(sent.request), ownerEmail: sent.ownerEmail), status: .created)
        }
        add(.get, "/api/v1/reset-requests", signedIn: .roles([.owner, .installer])) { _, caller in
            APIResponse.json(try await services.resets.list(for: caller.account).map(ResetRequestView.init))
        }
        add(.get, "/api/v1/reset-requests/{id}", signedIn: .signedIn, owning: .resetRequest) { _, _, value in
            APIResponse.json(ResetRequestView(value))
        }
        add(.post, "/api/v1/reset-requests/{id}/approve", signedIn: .roles([.owner]), owning: .resetRequest) { request, caller, value in
            struct Body: Decodable { let sealedPassword: String }
            let body = try await APIBody.decode(
                Body.self, request, limit: 8192, hint: "Send {\"sealedPassword\": \"base64 of the password sealed to the device's key\"}.")
            guard let bytes = Bytes.fromBase64(body.sealedPassword) else {
                throw PlatformError(.invalidInput, "sealedPassword must be base64.", localized: .init("resetSealedInvalid"))
            }
            let approved = try await services.resets.approve(id: value.id, sealedPassword: bytes, by: caller.account, source: caller.source)
            return APIResponse.json(ResetRequestView(approved))
        }
        add(.post, "/api/v1/reset-requests/{id}/decline", signedIn: .roles([.owner]), owning: .resetRequest) { _, caller, value in
            APIResponse.json(ResetRequestView(try await services.resets.decline(id: value.id, by: caller.account)))
        }
        add(.post, "/api/v1/reset-requests/{id}/cancel", signedIn: .roles([.installer]), owning: .resetRequest) { _, caller, value in
            APIResponse.json(ResetRequestView(try await services.resets.cancel(id: value.id, by: caller.account)))
        }
    }
}
