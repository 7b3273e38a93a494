public import Foundation
import ReclaimCore
import SQLKit

/// Where a device, a claim or an accepted share goes: a site the owner has, or a new one,
/// made in the same transaction as what goes into it so that a refusal leaves no empty
/// site behind.
public enum SiteChoice: Sendable, Equatable {
    case existing(id: String)
    case new(name: String)

    /// A form's site menu (`new`, or nothing, for a new site) and its new-site name field.
    public init(menu site: String, newName: String) {
        self = site.isEmpty || site == "new" ? .new(name: newName) : .existing(id: site)
    }
}

/// Owners' devices and sites, and the installer companies they share them with.
///
/// Rules that hold everywhere here: a device has at most one owner; adding it takes the
/// label's verification code (what the authority enrolled), and adding one held by another
/// account is refused without saying whose it is. A company sees a device only through an
/// active share of the device's site; revoking the share ends that at once.
public struct Sites: Sendable {
    let database: Database
    let authority: RecoveryAuthority
    let auditLog: AuditLog
    let throttle: Throttle
    let notices: Notices

    /// Wrong label codes an owner may type in an hour before adding devices waits.
    static let labelAttemptsPerHour = 10

    // MARK: Owners

    /// Creates a site for `owner`.
    public func createSite(name: String, by owner: Account, now: Date = Date()) async throws -> Site {
        try requireOwner(owner)
        return try await database.transaction { db in try await site(.new(name: name), of: owner, in: db, now: now) }
    }

    /// Checks `choice` before anything is written: the site is the owner's, or the new
    /// one's name will do.
    func check(_ choice: SiteChoice, of owner: Account) async throws {
        switch choice {
        case .existing: _ = try await database.read { db in try await site(choice, of: owner, in: db, now: Date()) }
        case .new(let name): _ = try Self.newSite(named: name, of: owner, now: Date())
        }
    }

    /// The site `choice` names, inside the caller's transaction: found and checked to be
    /// `owner`'s, or made (and on record) with whatever the transaction writes into it.
    func site(_ choice: SiteChoice, of owner: Account, in db: any SQLDatabase, now: Date) async throws -> Site {
        switch choice {
        case .existing(let id):
            guard let site = try await SiteTable.find(id: id, in: db), site.ownerId == owner.id else {
                throw PlatformError(.notFound, "No such site in your account.", localized: .init("siteNotFound"))
            }
            return site
        case .new(let name):
            let site = try Self.newSite(named: name, of: owner, now: now)
            try await SiteTable.insert(site, in: db)
            _ = try await auditLog.record(.siteCreated(id: site.id, name: site.name), by: owner.actor, in: db, now: now)
            return site
        }
    }

    static func newSite(named name: String, of owner: Account, now: Date) throws -> Site {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(trimmed.count) else {
            throw PlatformError(.invalidInput, "Give the site a name of 1 to 80 characters.", localized: .init("siteNameInvalid"))
        }
        return Site(
            id: "st_" + Bytes.hex(Bytes.random(count: 8)), ownerId: owner.id, name: trimmed, createdAt: Int64(now.timeIntervalSince1970))
    }

    /// Adds a device to `owner`'s site by its serial and the verification code on its label.
    public func addDevice(serial text: String, labelCode: String, name: String?, site siteID: String, by owner: Account, now: Date = Date())
        async throws -> OwnedDevice
    {
        try await addDevice(serial: text, labelCode: labelCode, name: name, into: .existing(id: siteID), by: owner, now: now)
    }

    /// Adds a device by its serial and label code to a site of `owner`'s, or to a new one
    /// made only when the device goes into it.
    public func addDevice(
        serial text: String, labelCode: String, name: String?, into choice: SiteChoice, by owner: Account, now: Date = Date()
    )
        async throws -> OwnedDevice
    {
        try requireOwner(owner)
        try await check(choice, of: owner)
        let (serial, record) = try await checkLabel(serial: text, code: labelCode, by: owner, now: now)
        let added = try await database.transaction { [auditLog] db -> OwnedDevice? in
            if let existing = try await OwnedDeviceTable.find(serial: serial.text, in: db) {
                return existing.ownerId == owner.id ? existing : nil
            }
            let site = try await site(choice, of: owner, in: db, now: now)
            let device = OwnedDevice(
                serial: serial.text, ownerId: owner.id, siteId: site.id, name: (name?.isEmpty == false ? name! : record.model),
                addedAt: Int64(now.timeIntervalSince1970))
            try await OwnedDeviceTable.insert(device, in: db)
            _ = try await auditLog.record(.deviceAdded(serial: serial.text, site: site.id), by: owner.actor, in: db, now: now)
            return device
        }
        guard let added else {
            // On record on its own: the refusal is not rolled back with what was not written.
            try await database.transaction { [auditLog] db in
                _ = try await auditLog.record(
                    .deviceAddRefused(serial: serial.text, why: "owned by another account"), by: owner.actor, in: db, now: now)
            }
            throw PlatformError(
                .conflict,
                "This device is already in another account. If it came to you second-hand, restore its factory settings, connect it to the internet, and claim it with \"Claim a second-hand device\": its owner is told and may object.",
                localized: .init("deviceOwnedElsewhere"))
        }
        return added
    }

    /// Shares `site` with an installer company; `mayReset` lets it ask for owner-approved resets.
    /// The company's installers are told.
    public func share(site siteID: String, with companyID: String, mayReset: Bool, by owner: Account, now: Date = Date()) async throws
        -> SiteShare
    {
        try requireOwner(owner)
        let (share, site, isNew) = try await database.transaction { db -> (SiteShare, Site, Bool) in
            guard let site = try await SiteTable.find(id: siteID, in: db), site.ownerId == owner.id else {
                throw PlatformError(.notFound, "No such site in your account.", localized: .init("siteNotFound"))
            }
            if let active = try await SiteShareTable.active(site: site.id, company: companyID, in: db) { return (active, site, false) }
            return (try await grant(site, to: companyID, mayReset: mayReset, requestedBy: nil, by: owner, in: db, now: now), site, true)
        }
        if isNew { await toldOfShare("share.granted", share, site: site, owner: owner) }
        return share
    }

    /// Writes a new active share of `site` and tells the company's installers (in `db`).
    func grant(
        _ site: Site, to companyID: String, mayReset: Bool, requestedBy: String?, by owner: Account, in db: any SQLDatabase, now: Date
    ) async throws -> SiteShare {
        guard try await CompanyTable.find(id: companyID, in: db) != nil else {
            throw PlatformError(.notFound, "No installer company has this code.", localized: .init("companyNotFound"))
        }
        let stamp = Int64(now.timeIntervalSince1970)
        let share = SiteShare(
            id: "sh_" + Bytes.hex(Bytes.random(count: 8)), siteId: site.id, companyId: companyID, mayReset: mayReset, state: .active,
            requestedBy: requestedBy, createdAt: stamp, updatedAt: stamp)
        try await SiteShareTable.insert(share, in: db)
        _ = try await auditLog.record(
            .siteShared(site: site.id, company: companyID, share: share.id, mayReset: mayReset), by: owner.actor, in: db, now: now)
        try await notices.post(
            "share.granted", about: share.id, to: try await AccountTable.members(of: companyID, in: db).map(\.id), in: db, now: stamp)
        return share
    }

    /// Mails the company's installers what became of a share of `site`.
    func toldOfShare(_ event: String, _ share: SiteShare, site: Site, owner: Account) async {
        let company = (try? await database.read { db in try await CompanyTable.find(id: share.companyId, in: db) }) ?? nil
        await notices.mail(
            event, template: "mail.share", to: (try? await notices.installers(of: share.companyId)) ?? [],
            values: ["owner": owner.name, "site": site.name, "company": company?.name ?? share.companyId], path: "/sites")
    }

    /// Ends a share: the company loses access to the site's devices at once, and its installers are told.
    public func revoke(share shareID: String, by owner: Account, now: Date = Date()) async throws {
        let ended = try await database.transaction { [auditLog, notices] db -> (SiteShare, Site)? in
            guard let share = try await SiteShareTable.find(id: shareID, in: db),
                let site = try await SiteTable.find(id: share.siteId, in: db), site.ownerId == owner.id
            else {
                throw PlatformError(.notFound, "No such share in your account.", localized: .init("shareNotFound"))
            }
            guard share.state == .active || share.state == .requested else { return nil }
            let ended: SiteShare.State = share.state == .active ? .revoked : .declined
            let stamp = Int64(now.timeIntervalSince1970)
            try await SiteShareTable.setState(id: share.id, ended, at: stamp, in: db)
            _ = try await auditLog.record(
                .shareEnded(site: site.id, company: share.companyId, share: share.id, state: ended.rawValue), by: owner.actor, in: db,
                now: now)
            try await notices.post(
                "share.revoked", about: share.id, to: try await AccountTable.members(of: share.companyId, in: db).map(\.id), in: db,
                now: stamp)
            return (share, site)
        }
        if let (share, site) = ended { await toldOfShare("share.revoked", share, site: site, owner: owner) }
    }

    public func site(id: String) async throws -> Site? {
        try await database.read { db in try await SiteTable.find(id: id, in: db) }
    }

    public func sites(of owner: Account) async throws -> [Site] {
        try await database.read { db in try await SiteTable.list(owner: owner.id, in: db) }
    }

    public func devices(of owner: Account) async throws -> [OwnedDevice] {
        try await database.read { db in try await OwnedDeviceTable.list(owner: owner.id, in: db) }
    }

    public func shares(of siteID: String) async throws -> [SiteShare] {
        try await database.read { db in try await SiteShareTable.list(site: siteID, in: db) }
    }

    public func ownedDevice(serial: String) async throws -> OwnedDevice? {
        try await database.read { db in try await OwnedDeviceTable.find(serial: serial, in: db) }
    }

    // MARK: Who sees what

    /// What `account` may do with the device `serial`: nothing, see it, or also ask for resets.
    public enum DeviceAccess: Int, Sendable, Comparable {
        case none, view, reset
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public func access(of account: Account, to serial: String) async throws -> DeviceAccess {
        if account.role == .reviewer || account.role == .admin { return .view }
        guard let device = try await ownedDevice(serial: serial) else { return .none }
        if account.role == .owner { return device.ownerId == account.id ? .reset : .none }
        guard account.role == .installer, let company = account.companyId,
            let share = try await database.read({ db in try await SiteShareTable.active(site: device.siteId, company: company, in: db) })
        else { return .none }
        return share.mayReset ? .reset : .view
    }

    /// The sites shared with `company` now, with their devices.
    public func sharedSites(with company: String) async throws -> [(site: Site, share: SiteShare, devices: [OwnedDevice])] {
        try await database.read { db in
            var result: [(site: Site, share: SiteShare, devices: [OwnedDevice])] = []
            for share in try await SiteShareTable.list(company: company, states: [.active], in: db) {
                guard let site = try await SiteTable.find(id: share.siteId, in: db) else { continue }
                result.append((site, share, try await OwnedDeviceTable.list(site: site.id, in: db)))
            }
            return result
        }
    }

    /// The serial and verification code of a device's label, checked against what the
    /// authority enrolled; wrong pairs count against the owner's hourly allowance.
    func checkLabel(serial text: String, code labelCode: String, by owner: Account, now: Date) async throws -> (
        SerialNumber, DeviceEnrollment
    ) {
        let used = try await throttle.count(.labelCode, owner.id, window: 3600, now: now)
        guard used < Self.labelAttemptsPerHour else {
            throw PlatformError(
                .throttled, "Too many wrong verification codes; try again within the hour.",
                retryAfter: try await throttle.windowEnd(.labelCode, owner.id, window: 3600), localized: .init("deviceAddThrottled"))
        }
        let code = labelCode.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard let serial = SerialNumber(text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()),
            let record = try await authority.enrollment(serial: serial), Bytes.constantTimeEqual(record.labelCode, code)
        else {
            // The same answer whether the serial is unknown or the code wrong: neither is confirmed.
            _ = try await throttle.hit(.labelCode, owner.id, window: 3600, now: now)
            try await database.transaction { [auditLog] db in
                _ = try await auditLog.record(
                    .deviceAddRefused(serial: String(text.prefix(64)), why: "serial or code"), by: owner.actor, in: db, now: now)
            }
            throw PlatformError(
                .invalidInput, "The serial number and the verification code on the label do not match a device. Check both on the label.",
                localized: .init("deviceAddMismatch"))
        }
        return (serial, record)
    }

    func requireOwner(_ account: Account) throws {
        guard account.role == .owner else {
            throw PlatformError(.forbidden, "Only owner accounts keep devices and sites.", localized: .init("ownersOnly"))
        }
    }
}
