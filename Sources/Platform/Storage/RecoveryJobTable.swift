import Foundation
import SQLKit

/// A reserved-e-mail hand-in that was answered "received" and waits for its work.
struct RecoveryJob: Sendable, Codable, Equatable {
    let id: String
    let challenge: String
    let source: String
    let receivedAt: Int64
}

/// The `email_recovery_jobs` table: the queue of accepted hand-ins. It is durable, so an
/// answered hand-in is never dropped — not by a full queue, not by a restart — and shared,
/// so several servers on one PostgreSQL take each job once (a claim is a conditional update).
enum RecoveryJobTable {
    static func insert(_ job: RecoveryJob, in db: any SQLDatabase) async throws {
        try await db.insert(into: "email_recovery_jobs").columns("id", "challenge", "source", "received_at")
            .values(SQLBind(job.id), SQLBind(job.challenge), SQLBind(job.source), SQLBind(job.receivedAt)).run()
    }

    static func count(in db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "jobs").from("email_recovery_jobs")
            .first(decodingColumn: "jobs", as: Int.self) ?? 0
    }

    /// Claims the oldest job nobody holds (or whose holder went quiet before `staleBefore`).
    static func claimNext(now: Int64, staleBefore: Int64, in db: any SQLDatabase) async throws -> RecoveryJob? {
        try await db.raw(
            """
            UPDATE email_recovery_jobs SET claimed_at = \(bind: now)
            WHERE id = (SELECT id FROM email_recovery_jobs WHERE claimed_at IS NULL OR claimed_at < \(bind: staleBefore)
                        ORDER BY received_at, id LIMIT 1)
              AND (claimed_at IS NULL OR claimed_at < \(bind: staleBefore))
            RETURNING id, challenge, source, received_at
            """
        ).first(decoding: RecoveryJob.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    static func delete(id: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "email_recovery_jobs").where("id", .equal, id).run()
    }
}
