import Crypto
public import Foundation
public import ReclaimCore
import SQLKit

/// Certification by code ("ask your distributor for the authentication code"): a
/// distributor issues single-use codes; an installer redeems one for their company, which
/// becomes certified and may open reset cases.
///
/// A code is 20 random characters of an alphabet without look-alikes (100 bits), kept only
/// as its SHA-256 hash, valid for 30 days and once. Wrong codes are counted per company, so
/// guessing is throttled as well as hopeless.
public struct CertificationCodes: Sendable {
    let database: Database
    let throttle: Throttle
    let auditLog: AuditLog

    /// How long an unredeemed code works.
    public static let lifetime: Int64 = 30 * 86_400
    /// Wrong codes a company may type in an hour.
    static let wrongCodesPerHour = 5
    /// Upper-case letters and digits without 0/O, 1/I/L, 5/S: read aloud or off a phone, unambiguous.
    static let alphabet = Array("ABCDEFGHJKMNPQRTUVWXYZ2346789")

    /// One code as its distributor sees it in their list.
    public struct Issued: Sendable, Equatable {
        public let hint: String
        public let issuedAt: Int64
        public let expiresAt: Int64
        public let redeemedBy: String?
        public let redeemedAt: Int64?
    }

    /// A code in groups of four, `RCC-XXXX-XXXX-XXXX-XXXX-XXXX`.
    static func format(_ characters: [Character]) -> String {
        "RCC-"
            + stride(from: 0, to: characters.count, by: 4).map { String(characters[$0..<min($0 + 4, characters.count)]) }
            .joined(separator: "-")
    }

    /// The code as typed, for hashing: upper-case, without the prefix, dashes or spaces.
    static func canonical(_ typed: String) -> String {
        var text = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        if text.hasPrefix("RCC") { text.removeFirst(3) }
        return text
    }

    static func hash(_ typed: String) -> String {
        Bytes.hex(Array(SHA256.hash(data: Array(("reclaim-certification:" + canonical(typed)).utf8))))
    }

    /// Issues a code; it is shown once, to the distributor.
    public func issue(by distributor: Account, now: Date = Date()) async throws -> String {
        guard distributor.role == .distributor else {
            throw PlatformError(.forbidden, "Only distributors issue certification codes.")
        }
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<20).map { _ in Self.alphabet.randomElement(using: &generator)! }
        let code = Self.format(characters)
        let at = Int64(now.timeIntervalSince1970)
        try await database.transaction { [auditLog] db in
            try await db.insert(into: "certification_codes")
                .columns("code_hash", "hint", "issued_by", "issued_at", "expires_at")
                .values(
                    SQLBind(Self.hash(code)), SQLBind(String(characters.suffix(4))), SQLBind(distributor.id), SQLBind(at),
                    SQLBind(at + Self.lifetime)
                ).run()
            try await auditLog.record(.certificationCodeIssued(by: distributor.id), by: distributor.actor, in: db, now: now)
        }
        return code
    }

    /// The codes a distributor issued, newest first.
    public func issued(by distributor: Account) async throws -> [Issued] {
        struct Row: Decodable {
            let hint: String
            let issuedAt: Int64
            let expiresAt: Int64
            let redeemedBy: String?
            let redeemedAt: Int64?
        }
        return try await database.read { db in
            try await db.select().columns("hint", "issued_at", "expires_at", "redeemed_by", "redeemed_at").from("certification_codes")
                .where("issued_by", .equal, distributor.id).orderBy("issued_at", .descending).limit(200)
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        }.map {
            Issued(hint: $0.hint, issuedAt: $0.issuedAt, expiresAt: $0.expiresAt, redeemedBy: $0.redeemedBy, redeemedAt: $0.redeemedAt)
        }
    }

    /// Redeems `typed` for the installer's company: the company is certified, the code used up.
    public func redeem(_ typed: String, by installer: Account, now: Date = Date()) async throws -> Company {
        guard installer.role == .installer, let companyID = installer.companyId else {
            throw PlatformError(.forbidden, "Only an installer company's installers redeem certification codes.")
        }
        let at = Int64(now.timeIntervalSince1970)
        guard try await throttle.count(.certificationCode, companyID, window: 3600, now: now) < Self.wrongCodesPerHour else {
            throw PlatformError(
                .throttled, "Too many wrong codes for your company; try again in an hour.", retryAfter: now.addingTimeInterval(3600),
                localized: .init("certifyLimited"))
        }
        let hash = Self.hash(typed)
        let company = try await database.transaction { [auditLog] db -> Company? in
            // Taken in one statement, so two installers redeeming one code at once cannot both succeed.
            let taken = try await db.update("certification_codes").set("redeemed_by", to: companyID).set("redeemed_at", to: at)
                .where("code_hash", .equal, hash).where("redeemed_by", .is, SQLLiteral.null).where("expires_at", .greaterThan, at)
                .returning("issued_by").first(decodingColumn: "issued_by", as: String.self)
            guard let issuer = taken else { return nil }
            try await CompanyTable.certify(id: companyID, at: at, in: db)
            guard let company = try await CompanyTable.find(id: companyID, in: db) else { return nil }
            try await auditLog.record(
                .companyCertifiedByCode(id: company.id, name: company.name, distributor: issuer), by: installer.actor, in: db, now: now)
            return company
        }
        guard let company else {
            _ = try await throttle.hit(.certificationCode, companyID, window: 3600, now: now)
            throw PlatformError(
                .notFound, "This certification code does not work: check it with your distributor; each code works once, for 30 days.",
                localized: .init("certifyWrongCode"))
        }
        return company
    }
}
