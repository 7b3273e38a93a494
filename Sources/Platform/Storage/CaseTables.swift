import Foundation
import SQLKit

/// The `support_cases` table: each case as JSON (`record`), beside the columns it is
/// found by. Only `SupportCases` calls it.
enum SupportCaseTable {
    static func insert(_ value: SupportCase, in db: any SQLDatabase) async throws {
        try await db.insert(into: "support_cases")
            .columns(
                "id", "company_id", "opened_by", "serial", "state", "checked", "awaits_review", "photo_hash", "due_at", "created_at",
                "updated_at", "record"
            )
            .values(
                SQLBind(value.id), SQLBind(value.companyId), SQLBind(value.openedBy), SQLBind(value.serial), SQLBind(value.state.rawValue),
                SQLBind(value.checked ? 1 : 0), SQLBind(value.awaitsReview ? 1 : 0), SQLBind(value.photoHash), SQLBind(dueAt(value)),
                SQLBind(value.createdAt), SQLBind(value.updatedAt), SQLBind(try record(value))
            ).run()
    }

    /// Writes a changed case, only if nobody changed it since `before` was read; false
    /// when someone did (the caller reads it again).
    static func update(_ value: SupportCase, from before: SupportCase, in db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE support_cases SET state = \(bind: value.state.rawValue), checked = \(bind: value.checked ? 1 : 0),
              awaits_review = \(bind: value.awaitsReview ? 1 : 0), due_at = \(bind: dueAt(value)), updated_at = \(bind: value.updatedAt),
              record = \(bind: try record(value))
            WHERE id = \(bind: value.id) AND record = \(bind: try record(before))
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> SupportCase? {
        try await db.select().column("record").from("support_cases").where("id", .equal, id).first(
            decodingColumn: "record", as: String.self
        )
        .map(decode)
    }

    struct Filter: Sendable {
        var companyId: String?
        var states: [SupportCase.State] = []
        var from: Int64?
        var until: Int64?
        var awaitingReview = false
    }

    /// A page of cases, newest first (oldest first for the desk), and how many match in all.
    static func list(_ filter: Filter, offset: Int, limit: Int, in db: any SQLDatabase) async throws -> (cases: [SupportCase], total: Int) {
        func filtered(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            var query = query.from("support_cases")
            if let company = filter.companyId { query = query.where("company_id", .equal, company) }
            if !filter.states.isEmpty { query = query.where("state", .in, filter.states.map(\.rawValue)) }
            if let from = filter.from { query = query.where("created_at", .greaterThanOrEqual, from) }
            if let until = filter.until { query = query.where("created_at", .lessThan, until) }
            if filter.awaitingReview { query = query.where("awaits_review", .equal, 1) }
            return query
        }
        let total =
            try await filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let records = try await filtered(db.select().column("record"))
            .orderBy("created_at", filter.awaitingReview ? .ascending : .descending).orderBy("id").offset(offset).limit(limit)
            .all(decodingColumn: "record", as: String.self)
        return (try records.map(decode), total)
    }

    /// Cases the automatic check has not looked at yet, oldest first.
    static func unchecked(limit: Int, in db: any SQLDatabase) async throws -> [SupportCase] {
        try await db.select().column("record").from("support_cases").where("checked", .equal, 0).where("state", .equal, "in-progress")
            .orderBy("created_at").limit(limit).all(decodingColumn: "record", as: String.self).map(decode)
    }

    /// Open cases whose key, file or challenge expires by `now`.
    static func due(now: Int64, limit: Int, in db: any SQLDatabase) async throws -> [SupportCase] {
        try await db.select().column("record").from("support_cases").where("due_at", .lessThanOrEqual, now)
            .where("state", .in, ["in-progress", "to-confirm"]).limit(limit).all(decodingColumn: "record", as: String.self).map(decode)
    }

    /// Another device's case sent with the same photo, if any.
    static func samePhoto(_ hash: String, otherThan serial: String, in db: any SQLDatabase) async throws -> String? {
        try await db.select().column("id").from("support_cases").where("photo_hash", .equal, hash).where("serial", .notEqual, serial)
            .orderBy("created_at").limit(1).first(decodingColumn: "id", as: String.self)
    }

    /// When the case next needs the clock: its key or file's expiry, else its challenge's.
    static func dueAt(_ value: SupportCase) -> Int64? {
        switch value.state {
        case .toConfirm: value.resultExpiresAt
        case .inProgress: value.challengeExpiresAt
        case .closed, .rejected: nil
        }
    }

    static func record(_ value: SupportCase) throws -> String {
        String(decoding: try JSONEncoder.caseRecord.encode(value), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> SupportCase {
        try JSONDecoder().decode(SupportCase.self, from: Data(text.utf8))
    }
}

extension JSONEncoder {
    /// Sorted keys, so the same case always writes the same text (the update compares it).
    static var caseRecord: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// The `case_photos` table: the label photo of each case, readable only through the case.
enum CasePhotoTable {
    static func insert(caseID: String, mediaType: String, bytes: [UInt8], in db: any SQLDatabase) async throws {
        try await db.insert(into: "case_photos").columns("case_id", "media_type", "bytes")
            .values(SQLBind(caseID), SQLBind(mediaType), SQLBind(Data(bytes))).run()
    }

    static func find(caseID: String, in db: any SQLDatabase) async throws -> (mediaType: String, bytes: [UInt8])? {
        guard let row = try await db.select().columns("media_type", "bytes").from("case_photos").where("case_id", .equal, caseID).first()
        else { return nil }
        return (try row.decode(column: "media_type", as: String.self), [UInt8](try row.decode(column: "bytes", as: Data.self)))
    }
}

/// One message of an account's message centre: something happened to a case.
public struct CaseNotification: Sendable, Codable, Equatable {
    public let id: String
    public let accountId: String
    public let caseId: String
    /// `opened`, `to-confirm`, `rejected`, `closed`, `waiting-for-review`.
    public let event: String
    public let createdAt: Int64
    public let readAt: Int64?
}

/// The `notifications` table.
enum NotificationTable {
    static func insert(_ notification: CaseNotification, in db: any SQLDatabase) async throws {
        try await db.insert(into: "notifications").model(
            notification, keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil
        )
        .run()
    }

    static func list(account: String, limit: Int, in db: any SQLDatabase) async throws -> [CaseNotification] {
        try await db.select().column("*").from("notifications").where("account_id", .equal, account).orderBy("created_at", .descending)
            .orderBy("id", .descending).limit(limit).all(decoding: CaseNotification.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// The id of the account's newest message: what the live feed watches.
    static func newest(account: String, in db: any SQLDatabase) async throws -> String? {
        try await db.select().column("id").from("notifications").where("account_id", .equal, account).orderBy("created_at", .descending)
            .orderBy("id", .descending).limit(1).first(decodingColumn: "id", as: String.self)
    }

    static func unreadCount(account: String, in db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("notifications")
            .where("account_id", .equal, account).where(SQLColumn("read_at"), .is, SQLLiteral.null).first(decodingColumn: "n", as: Int.self)
            ?? 0
    }

    /// Marks one (or, with nil, every) message of the account read; false when it has no such message.
    @discardableResult
    static func markRead(account: String, id: String?, at: Int64, in db: any SQLDatabase) async throws -> Bool {
        var query = db.update("notifications").set("read_at", to: at).where("account_id", .equal, account)
            .where(SQLColumn("read_at"), .is, SQLLiteral.null)
        if let id { query = query.where("id", .equal, id) }
        let rows = try await query.returning("id").all()
        return id == nil || !rows.isEmpty
    }
}
