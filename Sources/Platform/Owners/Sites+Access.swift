public import Foundation
import ReclaimCore
import SQLKit

/// Authorisation requests ("Richiesta di autorizzazione"): an installer company asks an
/// owner, by the address of their owner-app account, for access to their devices, saying
/// why and whether it asks to reset passwords. The owner accepts it for one of their sites
/// (the share then exists as if the owner had made it) or declines it. Both are told.
extension Sites {
    public func requestAccess(ownerEmail: String, note: String, mayReset: Bool, by installer: Account, now: Date = Date()) async throws
        -> AccessRequest
    {
        guard installer.role == .installer, let company = installer.companyId else {
            throw PlatformError(.forbidden, "Only installer accounts send authorisation requests.", localized: .init("installersOnly"))
        }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...300).contains(text.count) else {
            throw PlatformError(
                .invalidInput, "Say in 1 to 300 characters what the access is for.", localized: .init("accessNoteInvalid"))
        }
        let address = ownerEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let owner = try await database.read({ db in try await AccountTable.find(email: address, in: db) }), owner.role == .owner
        else {
            throw PlatformError(
                .notFound, "No owner account has this address: ask the owner for the address they sign in to the owner app with.",
                localized: .init("accessOwnerUnknown"))
        }
        let stamp = Int64(now.timeIntervalSince1970)
        let request = AccessRequest(
            id: "ar_" + Bytes.hex(Bytes.random(count: 8)), companyId: company, requestedBy: installer.id, ownerId: owner.id, note: text,
            mayReset: mayReset, state: .pending, shareId: nil, createdAt: stamp, updatedAt: stamp)
        try await database.transaction { [auditLog, notices] db in
            try await AccessRequestTable.insert(request, in: db)
            _ = try await auditLog.record(
                .accessRequested(id: request.id, company: company, owner: owner.id), by: installer.actor, in: db, now: now)
            try await notices.post("access.requested", about: request.id, to: [owner.id], in: db, now: stamp)
        }
        let companyName = try await database.read { db in try await CompanyTable.find(id: company, in: db)?.name } ?? company
        await notices.mail(
            "access.requested", template: "mail.share", to: [owner.id],
            values: ["company": companyName, "note": text, "site": "", "owner": owner.name], path: "/app#access")
        return request
    }

    /// The owner accepts the request for the site `choice` names, made with the share when
    /// new (the share may reset only if the request asked for it and `allowReset` agrees),
    /// or declines it (`choice` nil).
    public func answerAccess(id: String, site choice: SiteChoice?, allowReset: Bool, by owner: Account, now: Date = Date()) async throws
        -> AccessRequest
    {
        try requireOwner(owner)
        let stamp = Int64(now.timeIntervalSince1970)
        let (answered, site, share) = try await database.transaction { [auditLog, notices] db -> (AccessRequest, Site?, SiteShare?) in
            guard var request = try await AccessRequestTable.find(id: id, in: db), request.ownerId == owner.id else {
                throw PlatformError(.notFound, "No such authorisation request for you.", localized: .init("accessNotFound"))
            }
            guard request.state == .pending else {
                throw PlatformError(.conflict, "This request was answered already.", localized: .init("accessAnswered"))
            }
            var site: Site?
            var share: SiteShare?
            if let choice {
                let found = try await self.site(choice, of: owner, in: db, now: now)
                site = found
                if let active = try await SiteShareTable.active(site: found.id, company: request.companyId, in: db) {
                    share = active
                } else {
                    share = try await grant(
                        found, to: request.companyId, mayReset: request.mayReset && allowReset, requestedBy: request.requestedBy,
                        by: owner, in: db, now: now)
                }
                request.state = .accepted
                request.shareId = share?.id
            } else {
                request.state = .declined
                try await notices.post("access.declined", about: request.id, to: [request.requestedBy], in: db, now: stamp)
            }
            request.updatedAt = stamp
            guard try await AccessRequestTable.settle(request, in: db) else {
                throw PlatformError(.conflict, "This request was answered already.", localized: .init("accessAnswered"))
            }
            _ = try await auditLog.record(
                .accessAnswered(id: request.id, company: request.companyId, state: request.state.rawValue, share: request.shareId),
                by: owner.actor, in: db, now: now)
            return (request, site, share)
        }
        if let site, let share {
            await toldOfShare("share.granted", share, site: site, owner: owner)
        } else {
            let company = try await database.read { db in try await CompanyTable.find(id: answered.companyId, in: db)?.name }
            await notices.mail(
                "access.declined", template: "mail.share", to: [answered.requestedBy],
                values: ["company": company ?? answered.companyId, "owner": owner.name, "site": ""], path: "/sites")
        }
        return answered
    }

    /// The requests an owner received, or an installer's company sent, newest first.
    public func accessRequests(for account: Account) async throws -> [AccessRequest] {
        try await database.read { db in
            switch account.role {
            case .owner: try await AccessRequestTable.list(column: "owner_id", equals: account.id, limit: 50, in: db)
            case .installer:
                try await account.companyId.asyncMap {
                    try await AccessRequestTable.list(column: "company_id", equals: $0, limit: 50, in: db)
                }
                    ?? []
            case .reviewer, .admin, .distributor: []
            }
        }
    }
}
