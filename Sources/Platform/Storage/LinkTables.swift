import Foundation
import SQLKit

/// Whether a device's cloud link is up, on which platform instance, since when. One row
/// per device that ever linked; only `LinkHub` writes it.
public struct DeviceLinkRecord: Sendable, Codable, Equatable {
    public let serial: String
    /// The platform instance holding the link (each `reclaim-server` process has its own id).
    public let instance: String
    public let online: Bool
    /// When the link came up (online) or went down (offline), Unix seconds.
    public let since: Int64
    public let lanAddress: String
    /// The address the link connects from, as the platform sees it (after trusted proxies).
    public let remoteAddress: String
    public let firmware: String
    public let activated: Bool
    public let lastSeen: Int64
}

enum DeviceLinkTable {
    /// Records a link that came up; `linkID` names this one connection (see ``markOffline``).
    static func upsert(_ link: DeviceLinkRecord, linkID: String, in db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO device_links (serial, instance, link_id, online, since, lan_address, remote_address, firmware, activated, last_seen)
            VALUES (\(bind: link.serial), \(bind: link.instance), \(bind: linkID), \(bind: link.online ? 1 : 0), \(bind: link.since),
              \(bind: link.lanAddress), \(bind: link.remoteAddress), \(bind: link.firmware), \(bind: link.activated ? 1 : 0),
              \(bind: link.lastSeen))
            ON CONFLICT (serial) DO UPDATE SET instance = excluded.instance, link_id = excluded.link_id, online = excluded.online,
              since = excluded.since,
              lan_address = excluded.lan_address, remote_address = excluded.remote_address, firmware = excluded.firmware,
              activated = excluded.activated, last_seen = excluded.last_seen
            """
        ).run()
    }

    /// Marks the link of `serial` down, if it is still the connection `linkID` (a device that
    /// linked again meanwhile, here or on another instance, stays online).
    static func markOffline(serial: String, linkID: String, at now: Int64, in db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE device_links SET online = 0, since = \(bind: now), last_seen = \(bind: now)
            WHERE serial = \(bind: serial) AND link_id = \(bind: linkID) AND online = 1
            """
        ).run()
    }

    /// Every link an instance held: at its start, links it held before a crash are down.
    static func markInstanceOffline(_ instance: String, at now: Int64, in db: any SQLDatabase) async throws {
        try await db.raw(
            "UPDATE device_links SET online = 0, since = \(bind: now) WHERE instance = \(bind: instance) AND online = 1"
        ).run()
    }

    static func touch(serial: String, instance: String, lanAddress: String, activated: Bool, at now: Int64, in db: any SQLDatabase)
        async throws
    {
        try await db.raw(
            """
            UPDATE device_links SET last_seen = \(bind: now), lan_address = \(bind: lanAddress), activated = \(bind: activated ? 1 : 0)
            WHERE serial = \(bind: serial) AND instance = \(bind: instance)
            """
        ).run()
    }

    static func find(_ serial: String, in db: any SQLDatabase) async throws -> DeviceLinkRecord? {
        try await db.select().columns("*").from("device_links").where("serial", .equal, serial).first().map(record)
    }

    static func record(_ row: any SQLRow) throws -> DeviceLinkRecord {
        DeviceLinkRecord(
            serial: try row.decode(column: "serial", as: String.self), instance: try row.decode(column: "instance", as: String.self),
            online: try row.decode(column: "online", as: Int.self) == 1, since: try row.decode(column: "since", as: Int64.self),
            lanAddress: try row.decode(column: "lan_address", as: String.self),
            remoteAddress: try row.decode(column: "remote_address", as: String.self),
            firmware: try row.decode(column: "firmware", as: String.self),
            activated: try row.decode(column: "activated", as: Int.self) == 1,
            lastSeen: try row.decode(column: "last_seen", as: Int64.self))
    }
}

/// A command on its way to a device, and how it ended.
public struct DeviceCommandRecord: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Waiting for the device (offline, or not yet acknowledged).
        case pending
        case applied
        case refused
        /// Its validity ended before the device acknowledged it.
        case expired
    }
    public let id: String
    public let serial: String
    public let requestID: String
    public let state: State
    /// When refused: the device's error code and words.
    public let code: String?
    public let reason: String?
    public let expiresAt: Int64
    public let createdAt: Int64
    public let updatedAt: Int64
}

/// The `device_commands` table: each command's signed message (`message`, the link's JSON),
/// kept until it ends, so a command survives a platform restart and reaches a device that
/// links again within its validity.
enum DeviceCommandTable {
    static func insert(_ record: DeviceCommandRecord, message: String, in db: any SQLDatabase) async throws {
        try await db.insert(into: "device_commands")
            .columns("id", "serial", "request_id", "message", "state", "code", "reason", "expires_at", "created_at", "updated_at")
            .values(
                SQLBind(record.id), SQLBind(record.serial), SQLBind(record.requestID), SQLBind(message), SQLBind(record.state.rawValue),
                SQLBind(record.code), SQLBind(record.reason), SQLBind(record.expiresAt), SQLBind(record.createdAt),
                SQLBind(record.updatedAt)
            ).run()
    }

    /// The messages of the live pending commands of `serial`, oldest first.
    /// The pending commands of `serial`, oldest first: each one's id and its wire message.
    static func pendingMessages(serial: String, now: Int64, in db: any SQLDatabase) async throws -> [(id: String, message: String)] {
        try await db.select().column("id").column("message").from("device_commands").where("serial", .equal, serial)
            .where("state", .equal, DeviceCommandRecord.State.pending.rawValue).where("expires_at", .greaterThan, now)
            .orderBy("created_at").all().map { row in
                (try row.decode(column: "id", as: String.self), try row.decode(column: "message", as: String.self))
            }
    }

    /// Ends a pending command; false when it had ended already (a second ack changes nothing).
    static func finish(id: String, state: DeviceCommandRecord.State, code: String?, reason: String?, at now: Int64, in db: any SQLDatabase)
        async throws -> Bool
    {
        let rows = try await db.raw(
            """
            UPDATE device_commands SET state = \(bind: state.rawValue), code = \(bind: code), reason = \(bind: reason),
              updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'pending'
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Pending commands whose validity ended by `now`.
    static func overdue(now: Int64, limit: Int, in db: any SQLDatabase) async throws -> [DeviceCommandRecord] {
        try await db.select().columns("*").from("device_commands").where("state", .equal, DeviceCommandRecord.State.pending.rawValue)
            .where("expires_at", .lessThanOrEqual, now).limit(limit).all().map(record)
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> DeviceCommandRecord? {
        try await db.select().columns("*").from("device_commands").where("id", .equal, id).first().map(record)
    }

    static func record(_ row: any SQLRow) throws -> DeviceCommandRecord {
        DeviceCommandRecord(
            id: try row.decode(column: "id", as: String.self), serial: try row.decode(column: "serial", as: String.self),
            requestID: try row.decode(column: "request_id", as: String.self),
            state: DeviceCommandRecord.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .pending,
            code: try row.decode(column: "code", as: String?.self), reason: try row.decode(column: "reason", as: String?.self),
            expiresAt: try row.decode(column: "expires_at", as: Int64.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }
}
