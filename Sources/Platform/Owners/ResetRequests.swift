public import Foundation
public import Logging
import ReclaimCore
import SQLKit
public import ServiceLifecycle
import WebSupport

/// Owner-approved password resets (F7): the installer asks from the portal, the owner
/// approves in the owner app with a new password sealed to the device, the platform relays
/// the sealed bytes in an authority-signed command over the cloud link, and both are told
/// how it went. The platform never holds the password: only ciphertext passes through here.
///
/// "On the device's network" means, as this server can see it: the request comes from the
/// same address as the device's cloud link (after trusted proxies). Behind one NAT that is
/// the site's public address. It cannot tell two networks behind one address apart, nor a
/// device whose link leaves by another route; `reset.same-network = off` turns the check
/// off for deployments where every client arrives from one address.
public final class ResetRequests: Service, Sendable {
    let database: Database
    let sites: Sites
    let links: LinkHub
    let auditLog: AuditLog
    let mail: MailQueue
    let settings: ServerSettings
    let logger: Logger

    init(
        database: Database, sites: Sites, links: LinkHub, auditLog: AuditLog, mail: MailQueue, settings: ServerSettings, logger: Logger
    ) {
        self.database = database
        self.sites = sites
        self.links = links
        self.auditLog = auditLog
        self.mail = mail
        self.settings = settings
        self.logger = logger
    }

    // MARK: The installer asks

    /// What the installer's page shows once the request is sent.
    public struct Sent: Sendable {
        public let request: ResetRequest
        /// The owner's address, masked: who will be asked.
        public let ownerEmail: String
    }

    public func request(serial: String, mode: ResetRequest.Mode, by installer: Account, source: String, now: Date = Date()) async throws
        -> Sent
    {
        guard installer.role == .installer, let company = installer.companyId,
            try await sites.access(of: installer, to: serial) == .reset,
            let device = try await sites.ownedDevice(serial: serial),
            let owner = try await database.read({ db in try await AccountTable.find(id: device.ownerId, in: db) })
        else {
            throw PlatformError(.notFound, "No device with this serial is shared with your company.", localized: .init("deviceNotShared"))
        }
        let link = try await links.link(serial: serial)
        if mode == .onSite {
            guard link?.online == true else {
                throw PlatformError(
                    .conflict, "The device is offline: an on-site reset needs it online.", localized: .init("resetDeviceOffline"))
            }
            guard !settings.resetSameNetwork || link?.remoteAddress == source else {
                throw PlatformError(
                    .forbidden, "An on-site reset must be asked for from the device's network; you are on another one.",
                    localized: .init("resetNotOnSite"))
            }
        }
        let stamp = Int64(now.timeIntervalSince1970)
        let request = ResetRequest(
            id: "rr_" + Bytes.hex(Bytes.random(count: 8)), serial: serial, model: device.name, companyId: company,
            requestedBy: installer.id,
            ownerId: owner.id, mode: mode, now: stamp)
        try await database.transaction { [auditLog] db in
            if try await ResetRequestTable.open(serial: serial, in: db) != nil {
                throw PlatformError(
                    .conflict, "A password reset of this device is already waiting; cancel it first or wait for its answer.",
                    localized: .init("resetAlreadyPending"))
            }
            try await ResetRequestTable.insert(request, in: db)
            _ = try await auditLog.record(
                .resetRequested(id: request.id, serial: serial, mode: mode.rawValue), by: installer.actor, in: db, now: now)
            try await notices.post("reset.requested", about: request.id, to: [owner.id], in: db, now: stamp)
            try await notices.post("reset.sent", about: request.id, to: [installer.id], in: db, now: stamp)
        }
        await tell(owner, request, event: "reset.requested")
        return Sent(request: request, ownerEmail: ChallengeSummary.masked(owner.email))
    }

    /// The installer withdraws a request the owner has not answered.
    public func cancel(id: String, by installer: Account, now: Date = Date()) async throws -> ResetRequest {
        try await change(id, by: installer, event: "reset.cancelled", now: now) { request, stamp in
            guard request.companyId == installer.companyId else { return false }
            try request.cancel(now: stamp)
            return true
        }
    }

    // MARK: The owner answers

    /// The owner approves with the new password sealed to the device (``SealedPassword``).
    public func approve(id: String, sealedPassword: [UInt8], by owner: Account, source: String, now: Date = Date()) async throws
        -> ResetRequest
    {
        let sealed: SealedPassword
        do {
            sealed = try SealedPassword(bytes: sealedPassword)
        } catch {
            throw PlatformError(
                .invalidInput, "The sealed password is not what the owner app sends.", localized: .init("resetSealedInvalid"))
        }
        guard let request = try await find(id: id), request.ownerId == owner.id else {
            throw PlatformError(.notFound, "No such request for your devices.", localized: .init("resetNotFound"))
        }
        let stamp = Int64(now.timeIntervalSince1970)
        guard request.state == .pending, !request.isExpired(at: stamp) else {
            throw PlatformError(.conflict, "This request is no longer waiting for an answer.", localized: .init("resetNotPending"))
        }
        if request.mode == .offSite, settings.resetSameNetwork {
            let link = try await links.link(serial: request.serial)
            guard link?.online == true, link?.remoteAddress == source else {
                throw PlatformError(
                    .forbidden,
                    "An off-site reset is approved from the device's network: connect your phone to the same network as the device and try again.",
                    localized: .init("resetNotOnDeviceNetwork"))
            }
        }
        guard let serial = SerialNumber(request.serial) else { throw PlatformError(.notFound, "No such device.") }
        // The request is marked approved, with the command's id, before the command goes:
        // a device that answers at once then finds the request waiting for its outcome.
        let commandID = Bytes.random(count: 16)
        let approved = try await change(id, by: owner, event: "reset.approved", now: now) { request, stamp in
            try request.approve(commandId: Bytes.hex(commandID), now: stamp)
            return true
        }
        // The command lives as long as the request has left.
        do {
            try await links.send(
                .setAdminPassword(sealed), to: serial, requestID: request.id, validity: TimeInterval(request.expiresAt - stamp),
                actor: owner.actor, id: commandID)
        } catch {
            logger.error("reset command not sent", metadata: ["request": .string(id), "error": .string("\(error)")])
            return try await change(id, by: nil, event: "reset.failed", now: now) { request, stamp in
                request.commandEnded(
                    applied: false, code: "not-sent", reason: "The platform could not send the command; ask again.", now: stamp)
                return true
            }
        }
        return approved
    }

    public func decline(id: String, by owner: Account, now: Date = Date()) async throws -> ResetRequest {
        try await change(id, by: owner, event: "reset.declined", now: now) { request, stamp in
            guard request.ownerId == owner.id else { return false }
            try request.decline(now: stamp)
            return true
        }
    }

    // MARK: Reading

    public func find(id: String) async throws -> ResetRequest? {
        try await database.read { db in try await ResetRequestTable.find(id: id, in: db) }
    }

    /// The requests an account may see: an owner's devices', or an installer's company's.
    public func list(for account: Account, limit: Int = 50) async throws -> [ResetRequest] {
        try await database.read { db in
            switch account.role {
            case .owner: try await ResetRequestTable.list(column: "owner_id", equals: account.id, limit: limit, in: db)
            case .installer:
                try await account.companyId.asyncMap {
                    try await ResetRequestTable.list(column: "company_id", equals: $0, limit: limit, in: db)
                }
                    ?? []
            case .reviewer, .admin, .distributor: []
            }
        }
    }

    public func isVisible(_ request: ResetRequest, to account: Account) -> Bool {
        request.ownerId == account.id || (account.role == .installer && account.companyId == request.companyId)
    }

    // MARK: Running

    /// Follows the commands to their end and expires requests nobody answered.
    public func run() async throws {
        let outcomes = await links.outcomes()
        try? await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    for await outcome in outcomes { await commandEnded(outcome) }
                }
                group.addTask { [self] in
                    while !Task.isCancelled {
                        await expireOverdue()
                        try await Task.sleep(for: .seconds(2))
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    func commandEnded(_ outcome: DeviceCommandRecord) async {
        guard let request = try? await database.read({ db in try await ResetRequestTable.find(command: outcome.id, in: db) }) else {
            return
        }
        let event: String
        switch outcome.state {
        case .applied: event = "reset.changed"
        case .refused: event = "reset.failed"
        case .expired: event = "reset.expired"
        case .pending: return
        }
        _ = try? await change(request.id, by: nil, event: event, now: Date()) { request, stamp in
            request.commandEnded(applied: outcome.state == .applied, code: outcome.code, reason: outcome.reason, now: stamp)
            return true
        }
    }

    public func expireOverdue(now: Date = Date()) async {
        let stamp = Int64(now.timeIntervalSince1970)
        guard let overdue = try? await database.read({ db in try await ResetRequestTable.overdue(now: stamp, limit: 200, in: db) }) else {
            return
        }
        for request in overdue {
            _ = try? await change(request.id, by: nil, event: "reset.expired", now: now) { request, stamp in request.expire(now: stamp) }
        }
    }

    // MARK: Changing one request

    /// Reads the request, applies `transition`, and writes it with its audit entry and
    /// notifications only if nobody changed it meanwhile; then mails both sides.
    private func change(
        _ id: String, by actor: Account?, event: String, now: Date, _ transition: (inout ResetRequest, Int64) throws -> Bool
    ) async throws -> ResetRequest {
        let stamp = Int64(now.timeIntervalSince1970)
        for _ in 0..<3 {
            guard let before = try await find(id: id), actor.map({ isVisible(before, to: $0) }) ?? true else {
                throw PlatformError(.notFound, "No such request.", localized: .init("resetNotFound"))
            }
            var after = before
            do {
                guard try transition(&after, stamp) else { return before }
            } catch ResetRequest.Refusal.expired {
                throw PlatformError(.conflict, "This request expired.", localized: .init("resetNotPending"))
            } catch {
                throw PlatformError(.conflict, "This request is no longer waiting for an answer.", localized: .init("resetNotPending"))
            }
            let changed = after
            let written = try await database.transaction { [auditLog, changed] db -> Bool in
                let after = changed
                guard try await ResetRequestTable.update(after, from: before, in: db) else { return false }
                _ = try await auditLog.record(
                    .resetChanged(id: after.id, serial: after.serial, state: after.state.rawValue, code: after.failureCode),
                    by: actor?.actor ?? .system, in: db, now: now)
                try await notices.post(event, about: after.id, to: [after.ownerId, after.requestedBy], in: db, now: stamp)
                return true
            }
            if written {
                for accountID in [after.ownerId, after.requestedBy] {
                    if let account = try await database.read({ db in try await AccountTable.find(id: accountID, in: db) }) {
                        let reason = after.failureText(account.preferredLanguage, PortalStrings.catalog) ?? ""
                        await tell(account, after, event: event, extra: ["reason": reason])
                    }
                }
                return after
            }
        }
        throw PlatformError(.conflict, "The request changed meanwhile; look at it again.", localized: .init("resetNotPending"))
    }

    /// The message centre and the mail, as for every other change to a device or a share.
    private var notices: Notices { Notices(database: database, mail: mail, settings: settings) }

    private func tell(_ account: Account, _ request: ResetRequest, event: String, extra: [String: String] = [:]) async {
        let language = account.preferredLanguage
        let link = settings.publicURL + (account.role == .owner ? "/app/requests/" : "/sites/requests/") + request.id
        let company = (try? await database.read { db in try await CompanyTable.find(id: request.companyId, in: db)?.name }) ?? nil
        var values = ["serial": request.serial, "model": request.model, "link": link, "company": company ?? request.companyId]
        values["mode"] = PortalStrings.catalog.text("resetMode." + request.mode.rawValue, language).lowercased()
        values["until"] = language.dateTime(
            Date(timeIntervalSince1970: TimeInterval(request.expiresAt)), timeZone: TimeZone(identifier: settings.caseTimeZone) ?? .current)
        values.merge(extra) { _, new in new }
        mail.enqueue(MailMessage(to: account.email, MailTemplates.deviceEvent(event, values: values, language: language)))
    }
}
