import Foundation
import SQLKit

/// A site of an owner: a place whose devices are shared together.
public struct Site: Sendable, Codable, Equatable {
    public let id: String
    public let ownerId: String
    public let name: String
    public let createdAt: Int64
}

/// A device in an owner's account, on one of their sites.
public struct OwnedDevice: Sendable, Codable, Equatable {
    public let serial: String
    public let ownerId: String
    public let siteId: String
    public let name: String
    public let addedAt: Int64
}

/// A site shared with an installer company, or asked for by one.
public struct SiteShare: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// An installer's authorisation request, waiting for the owner.
        case requested
        case active
        case revoked
        case declined
    }
    public let id: String
    public let siteId: String
    public let companyId: String
    /// Whether the company may ask for owner-approved password resets on the site's devices.
    public let mayReset: Bool
    public let state: State
    public let requestedBy: String?
    public let createdAt: Int64
    public let updatedAt: Int64
}

/// `sites`, `owned_devices` and `site_shares`. Only `Sites` calls them.
enum SiteTable {
    static func insert(_ site: Site, in db: any SQLDatabase) async throws {
        try await db.insert(into: "sites").model(Row(site)).run()
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> Site? {
        try await db.select().columns("*").from("sites").where("id", .equal, id).first(decoding: Row.self).map(\.value)
    }

    static func list(owner: String, in db: any SQLDatabase) async throws -> [Site] {
        try await db.select().columns("*").from("sites").where("owner_id", .equal, owner).orderBy("created_at").all(decoding: Row.self)
            .map(\.value)
    }

    struct Row: Codable {
        let id: String
        let owner_id: String
        let name: String
        let created_at: Int64
        init(_ site: Site) {
            id = site.id
            owner_id = site.ownerId
            name = site.name
            created_at = site.createdAt
        }
        var value: Site { Site(id: id, ownerId: owner_id, name: name, createdAt: created_at) }
    }
}

enum OwnedDeviceTable {
    static func insert(_ device: OwnedDevice, in db: any SQLDatabase) async throws {
        try await db.insert(into: "owned_devices").model(Row(device)).run()
    }

    static func find(serial: String, in db: any SQLDatabase) async throws -> OwnedDevice? {
        try await db.select().columns("*").from("owned_devices").where("serial", .equal, serial).first(decoding: Row.self).map(\.value)
    }

    static func list(owner: String, in db: any SQLDatabase) async throws -> [OwnedDevice] {
        try await db.select().columns("*").from("owned_devices").where("owner_id", .equal, owner).orderBy("added_at")
            .all(decoding: Row.self).map(\.value)
    }

    static func list(site: String, in db: any SQLDatabase) async throws -> [OwnedDevice] {
        try await db.select().columns("*").from("owned_devices").where("site_id", .equal, site).orderBy("added_at")
            .all(decoding: Row.self).map(\.value)
    }

    /// Moves a device to another owner's site (a second-hand claim that ran its course).
    static func move(serial: String, to owner: String, site: String, at now: Int64, in db: any SQLDatabase) async throws {
        try await db.update("owned_devices").set("owner_id", to: owner).set("site_id", to: site).set("added_at", to: now)
            .where("serial", .equal, serial).run()
    }

    struct Row: Codable {
        let serial: String
        let owner_id: String
        let site_id: String
        let name: String
        let added_at: Int64
        init(_ device: OwnedDevice) {
            serial = device.serial
            owner_id = device.ownerId
            site_id = device.siteId
            name = device.name
            added_at = device.addedAt
        }
        var value: OwnedDevice { OwnedDevice(serial: serial, ownerId: owner_id, siteId: site_id, name: name, addedAt: added_at) }
    }
}

enum SiteShareTable {
    static func insert(_ share: SiteShare, in db: any SQLDatabase) async throws {
        try await db.insert(into: "site_shares").model(Row(share)).run()
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> SiteShare? {
        try await db.select().columns("*").from("site_shares").where("id", .equal, id).first(decoding: Row.self).map(\.value)
    }

    static func setState(id: String, _ state: SiteShare.State, at now: Int64, in db: any SQLDatabase) async throws {
        try await db.update("site_shares").set("state", to: state.rawValue).set("updated_at", to: now).where("id", .equal, id).run()
    }

    static func list(site: String, in db: any SQLDatabase) async throws -> [SiteShare] {
        try await db.select().columns("*").from("site_shares").where("site_id", .equal, site).orderBy("created_at")
            .all(decoding: Row.self).map(\.value)
    }

    static func list(company: String, states: [SiteShare.State], in db: any SQLDatabase) async throws -> [SiteShare] {
        try await db.select().columns("*").from("site_shares").where("company_id", .equal, company)
            .where("state", .in, states.map(\.rawValue)).orderBy("created_at").all(decoding: Row.self).map(\.value)
    }

    /// The active share of `site` with `company`, if any.
    static func active(site: String, company: String, in db: any SQLDatabase) async throws -> SiteShare? {
        try await db.select().columns("*").from("site_shares").where("site_id", .equal, site).where("company_id", .equal, company)
            .where("state", .equal, SiteShare.State.active.rawValue).first(decoding: Row.self).map(\.value)
    }

    struct Row: Codable {
        let id: String
        let site_id: String
        let company_id: String
        let may_reset: Int
        let state: String
        let requested_by: String?
        let created_at: Int64
        let updated_at: Int64
        init(_ share: SiteShare) {
            id = share.id
            site_id = share.siteId
            company_id = share.companyId
            may_reset = share.mayReset ? 1 : 0
            state = share.state.rawValue
            requested_by = share.requestedBy
            created_at = share.createdAt
            updated_at = share.updatedAt
        }
        var value: SiteShare {
            SiteShare(
                id: id, siteId: site_id, companyId: company_id, mayReset: may_reset == 1,
                state: SiteShare.State(rawValue: state) ?? .revoked,
                requestedBy: requested_by, createdAt: created_at, updatedAt: updated_at)
        }
    }
}

/// `reset_requests`: each owner-approved reset as JSON (`record`) beside the columns it is
/// found by. Only `ResetRequests` calls it.
enum ResetRequestTable {
    static func insert(_ value: ResetRequest, in db: any SQLDatabase) async throws {
        try await db.insert(into: "reset_requests")
            .columns("id", "serial", "company_id", "owner_id", "state", "command_id", "expires_at", "created_at", "record")
            .values(
                SQLBind(value.id), SQLBind(value.serial), SQLBind(value.companyId), SQLBind(value.ownerId), SQLBind(value.state.rawValue),
                SQLBind(value.commandId), SQLBind(value.expiresAt), SQLBind(value.createdAt), SQLBind(try record(value))
            ).run()
    }

    /// Writes a changed request only if nobody changed it since `before`; false if someone did.
    static func update(_ value: ResetRequest, from before: ResetRequest, in db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE reset_requests SET state = \(bind: value.state.rawValue), command_id = \(bind: value.commandId),
              record = \(bind: try record(value))
            WHERE id = \(bind: value.id) AND record = \(bind: try record(before))
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> ResetRequest? {
        try await db.select().column("record").from("reset_requests").where("id", .equal, id)
            .first(decodingColumn: "record", as: String.self).map(decode)
    }

    static func find(command: String, in db: any SQLDatabase) async throws -> ResetRequest? {
        try await db.select().column("record").from("reset_requests").where("command_id", .equal, command)
            .first(decodingColumn: "record", as: String.self).map(decode)
    }

    static func open(serial: String, in db: any SQLDatabase) async throws -> ResetRequest? {
        try await db.select().column("record").from("reset_requests").where("serial", .equal, serial)
            .where("state", .in, [ResetRequest.State.pending.rawValue, ResetRequest.State.approved.rawValue])
            .first(decodingColumn: "record", as: String.self).map(decode)
    }

    static func list(column: String, equals value: String, limit: Int, in db: any SQLDatabase) async throws -> [ResetRequest] {
        try await db.select().column("record").from("reset_requests").where(SQLIdentifier(column), .equal, value)
            .orderBy("created_at", .descending).limit(limit).all(decodingColumn: "record", as: String.self).map(decode)
    }

    /// Cancels the request of `serial` still waiting for its owner (the device changed hands).
    static func closeOpen(serial: String, now: Int64, in db: any SQLDatabase) async throws {
        guard let before = try await open(serial: serial, in: db), before.state == .pending else { return }
        var after = before
        try? after.cancel(now: now)
        _ = try await update(after, from: before, in: db)
    }

    /// Pending requests whose time ran out by `now`.
    static func overdue(now: Int64, limit: Int, in db: any SQLDatabase) async throws -> [ResetRequest] {
        try await db.select().column("record").from("reset_requests").where("state", .equal, ResetRequest.State.pending.rawValue)
            .where("expires_at", .lessThanOrEqual, now).limit(limit).all(decodingColumn: "record", as: String.self).map(decode)
    }

    static func record(_ value: ResetRequest) throws -> String {
        String(decoding: try JSONEncoder.caseRecord.encode(value), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> ResetRequest {
        try JSONDecoder().decode(ResetRequest.self, from: Data(text.utf8))
    }
}
