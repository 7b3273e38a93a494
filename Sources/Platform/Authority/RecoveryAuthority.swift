public import Foundation
public import ReclaimCore

/// The recovery authority of the platform: ReclaimCore's `Authority` with the enrolled
/// devices in SQL and every issued key, file and code recorded — who asked, why — in the
/// issuances table and the audit log, in one transaction with the answer.
public struct RecoveryAuthority: Sendable {
    public let core: Authority
    let database: Database
    let auditLog: AuditLog
    let resetFileValidity: TimeInterval
    /// Hears of every issuance once it is recorded: the owner is told (``DeviceHistory``).
    let issued: AsyncStream<Issuance>.Continuation?

    init(
        keys: AuthorityKeys, database: Database, auditLog: AuditLog, resetFileValidity: TimeInterval,
        issued: AsyncStream<Issuance>.Continuation? = nil
    ) {
        core = Authority(keys: keys)
        self.database = database
        self.auditLog = auditLog
        self.resetFileValidity = resetFileValidity
        self.issued = issued
    }

    public var bundle: AuthorityBundle { core.keys.bundle }

    // MARK: Enrollment

    public struct EnrollmentResult: Sendable, Codable, Equatable {
        public var enrolled: [String] = []
        public var unchanged: [String] = []
    }

    /// Takes the factory's records. A serial already enrolled with the same keys is left
    /// as it is; with other keys it is refused, and nothing of the batch is kept.
    public func enroll(_ records: [DeviceEnrollment], actor: AuditActor, now: Date = Date()) async throws -> EnrollmentResult {
        for record in records {
            guard record.identityPublicKey != nil, record.agreementPublicKey != nil else {
                throw PlatformError(.badEnrollment, "The record of \(record.serial) carries keys that are not Curve25519 public keys.")
            }
            guard core.keys.agreementKey(record.authorityKeyID) != nil else {
                throw PlatformError(
                    .badEnrollment,
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
                if let existing = try await DeviceTable.find(record.serial, in: db)?.record {
                    guard existing == record else {
                        throw PlatformError(
                            .conflict, "Device \(record.serial) is already enrolled with other keys; a serial is enrolled once.")
                    }
                    result.unchanged.append(record.serial.text)
                    continue
                }
                try await DeviceTable.insert(record, text: text, sealedSecret: sealedSecret, at: Int64(now.timeIntervalSince1970), in: db)
                result.enrolled.append(record.serial.text)
            }
            if !result.enrolled.isEmpty {
                try await auditLog.record(.devicesEnrolled(serials: result.enrolled), by: actor, in: db, now: now)
            }
            return result
        }
    }

    public func enrollment(serial: SerialNumber) async throws -> DeviceEnrollment? {
        try await database.read { db in try await DeviceTable.find(serial, in: db)?.record }
    }

    // MARK: Challenges

    /// Opens and checks a challenge's text form against the enrolled devices.
    public func open(_ text: String, now: Date = Date()) async throws -> OpenedChallenge {
        let unsealed = try core.unseal(text.trimmingCharacters(in: .whitespacesAndNewlines))
        let found = try await database.read { db in try await DeviceTable.find(unsealed.content.serial, in: db) }
        return try core.check(unsealed, enrollment: found?.record, sealedSecret: found?.sealedSecret, now: now)
    }

    /// Why someone asked for a key, file or code: kept with the issuance and in the audit log.
    public struct Request: Sendable {
        public var actor: AuditActor
        public var reason: String
        public var caseID: String?

        public init(actor: AuditActor, reason: String, caseID: String? = nil) {
            self.actor = actor
            self.reason = reason
            self.caseID = caseID
        }
    }

    public func issueResetKey(for challenge: OpenedChallenge, request: Request, now: Date = Date()) async throws -> RecoveryCode {
        let key = try core.resetKey(for: challenge)
        try await record(.resetKey, challenge, request, now: now)
        return key
    }

    public func issueResetFile(for challenge: OpenedChallenge, request: Request, now: Date = Date()) async throws -> ResetFile {
        let file = try core.resetFile(
            for: challenge, caseID: request.caseID ?? "none", now: now, validity: resetFileValidity)
        try await record(.resetFile, challenge, request, now: now)
        return file
    }

    public func issueVerificationCode(for challenge: OpenedChallenge, request: Request, now: Date = Date()) async throws
        -> RecoveryCode
    {
        let code = try core.verificationCode(for: challenge)
        try await record(.verificationCode, challenge, request, now: now)
        return code
    }

    private func record(_ kind: Issuance.Kind, _ challenge: OpenedChallenge, _ request: Request, now: Date) async throws {
        let serial = challenge.content.serial.text
        let nonce = Bytes.hex(challenge.content.nonce)
        let issuance = Issuance(
            id: Bytes.hex(Bytes.random(count: 12)), kind: kind, serial: serial, challengeNonce: nonce,
            requestedBy: request.actor.description,
            reason: request.reason, caseId: request.caseID, createdAt: Int64(now.timeIntervalSince1970))
        let auditLog = self.auditLog
        try await database.transaction { db in
            try await IssuanceTable.insert(issuance, in: db)
            try await auditLog.record(
                .issued(kind, serial: serial, challenge: nonce, reason: request.reason, caseID: request.caseID), by: request.actor, in: db,
                now: now)
        }
        issued?.yield(issuance)
    }

    /// What was issued for a device, newest first.
    public func issuances(serial: String, limit: Int = 50) async throws -> [Issuance] {
        try await database.read { db in try await IssuanceTable.list(serial: serial, limit: limit, in: db) }
    }
}
