import Foundation
import ReclaimCore
import SQLKit

/// A reset key, reset file or verification code the authority issued, and why: who asked,
/// for which device and challenge, in which case. Never the key itself.
public struct Issuance: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case resetKey = "reset-key"
        case resetFile = "reset-file"
        case verificationCode = "verification-code"
    }

    public let id: String
    public let kind: Kind
    public let serial: String
    public let challengeNonce: String
    public let requestedBy: String
    public let reason: String
    public let caseId: String?
    public let createdAt: Int64
}

/// The `devices` table: each enrolled device's record and its sealed per-device secret.
enum DeviceTable {
    static func insert(_ record: DeviceEnrollment, text: String, sealedSecret: String, at: Int64, in db: any SQLDatabase) async throws {
        try await db.insert(into: "devices").columns("serial", "model", "mac", "enrollment", "sealed_secret", "enrolled_at")
            .values(
                SQLBind(record.serial.text), SQLBind(record.model), SQLBind(record.mac.description), SQLBind(text), SQLBind(sealedSecret),
                SQLBind(at)
            ).run()
    }

    /// A device's enrollment record and its sealed per-device secret, if it has one.
    static func find(_ serial: SerialNumber, in db: any SQLDatabase) async throws -> (record: DeviceEnrollment, sealedSecret: [UInt8]?)? {
        guard
            let row = try await db.select().column("enrollment").column("sealed_secret").from("devices")
                .where("serial", .equal, serial.text).first()
        else { return nil }
        let text = try row.decode(column: "enrollment", as: String.self)
        let sealed = try row.decode(column: "sealed_secret", as: String?.self)
        return (try JSONDecoder.reclaim.decode(DeviceEnrollment.self, from: Data(text.utf8)), sealed.flatMap { Bytes.fromBase64($0) })
    }
}

/// The `issuances` table.
enum IssuanceTable {
    static func insert(_ issuance: Issuance, in db: any SQLDatabase) async throws {
        try await db.insert(into: "issuances").model(issuance, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// What was issued for a device, newest first.
    static func list(serial: String, limit: Int, in db: any SQLDatabase) async throws -> [Issuance] {
        try await db.select().column("*").from("issuances").where("serial", .equal, serial).orderBy("created_at", .descending)
            .limit(limit).all(decoding: Issuance.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}
