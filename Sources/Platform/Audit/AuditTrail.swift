public import Foundation

/// The audit log as the rest of the platform reads it: recent entries for the dashboard,
/// pages of entries for the API, and the check of the whole chain.
public struct AuditTrail: Sendable {
    let database: Database

    /// Entries from `seq` on, oldest first.
    public func entries(from seq: Int64 = 1, limit: Int = 1000) async throws -> [AuditEntry] {
        try await database.read { db in try await AuditLog.entries(db, from: seq, limit: limit) }
    }

    /// Newest entries first, optionally only those about one subject.
    public func recent(about subject: AuditSubject? = nil, limit: Int = 50) async throws -> [AuditEntry] {
        try await database.read { db in try await AuditLog.recent(db, subject: subject?.description, limit: limit) }
    }

    /// Walks the whole chain; see ``AuditLog/verify(_:)``.
    public func verify() async throws -> AuditLog.Verification {
        try await AuditLog.verify(database)
    }

    /// Records one event in a transaction of its own (events that change nothing else).
    public func record(_ event: AuditEvent, by actor: AuditActor, now: Date = Date()) async throws {
        try await database.transaction { db in _ = try await AuditLog.record(event, by: actor, in: db, now: now) }
    }
}
