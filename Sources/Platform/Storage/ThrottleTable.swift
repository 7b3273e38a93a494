import Foundation
import SQLKit

/// What a throttle counts, each in its own fixed windows.
enum ThrottleBucket: String, Sendable, CaseIterable {
    /// Failed sign-ins to one account.
    case loginAccount = "login-account"
    /// Failed sign-ins from one address.
    case loginSource = "login-source"
    /// Sign-ups from one address.
    case signupSource = "signup-source"
    /// QR codes handed in for reserved-e-mail recovery from one address.
    case emailSource = "email-source"
    /// Messages the recovery mailbox took from one address.
    case mailboxSource = "mailbox-source"
    /// Verification codes mailed for one device.
    case emailDevice = "email-device"
    /// Verification codes mailed to one reserved address.
    case emailAddress = "email-address"
    /// Forgotten-password requests from one address.
    case passwordResetSource = "reset-source"
    /// Password-reset links mailed to one account's address.
    case passwordResetAddress = "reset-address"
    /// Wrong certification codes typed for one company.
    case certificationCode = "certification-code"
    /// Wrong label verification codes typed by one owner adding devices.
    case labelCode = "label-code"
    /// Invitations a company sent to colleagues.
    case invitation = "invitation"
    /// Tickets one owner opened.
    case ticket = "ticket"
}

/// Counters in fixed time windows, kept in SQL (the `throttle` table) so every server
/// instance behind a load balancer counts together.
struct Throttle: Sendable {
    let database: Database

    /// Counts one more hit for `subject` in `bucket`; returns the hits in the current window.
    func hit(_ bucket: ThrottleBucket, _ subject: String, window: Int64, now: Date) async throws -> Int {
        let bucket = bucket.rawValue
        let at = Int64(now.timeIntervalSince1970)
        let cutoff = at - window
        return try await database.write { db in
            // One statement, so concurrent hits never lose a count.
            let row = try await db.raw(
                """
                INSERT INTO throttle (bucket, subject, window_start, hits) VALUES (\(bind: bucket), \(bind: subject), \(bind: at), 1)
                ON CONFLICT (bucket, subject) DO UPDATE SET
                  hits = CASE WHEN throttle.window_start <= \(bind: cutoff) THEN 1 ELSE throttle.hits + 1 END,
                  window_start = CASE WHEN throttle.window_start <= \(bind: cutoff) THEN \(bind: at) ELSE throttle.window_start END
                RETURNING hits
                """
            ).first()
            return try row?.decode(column: "hits", as: Int.self) ?? 1
        }
    }

    /// The hits for `subject` in the current window, without counting one.
    func count(_ bucket: ThrottleBucket, _ subject: String, window: Int64, now: Date) async throws -> Int {
        let bucket = bucket.rawValue
        let cutoff = Int64(now.timeIntervalSince1970) - window
        return try await database.read { db in
            try await db.select().column("hits").from("throttle")
                .where("bucket", .equal, bucket).where("subject", .equal, subject).where("window_start", .greaterThan, cutoff)
                .first(decodingColumn: "hits", as: Int.self) ?? 0
        }
    }

    /// When the window that holds `subject`'s hits ends.
    func windowEnd(_ bucket: ThrottleBucket, _ subject: String, window: Int64) async throws -> Date? {
        let bucket = bucket.rawValue
        return try await database.read { db in
            try await db.select().column("window_start").from("throttle")
                .where("bucket", .equal, bucket).where("subject", .equal, subject)
                .first(decodingColumn: "window_start", as: Int64.self)
                .map { Date(timeIntervalSince1970: TimeInterval($0 + window)) }
        }
    }

    /// Takes back one hit that turned out not to be a failure (a right password).
    func giveBack(_ bucket: ThrottleBucket, _ subject: String) async throws {
        let bucket = bucket.rawValue
        try await database.write { db in
            try await db.update("throttle").set(SQLColumn("hits"), to: SQLRaw("hits - 1"))
                .where("bucket", .equal, bucket).where("subject", .equal, subject).where("hits", .greaterThan, 0).run()
        }
    }

    func clear(_ bucket: ThrottleBucket, _ subject: String) async throws {
        let bucket = bucket.rawValue
        try await database.write { db in
            try await db.delete(from: "throttle").where("bucket", .equal, bucket).where("subject", .equal, subject).run()
        }
    }
}
