import Crypto
public import Foundation
import ReclaimCore
public import SQLKit

/// One entry of the audit log.
public struct AuditEntry: Sendable, Codable, Equatable {
    public let seq: Int64
    public let at: Int64
    /// Who acted: `account:ID`, `token:ID`, `factory`, `public:SOURCE`, `system`, `cli`.
    public let actor: String
    /// What happened, a dotted name: `authority.reset-key.issued`, `account.signed-in`, …
    public let action: String
    /// What it happened to: `device:SERIAL`, `account:ID`, `company:ID`.
    public let subject: String
    /// A JSON object with the rest; never a secret.
    public let details: String
    public let previousHash: String
    public let hash: String
    /// HMAC-SHA256 of ``hash`` under the audit key, which lives outside the database: a
    /// chain rewritten by someone who can write the database but not read the key files
    /// fails here. Nil only on entries written before the log was sealed, until the
    /// server seals them at start.
    public let mac: String?

    /// SHA-256 over the previous entry's hash and this entry's fields in canonical form.
    static func hash(seq: Int64, at: Int64, actor: String, action: String, subject: String, details: String, previous: String)
        -> String
    {
        var fields = CanonicalWriter(domain: "reclaim-audit-entry-1")
        fields.append(tag: 1, previous)
        fields.append(tag: 2, UInt64(bitPattern: seq))
        fields.append(tag: 3, UInt64(bitPattern: at))
        fields.append(tag: 4, actor)
        fields.append(tag: 5, action)
        fields.append(tag: 6, subject)
        fields.append(tag: 7, details)
        return Bytes.hex(Array(SHA256.hash(data: fields.bytes)))
    }

    var computedHash: String {
        Self.hash(seq: seq, at: at, actor: actor, action: action, subject: subject, details: details, previous: previousHash)
    }
}

/// The append-only, hash-chained audit log: every authority action and account event,
/// as typed ``AuditEvent``s. A storage type: the only code that reads or writes `audit_log`.
///
/// Each entry carries the hash of the one before it, so changing, removing or inserting
/// an entry breaks every hash after it; each is also sealed with a MAC under a key kept in
/// the authority's folder, not the database, so the chain cannot be rewritten whole from a
/// database alone; and signed checkpoints of the head, kept outside the database too
/// (``AuditCheckpoint``), catch entries cut off the end. `verify` names the first entry
/// that no longer fits. Appends happen inside the caller's transaction, so an action and
/// its entry land together.
public struct AuditLog: Sendable {
    /// The hash the first entry chains to.
    public static let genesis = String(repeating: "0", count: 64)

    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    func seal(_ hash: String) -> String {
        Bytes.hex(Array(HMAC<SHA256>.authenticationCode(for: Array(hash.utf8), using: key)))
    }

    /// Records `event`, done by `actor`, within the transaction `db` belongs to: the event
    /// lands together with the change it describes, or neither does.
    @discardableResult
    public func record(_ event: AuditEvent, by actor: AuditActor, in db: any SQLDatabase, now: Date = Date()) async throws -> AuditEntry {
        if db.dialect.name == "postgresql" {
            // Appends from several servers take turns, so the chain never forks.
            try await db.raw("SELECT pg_advisory_xact_lock(7243002)").run()
        }
        let last = try await db.select().columns("seq", "hash").from("audit_log").orderBy("seq", .descending).limit(1).first()
        let seq = (try last?.decode(column: "seq", as: Int64.self) ?? 0) + 1
        let previous = try last?.decode(column: "hash", as: String.self) ?? Self.genesis
        let at = Int64(now.timeIntervalSince1970.rounded(.down))
        let detailText = String(decoding: try JSONSerialization.data(withJSONObject: event.details, options: [.sortedKeys]), as: UTF8.self)
        let actorName = actor.description, action = event.action, subject = event.subject.description
        let hash = AuditEntry.hash(
            seq: seq, at: at, actor: actorName, action: action, subject: subject, details: detailText, previous: previous)
        let entry = AuditEntry(
            seq: seq, at: at, actor: actorName, action: action, subject: subject, details: detailText, previousHash: previous, hash: hash,
            mac: seal(hash))
        try await db.insert(into: "audit_log").model(entry, keyEncodingStrategy: .convertToSnakeCase).run()
        return entry
    }

    /// Seals the entries written before the log had a key; returns how many.
    @discardableResult
    func sealUnsealed(_ database: Database) async throws -> Int {
        try await database.transaction { db in
            let rows = try await db.select().columns("seq", "hash").from("audit_log").where(SQLColumn("mac"), .is, SQLLiteral.null).all()
            for row in rows {
                let seq = try row.decode(column: "seq", as: Int64.self)
                let hash = try row.decode(column: "hash", as: String.self)
                try await db.update("audit_log").set("mac", to: seal(hash)).where("seq", .equal, seq).run()
            }
            return rows.count
        }
    }

    /// Entries from `seq` on, oldest first.
    public static func entries(_ db: any SQLDatabase, from seq: Int64 = 1, limit: Int = 1000) async throws -> [AuditEntry] {
        try await db.select().column("*").from("audit_log").where("seq", .greaterThanOrEqual, seq).orderBy("seq")
            .limit(limit).all(decoding: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// Newest entries first, optionally only those about one subject.
    public static func recent(_ db: any SQLDatabase, subject: String? = nil, limit: Int = 50) async throws -> [AuditEntry] {
        var query = db.select().column("*").from("audit_log")
        if let subject { query = query.where("subject", .equal, subject) }
        return try await query.orderBy("seq", .descending).limit(limit)
            .all(decoding: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    public enum Verification: Equatable, Sendable {
        case intact(entries: Int64, head: String)
        /// The first entry whose content, hash or place in the chain is wrong.
        case broken(seq: Int64, reason: String)
    }

    /// The newest entry, if any.
    public static func head(_ db: any SQLDatabase) async throws -> AuditEntry? {
        try await recent(db, limit: 1).first
    }

    /// Walks the whole chain, checks every seal, and holds the log against its last
    /// checkpoint (when there is one): nothing it covers may be missing or different.
    public func verify(_ database: Database, checkpoint: AuditCheckpoint? = nil) async throws -> Verification {
        var expectedSeq: Int64 = 1
        var previous = Self.genesis
        var atCheckpoint: String?
        while true {
            let from = expectedSeq
            let page = try await database.read { db in try await Self.entries(db, from: from, limit: 1000) }
            if page.isEmpty {
                let count = expectedSeq - 1
                if let checkpoint {
                    if count < checkpoint.seq {
                        return .broken(
                            seq: count + 1,
                            reason:
                                "the log ends at entry \(count), before its checkpoint of "
                                + Language.english.counted(Int(checkpoint.seq), one: "1 entry", other: "{n} entries")
                                + ": entries were cut off the end"
                        )
                    }
                    if atCheckpoint != checkpoint.hash {
                        return .broken(seq: checkpoint.seq, reason: "it differs from the signed checkpoint")
                    }
                }
                return .intact(entries: count, head: previous)
            }
            for entry in page {
                if entry.seq != expectedSeq {
                    return .broken(seq: expectedSeq, reason: "entry \(expectedSeq) is missing (the next one is \(entry.seq))")
                }
                if entry.previousHash != previous {
                    return .broken(seq: entry.seq, reason: "it does not chain to entry \(entry.seq - 1)")
                }
                if entry.computedHash != entry.hash {
                    return .broken(seq: entry.seq, reason: "its content no longer matches its hash")
                }
                guard let mac = entry.mac, Bytes.constantTimeEqual(mac, seal(entry.hash)) else {
                    return .broken(seq: entry.seq, reason: "its seal does not match: it was written without the audit key")
                }
                if entry.seq == checkpoint?.seq { atCheckpoint = entry.hash }
                previous = entry.hash
                expectedSeq += 1
            }
        }
    }
}
