import Foundation
import SQLKit

/// Something that happened to a device (its password, its owner, its firmware), kept for
/// its owner's history.
public struct DeviceEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The password was reset on the device (`method`: `guidFile`, `securityQuestions`,
        /// `reservedEmail`, `supportKey`, `supportFile`, `ownerApproval`, `factoryReset`).
        case recovered
        /// The authority issued a way in (`method`: `reset-key`, `reset-file`, `verification-code`).
        case issued
        /// The device moved to another account after a second-hand claim, or a claim began.
        case claimed
        /// A firmware was installed on the device (`method`: the version now installed).
        case firmwareInstalled = "firmware-installed"
    }
    public let id: String
    public let serial: String
    public let ownerId: String
    public let kind: Kind
    public let method: String
    /// Where it came from: a LAN address, "reset button", a support case id, a claim id.
    public let source: String
    public let createdAt: Int64
}

/// An installer company's authorisation request ("Richiesta di autorizzazione"): it asks an
/// owner for access; the owner accepts it for one of their sites, or declines.
public struct AccessRequest: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case pending, accepted, declined, withdrawn
    }
    public let id: String
    public let companyId: String
    public let requestedBy: String
    public let ownerId: String
    /// What the installer says of the work ("maintenance contract", …).
    public let note: String
    /// Whether the company asks to be allowed owner-approved password resets.
    public let mayReset: Bool
    public var state: State
    /// The share the owner's acceptance made.
    public var shareId: String?
    public let createdAt: Int64
    public var updatedAt: Int64
}

/// A second-hand device claimed by a new holder: the current owner may object until
/// `decidesAt`; then the device moves.
public struct DeviceClaim: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case pending, moved, objected, withdrawn
    }
    public let id: String
    public let serial: String
    public let claimantId: String
    public let ownerId: String
    /// The claimant's site the device moves to.
    public let siteId: String
    public var state: State
    public let decidesAt: Int64
    public let createdAt: Int64
    public var updatedAt: Int64
}

/// `device_events`, `access_requests` and `device_claims`.
enum DeviceEventTable {
    static func insert(_ event: DeviceEvent, in db: any SQLDatabase) async throws {
        try await db.insert(into: "device_events").model(event, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    static func list(serial: String, owner: String, limit: Int, in db: any SQLDatabase) async throws -> [DeviceEvent] {
        try await db.select().column("*").from("device_events").where("serial", .equal, serial).where("owner_id", .equal, owner)
            .orderBy("created_at", .descending).limit(limit).all(decoding: DeviceEvent.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}

enum AccessRequestTable {
    static func insert(_ value: AccessRequest, in db: any SQLDatabase) async throws {
        try await db.insert(into: "access_requests")
            .columns("id", "company_id", "requested_by", "owner_id", "note", "may_reset", "state", "share_id", "created_at", "updated_at")
            .values(
                SQLBind(value.id), SQLBind(value.companyId), SQLBind(value.requestedBy), SQLBind(value.ownerId), SQLBind(value.note),
                SQLBind(value.mayReset ? 1 : 0), SQLBind(value.state.rawValue), SQLBind(value.shareId), SQLBind(value.createdAt),
                SQLBind(value.updatedAt)
            ).run()
    }

    /// Moves a pending request on; false when it was no longer pending.
    static func settle(_ value: AccessRequest, in db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.update("access_requests").set("state", to: value.state.rawValue).set("share_id", to: value.shareId)
            .set("updated_at", to: value.updatedAt).where("id", .equal, value.id).where(
                "state", .equal, AccessRequest.State.pending.rawValue
            )
            .returning("id").all()
        return !rows.isEmpty
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> AccessRequest? {
        try await db.select().column("*").from("access_requests").where("id", .equal, id).first().map(decode)
    }

    static func list(column: String, equals value: String, limit: Int, in db: any SQLDatabase) async throws -> [AccessRequest] {
        try await db.select().column("*").from("access_requests").where(SQLIdentifier(column), .equal, value)
            .orderBy("created_at", .descending).limit(limit).all().map(decode)
    }

    private static func decode(_ row: any SQLRow) throws -> AccessRequest {
        AccessRequest(
            id: try row.decode(column: "id", as: String.self), companyId: try row.decode(column: "company_id", as: String.self),
            requestedBy: try row.decode(column: "requested_by", as: String.self),
            ownerId: try row.decode(column: "owner_id", as: String.self),
            note: try row.decode(column: "note", as: String.self), mayReset: try row.decode(column: "may_reset", as: Int.self) == 1,
            state: AccessRequest.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .withdrawn,
            shareId: try row.decode(column: "share_id", as: String?.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }
}

enum DeviceClaimTable {
    static func insert(_ claim: DeviceClaim, in db: any SQLDatabase) async throws {
        try await db.insert(into: "device_claims").model(claim, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// Moves a pending claim on; false when it was no longer pending.
    static func settle(_ claim: DeviceClaim, in db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.update("device_claims").set("state", to: claim.state.rawValue).set("updated_at", to: claim.updatedAt)
            .where("id", .equal, claim.id).where("state", .equal, DeviceClaim.State.pending.rawValue).returning("id").all()
        return !rows.isEmpty
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> DeviceClaim? {
        try await db.select().column("*").from("device_claims").where("id", .equal, id)
            .first(decoding: DeviceClaim.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    static func pending(serial: String, in db: any SQLDatabase) async throws -> DeviceClaim? {
        try await db.select().column("*").from("device_claims").where("serial", .equal, serial)
            .where("state", .equal, DeviceClaim.State.pending.rawValue)
            .first(decoding: DeviceClaim.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    static func list(account: String, in db: any SQLDatabase) async throws -> [DeviceClaim] {
        try await db.select().column("*").from("device_claims").where("claimant_id", .equal, account).orWhere("owner_id", .equal, account)
            .orderBy("created_at", .descending).limit(50).all(decoding: DeviceClaim.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    static func due(now: Int64, in db: any SQLDatabase) async throws -> [DeviceClaim] {
        try await db.select().column("*").from("device_claims").where("state", .equal, DeviceClaim.State.pending.rawValue)
            .where("decides_at", .lessThanOrEqual, now).limit(100)
            .all(decoding: DeviceClaim.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}
