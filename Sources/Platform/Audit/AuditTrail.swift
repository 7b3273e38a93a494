public import Foundation
import Logging
import ReclaimCore
public import ServiceLifecycle

/// The audit log as the rest of the platform reads it: recent entries for the dashboard,
/// pages of entries for the API, the check of the whole chain; and the keeper of its
/// signed checkpoints, written every minute while the log grows and when the server stops.
public final class AuditTrail: Service, Sendable {
    let database: Database
    let log: AuditLog
    let keys: AuthorityKeys
    let checkpointPath: String
    let logger: Logger

    init(database: Database, log: AuditLog, keys: AuthorityKeys, dataDirectory: String, logger: Logger) {
        self.database = database
        self.log = log
        self.keys = keys
        checkpointPath = (dataDirectory as NSString).appendingPathComponent("audit/checkpoint.json")
        self.logger = logger
    }

    /// Entries from `seq` on, oldest first.
    public func entries(from seq: Int64 = 1, limit: Int = 1000) async throws -> [AuditEntry] {
        try await database.read { db in try await AuditLog.entries(db, from: seq, limit: limit) }
    }

    /// Newest entries first, optionally only those about one subject.
    public func recent(about subject: AuditSubject? = nil, limit: Int = 50) async throws -> [AuditEntry] {
        try await database.read { db in try await AuditLog.recent(db, subject: subject?.description, limit: limit) }
    }

    /// Walks the whole chain, checks every entry's seal, and holds the log against the last
    /// signed checkpoint; a checkpoint not signed by this authority is itself a break.
    public func verify() async throws -> AuditLog.Verification {
        let checkpoint = try lastCheckpoint()
        if let checkpoint, !checkpoint.isSigned(by: keys.bundle) {
            return .broken(seq: checkpoint.seq, reason: "the checkpoint file is not signed by this authority")
        }
        return try await log.verify(database, checkpoint: checkpoint)
    }

    /// Records one event in a transaction of its own (events that change nothing else).
    public func record(_ event: AuditEvent, by actor: AuditActor, now: Date = Date()) async throws {
        try await database.transaction { db in _ = try await self.log.record(event, by: actor, in: db, now: now) }
    }

    // MARK: Checkpoints

    /// The checkpoint on file, if any.
    public func lastCheckpoint() throws -> AuditCheckpoint? {
        guard let data = FileManager.default.contents(atPath: checkpointPath) else { return nil }
        do {
            return try JSONDecoder.reclaim.decode(AuditCheckpoint.self, from: data)
        } catch {
            throw PlatformError(.keyStore, "The audit checkpoint \(checkpointPath) cannot be read (\(error)); restore it from a backup.")
        }
    }

    /// Signs the log's head into the checkpoint file, if it moved since the last one.
    public func writeCheckpoint(now: Date = Date()) async throws {
        guard let head = try await database.read({ db in try await AuditLog.head(db) }) else { return }
        if let last = try? lastCheckpoint(), last.seq == head.seq, last.hash == head.hash { return }
        let checkpoint = try AuditCheckpoint.sign(seq: head.seq, hash: head.hash, at: now, keys: keys)
        let folder = (checkpointPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try JSONEncoder.reclaim.encode(checkpoint).write(to: URL(fileURLWithPath: checkpointPath), options: .atomic)
    }

    public func run() async throws {
        // Sleeping is cancelled when the server stops, so the last checkpoint comes at once.
        _ = try? await cancelOnGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(60))
                await self.checkpointQuietly()
            }
        }
        // On the way out, the head as it is now (this service stops last).
        await checkpointQuietly()
    }

    func checkpointQuietly() async {
        do {
            try await writeCheckpoint()
        } catch {
            logger.error("audit checkpoint not written", metadata: ["error": "\(error)"])
        }
    }
}
