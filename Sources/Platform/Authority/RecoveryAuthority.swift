public import Foundation
public import ReclaimCore
import SQLKit

/// The recovery authority of the platform: ReclaimCore's `Authority` with the enrolled
/// devices in SQL and every issued key, file and code recorded — who asked, why — in the
/// issuances table and the audit log, in one transaction with the answer.
public struct RecoveryAuthority: Sendable {
    public let core: Authority
    let database: Database
    let resetFileValidity: TimeInterval

    init(keys: AuthorityKeys, database: Database, resetFileValidity: TimeInterval) {
        core = Authority(keys: keys)
        self.database = database
        self.resetFileValidity = resetFileValidity
    }

    public var bundle: AuthorityBundle { core.keys.bundle }

    // MARK: Enrollment

    public struct EnrollmentResult: Sendable, Codable, Equatable {
        public var enrolled: [String] = []
        public var unchanged: [String] = []
    }

    /// Takes the factory's records. A serial already enrolled with the same keys is left
    /// as it is; with other keys it is refused, and nothing of the batch is kept.
    public func enroll(_ records: [DeviceEnrollment], actor: String, now: Date = Date()) async throws -> EnrollmentResult {
        for record in records {
            guard record.identityPublicKey != nil, record.agreementPublicKey != nil else {
                throw AuthorityError.badRecord("The record of \(record.serial) carries keys that are not Curve25519 public keys.")
            }
            guard core.keys.agreementKey(record.authorityKeyID) != nil else {
                throw AuthorityError.badRecord(
                    "Device \(record.serial) carries authority key \(record.authorityKeyID), which this authority does not hold; give the factory this authority's bundle."
                )
            }
        }
        let recordText = try records.map { String(decoding: try JSONEncoder.reclaim.encode($0), as: UTF8.self) }
        // Agreed once here so that issuing a reset key later needs no key agreement.
        let sealedSecrets = try records.map { Bytes.base64(try core.sealSecret(for: $0)) }
        return try await database.transaction { db in
            var result = EnrollmentResult()
            for ((record, text), sealedSecret) in zip(zip(records, recordText), sealedSecrets) {
                if let existing = try await enrollment(db, serial: record.serial)?.record {
                    guard existing == record else {
                        throw AuthorityError.conflict(
                            "Device \(record.serial) is already enrolled with other keys; a serial is enrolled once.")
                    }
                    result.unchanged.append(record.serial.text)
                    continue
                }
                try await db.insert(into: "devices").columns("serial", "model", "mac", "enrollment", "sealed_secret", "enrolled_at")
                    .values(
                        SQLBind(record.serial.text), SQLBind(record.model), SQLBind(record.mac.description), SQLBind(text),
                        SQLBind(sealedSecret), SQLBind(Int64(now.timeIntervalSince1970))
                    ).run()
                result.enrolled.append(record.serial.text)
            }
            if !result.enrolled.isEmpty {
                try await AuditLog.append(
                    db, dialect: database.dialect, actor: actor, action: "authority.devices.enrolled",
                    subject: result.enrolled.count == 1 ? "device:\(result.enrolled[0])" : "devices",
                    details: ["count": "\(result.enrolled.count)", "first": result.enrolled[0]], now: now)
            }
            return result
        }
    }

    /// A device's enrollment record and its sealed per-device secret, if it has one.
    func enrollment(_ db: any SQLDatabase, serial: SerialNumber) async throws -> (record: DeviceEnrollment, sealedSecret: [UInt8]?)? {
        guard
            let row = try await db.select().column("enrollment").column("sealed_secret").from("devices")
                .where("serial", .equal, serial.text).first()
        else { return nil }
        let text = try row.decode(column: "enrollment", as: String.self)
        let sealed = try row.decode(column: "sealed_secret", as: String?.self)
        return (try JSONDecoder.reclaim.decode(DeviceEnrollment.self, from: Data(text.utf8)), sealed.flatMap { Bytes.fromBase64($0) })
    }

    public func enrollment(serial: SerialNumber) async throws -> DeviceEnrollment? {
        try await database.read { db in try await enrollment(db, serial: serial)?.record }
    }

    // MARK: Challenges

    /// Opens and checks a challenge's text form against the enrolled devices.
    public func open(_ text: String, now: Date = Date()) async throws -> OpenedChallenge {
        let unsealed = try core.unseal(text.trimmingCharacters(in: .whitespacesAndNewlines))
        let found = try await database.read { db in try await enrollment(db, serial: unsealed.content.serial) }
        return try core.check(unsealed, enrollment: found?.record, sealedSecret: found?.sealedSecret, now: now)
    }

    /// Why someone asked for a key, file or code: kept with the issuance and in the audit log.
    public struct Request: Sendable {
        public var actor: String
        public var reason: String
        public var caseID: String?

        public init(actor: String, reason: String, caseID: String? = nil) {
            self.actor = actor
            self.reason = reason
            self.caseID = caseID
        }
    }

    public func issueResetKey(for challenge: OpenedChallenge, request: Request, now: Date = Date()) async throws -> RecoveryCode {
        let key = try core.resetKey(for: challenge)
        try await record("reset-key", challenge, request, now: now)
        return key
    }

    public func issueResetFile(for challenge: OpenedChallenge, request: Request, now: Date = Date()) async throws -> ResetFile {
        let file = try core.resetFile(
            for: challenge, caseID: request.caseID ?? "none", now: now, validity: resetFileValidity)
        try await record("reset-file", challenge, request, now: now)
        return file
    }

    public func issueVerificationCode(for challenge: OpenedChallenge, request: Request, now: Date = Date()) async throws
        -> RecoveryCode
    {
        let code = try core.verificationCode(for: challenge)
        try await record("verification-code", challenge, request, now: now)
        return code
    }

    private func record(_ kind: String, _ challenge: OpenedChallenge, _ request: Request, now: Date) async throws {
        let serial = challenge.content.serial.text
        let nonce = Bytes.hex(challenge.content.nonce)
        try await database.transaction { db in
            try await db.insert(into: "issuances")
                .columns("id", "kind", "serial", "challenge_nonce", "requested_by", "reason", "case_id", "created_at")
                .values(
                    SQLBind(Bytes.hex(Bytes.random(count: 12))), SQLBind(kind), SQLBind(serial), SQLBind(nonce),
                    SQLBind(request.actor), SQLBind(request.reason), SQLBind(request.caseID),
                    SQLBind(Int64(now.timeIntervalSince1970))
                ).run()
            var details = ["kind": kind, "challenge": String(nonce.prefix(16)), "reason": request.reason]
            if let caseID = request.caseID { details["case"] = caseID }
            try await AuditLog.append(
                db, dialect: database.dialect, actor: request.actor, action: "authority.\(kind).issued", subject: "device:\(serial)",
                details: details, now: now)
        }
    }

    /// What was issued for a device, newest first.
    public func issuances(serial: String, limit: Int = 50) async throws -> [Issuance] {
        try await database.read { db in
            try await db.select().column("*").from("issuances").where("serial", .equal, serial).orderBy("created_at", .descending)
                .limit(limit).all(decoding: Issuance.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }
}

public struct Issuance: Sendable, Codable, Equatable {
    public let id: String
    public let kind: String
    public let serial: String
    public let challengeNonce: String
    public let requestedBy: String
    public let reason: String
    public let caseId: String?
    public let createdAt: Int64
}

public enum AuthorityError: Error, CustomStringConvertible {
    case badRecord(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .badRecord(let text), .conflict(let text): text
        }
    }
}
