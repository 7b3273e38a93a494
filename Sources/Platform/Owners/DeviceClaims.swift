public import Foundation
public import Logging
import ReclaimCore
import SQLKit
public import ServiceLifecycle

/// Second-hand devices. Whoever holds a device that is in someone else's account can
/// claim it: they prove they hold it (the label's verification code, and the device, back
/// to its factory settings, linked to the platform and not yet activated), the current
/// owner is told and has a grace period (`claims.grace-hours`, 72 by default) to object;
/// then the device moves to the claimant's site. The installer companies the old site was
/// shared with lose it with the move, and the old owner's history stays theirs.
public final class DeviceClaims: Service, Sendable {
    let database: Database
    let sites: Sites
    let links: LinkHub
    let history: DeviceHistory
    let notices: Notices
    let auditLog: AuditLog
    let settings: ServerSettings
    let logger: Logger

    init(
        database: Database, sites: Sites, links: LinkHub, history: DeviceHistory, notices: Notices, auditLog: AuditLog,
        settings: ServerSettings, logger: Logger
    ) {
        self.database = database
        self.sites = sites
        self.links = links
        self.history = history
        self.notices = notices
        self.auditLog = auditLog
        self.settings = settings
        self.logger = logger
    }

    public func claim(serial text: String, labelCode: String, site siteID: String, by claimant: Account, now: Date = Date()) async throws
        -> DeviceClaim
    {
        try await claim(serial: text, labelCode: labelCode, into: .existing(id: siteID), by: claimant, now: now)
    }

    /// A claim whose device goes, once it moves, into a site of the claimant's or a new one
    /// made with the claim.
    public func claim(serial text: String, labelCode: String, into choice: SiteChoice, by claimant: Account, now: Date = Date())
        async throws -> DeviceClaim
    {
        try sites.requireOwner(claimant)
        try await sites.check(choice, of: claimant)
        let (serial, _) = try await sites.checkLabel(serial: text, code: labelCode, by: claimant, now: now)
        guard let device = try await sites.ownedDevice(serial: serial.text), device.ownerId != claimant.id else {
            throw PlatformError(
                .conflict, "This device is in no other account: add it with \"Add device\".", localized: .init("claimNotNeeded"))
        }
        // Holding the label is not enough: the device itself must be back to its factory
        // settings, as its own link says.
        guard let link = try await links.link(serial: serial.text), link.online, !link.activated else {
            throw PlatformError(
                .conflict,
                "Restore the device's factory settings and connect it to the internet first: a claim needs the device itself, not yet activated, linked to Reclaim.",
                localized: .init("claimNeedsFactoryReset"))
        }
        let stamp = Int64(now.timeIntervalSince1970)
        let claim = try await database.transaction { [auditLog, notices, sites, settings] db in
            guard try await DeviceClaimTable.pending(serial: serial.text, in: db) == nil else {
                throw PlatformError(
                    .conflict, "This device is already being claimed; wait for that claim to end.", localized: .init("claimPending"))
            }
            let site = try await sites.site(choice, of: claimant, in: db, now: now)
            let claim = DeviceClaim(
                id: "dc_" + Bytes.hex(Bytes.random(count: 8)), serial: serial.text, claimantId: claimant.id, ownerId: device.ownerId,
                siteId: site.id, state: .pending, decidesAt: stamp + Int64(settings.claimGrace), createdAt: stamp, updatedAt: stamp)
            try await DeviceClaimTable.insert(claim, in: db)
            _ = try await auditLog.record(
                .claimOpened(id: claim.id, serial: claim.serial, claimant: claimant.id), by: claimant.actor, in: db, now: now)
            try await notices.post("claim.started", about: claim.id, to: [claim.ownerId, claim.claimantId], in: db, now: stamp)
            return claim
        }
        await history.record(serial: claim.serial, kind: .claimed, method: "claim", source: claim.id, at: now, tell: false)
        await tell("claim.started", claim, device: device)
        return claim
    }

    /// The current owner objects: the device stays.
    public func object(id: String, by owner: Account, now: Date = Date()) async throws -> DeviceClaim {
        try await settle(id, to: .objected, by: owner, now: now) { $0.ownerId == owner.id }
    }

    /// The claimant gives up.
    public func withdraw(id: String, by claimant: Account, now: Date = Date()) async throws -> DeviceClaim {
        try await settle(id, to: .withdrawn, by: claimant, now: now) { $0.claimantId == claimant.id }
    }

    public func claims(for account: Account) async throws -> [DeviceClaim] {
        try await database.read { db in try await DeviceClaimTable.list(account: account.id, in: db) }
    }

    /// Moves the devices whose grace period ended without an objection.
    public func moveDue(now: Date = Date()) async {
        let stamp = Int64(now.timeIntervalSince1970)
        guard let due = try? await database.read({ db in try await DeviceClaimTable.due(now: stamp, in: db) }) else { return }
        for claim in due {
            do {
                _ = try await settle(claim.id, to: .moved, by: nil, now: now) { _ in true }
            } catch {
                logger.error("claim not settled", metadata: ["claim": .string(claim.id), "error": .string("\(error)")])
            }
        }
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.moveDue()
                try await Task.sleep(for: .seconds(30))
            }
        }
    }

    private func settle(
        _ id: String, to state: DeviceClaim.State, by actor: Account?, now: Date, _ allowed: @Sendable (DeviceClaim) -> Bool
    ) async throws -> DeviceClaim {
        let stamp = Int64(now.timeIntervalSince1970)
        let settled = try await database.transaction { [auditLog, notices] db -> DeviceClaim in
            guard var claim = try await DeviceClaimTable.find(id: id, in: db), allowed(claim) else {
                throw PlatformError(.notFound, "No such claim for you.", localized: .init("claimNotFound"))
            }
            guard claim.state == .pending else {
                throw PlatformError(.conflict, "This claim has ended already.", localized: .init("claimEnded"))
            }
            claim.state = state
            claim.updatedAt = stamp
            guard try await DeviceClaimTable.settle(claim, in: db) else {
                throw PlatformError(.conflict, "This claim has ended already.", localized: .init("claimEnded"))
            }
            if state == .moved {
                try await OwnedDeviceTable.move(serial: claim.serial, to: claim.claimantId, site: claim.siteId, at: stamp, in: db)
                // Requests the old owner could still answer end with the move.
                try await ResetRequestTable.closeOpen(serial: claim.serial, now: stamp, in: db)
            }
            _ = try await auditLog.record(
                .claimSettled(id: claim.id, serial: claim.serial, state: state.rawValue), by: actor?.actor ?? .system, in: db, now: now)
            try await notices.post("claim.\(state.rawValue)", about: claim.id, to: [claim.ownerId, claim.claimantId], in: db, now: stamp)
            return claim
        }
        if let device = try await sites.ownedDevice(serial: settled.serial) {
            await tell("claim.\(state.rawValue)", settled, device: device)
        }
        return settled
    }

    private func tell(_ event: String, _ claim: DeviceClaim, device: OwnedDevice) async {
        await notices.mail(
            event, template: "mail.device", to: [claim.ownerId, claim.claimantId], values: ["serial": claim.serial, "model": device.name],
            dates: ["until": Date(timeIntervalSince1970: TimeInterval(claim.decidesAt))], path: "/app")
    }
}
