public import ReclaimCore
import SQLKit

/// An account of the portal or the owner app.
public struct Account: Sendable, Equatable {
    public let id: String
    public let email: String
    public let name: String
    public let role: Role
    public let companyId: String?
    public let passwordHash: String
    public let language: String
    public let isConfirmed: Bool
    public let createdAt: Int64

    public var preferredLanguage: Language { Language(rawValue: language) ?? .english }
    /// How the audit log names this account.
    public var actor: AuditActor { .account(id: id) }

    /// The same account as a member of `company` (or of none).
    func inCompany(_ company: String?) -> Account {
        Account(
            id: id, email: email, name: name, role: role, companyId: company, passwordHash: passwordHash, language: language,
            isConfirmed: isConfirmed, createdAt: createdAt)
    }
}

/// An installer company. Only a certified one's installers open reset cases.
public struct Company: Sendable, Equatable, Codable {
    public let id: String
    public let name: String
    public let isCertified: Bool
    public let certifiedAt: Int64?
    public let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, isCertified = "certified", certifiedAt, createdAt
    }
}

/// The `accounts` table: the only code that reads or writes it. Flags are stored as
/// INTEGER 0/1 (one schema for SQLite and PostgreSQL) and are `Bool`s from here on.
enum AccountTable {
    private struct Row: Codable {
        let id: String
        let email: String
        let name: String
        let role: String
        let companyId: String?
        let passwordHash: String
        let language: String
        let confirmed: Int
        let createdAt: Int64

        init(_ account: Account) {
            id = account.id
            email = account.email
            name = account.name
            role = account.role.rawValue
            companyId = account.companyId
            passwordHash = account.passwordHash
            language = account.language
            confirmed = account.isConfirmed ? 1 : 0
            createdAt = account.createdAt
        }

        var account: Account {
            Account(
                id: id, email: email, name: name, role: Role(rawValue: role) ?? .owner, companyId: companyId, passwordHash: passwordHash,
                language: language, isConfirmed: confirmed != 0, createdAt: createdAt)
        }
    }

    static func insert(_ account: Account, in db: any SQLDatabase) async throws {
        try await db.insert(into: "accounts").model(Row(account), keyEncodingStrategy: .convertToSnakeCase).run()
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> Account? {
        try await db.select().column("*").from("accounts").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?.account
    }

    static func members(of company: String, in db: any SQLDatabase) async throws -> [Account] {
        try await db.select().column("*").from("accounts").where("company_id", .equal, company).orderBy("created_at")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.account)
    }

    static func withRole(_ role: Role, in db: any SQLDatabase) async throws -> [Account] {
        try await db.select().column("*").from("accounts").where("role", .equal, role.rawValue).orderBy("created_at").limit(500)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.account)
    }

    static func find(email: String, in db: any SQLDatabase) async throws -> Account? {
        try await db.select().column("*").from("accounts").where("email", .equal, email)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?.account
    }

    static func setPassword(id: String, hash: String, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("password_hash", to: hash).where("id", .equal, id).run()
    }

    static func setCompany(id: String, company: String?, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("company_id", to: company).where("id", .equal, id).run()
    }

    static func markConfirmed(id: String, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("confirmed", to: 1).where("id", .equal, id).run()
    }

    /// The account behind a credential table's `token_hash` (sessions, API tokens), joined in one query.
    static func find(through table: String, tokenHash: String, notExpiredAt now: Int64?, in db: any SQLDatabase) async throws -> Account? {
        var query = db.select().columns(SQLColumn(SQLLiteral.all, table: SQLIdentifier("accounts"))).from(table)
            .join("accounts", on: SQLColumn("account_id", table: table), .equal, SQLColumn("id", table: "accounts"))
            .where(SQLColumn("token_hash", table: table), .equal, SQLBind(tokenHash))
        if let now {
            query = query.where(SQLColumn("expires_at", table: table), .greaterThan, SQLBind(now))
        }
        return try await query.first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?.account
    }
}

/// The `companies` table.
enum CompanyTable {
    private struct Row: Codable {
        let id: String
        let name: String
        let certified: Int
        let certifiedAt: Int64?
        let createdAt: Int64

        var company: Company {
            Company(id: id, name: name, isCertified: certified != 0, certifiedAt: certifiedAt, createdAt: createdAt)
        }
    }

    static func insert(id: String, name: String, createdAt: Int64, in db: any SQLDatabase) async throws {
        try await db.insert(into: "companies").columns("id", "name", "certified", "created_at")
            .values(SQLBind(id), SQLBind(name), SQLBind(0), SQLBind(createdAt)).run()
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> Company? {
        try await db.select().column("*").from("companies").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?.company
    }

    /// Companies whose id or exact name is `idOrName`.
    static func matching(_ idOrName: String, in db: any SQLDatabase) async throws -> [Company] {
        try await db.select().column("*").from("companies").where("id", .equal, idOrName).orWhere("name", .equal, idOrName)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.company)
    }

    static func all(in db: any SQLDatabase) async throws -> [Company] {
        try await db.select().column("*").from("companies").orderBy("created_at")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.company)
    }

    static func certify(id: String, at: Int64, in db: any SQLDatabase) async throws {
        try await db.update("companies").set("certified", to: 1).set("certified_at", to: at).where("id", .equal, id).run()
    }

    /// How many accounts belong to the company.
    static func memberCount(id: String, in db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "members").from("accounts")
            .where("company_id", .equal, id).first(decodingColumn: "members", as: Int.self) ?? 0
    }
}

/// The credential tables: `sessions` (portal sign-ins), `api_tokens` (the command-line
/// tools) and `confirmations` (sign-up links). Tokens are kept only as SHA-256 hashes.
enum CredentialTables {
    static func insertSession(tokenHash: String, account: String, createdAt: Int64, expiresAt: Int64, in db: any SQLDatabase) async throws {
        try await db.insert(into: "sessions").columns("token_hash", "account_id", "created_at", "expires_at")
            .values(SQLBind(tokenHash), SQLBind(account), SQLBind(createdAt), SQLBind(expiresAt)).run()
    }

    static func deleteSession(tokenHash: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
    }

    static func insertAPIToken(id: String, account: String, name: String, tokenHash: String, createdAt: Int64, in db: any SQLDatabase)
        async throws
    {
        try await db.insert(into: "api_tokens").columns("id", "account_id", "name", "token_hash", "created_at")
            .values(SQLBind(id), SQLBind(account), SQLBind(name), SQLBind(tokenHash), SQLBind(createdAt)).run()
    }

    static func touchAPIToken(tokenHash: String, at: Int64, in db: any SQLDatabase) async throws {
        try await db.update("api_tokens").set("last_used_at", to: at).where("token_hash", .equal, tokenHash).run()
    }

    /// What a mailed link is for; a link only ever works for its own purpose.
    enum Purpose: String, Sendable {
        case signUp
        case passwordReset
    }

    static func insertConfirmation(
        tokenHash: String, account: String, purpose: Purpose = .signUp, expiresAt: Int64, in db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "confirmations").columns("token_hash", "account_id", "purpose", "expires_at")
            .values(SQLBind(tokenHash), SQLBind(account), SQLBind(purpose.rawValue), SQLBind(expiresAt)).run()
    }

    /// Whether a link for `purpose` is still valid, without using it (the page that asks for
    /// the new password shows only for a link that works).
    /// The account a link still works for, without using the link.
    static func confirmationAccount(tokenHash: String, purpose: Purpose, now: Int64, in db: any SQLDatabase) async throws -> String? {
        try await db.select().column("account_id").from("confirmations").where("token_hash", .equal, tokenHash)
            .where("purpose", .equal, purpose.rawValue).where("expires_at", .greaterThan, now)
            .first(decodingColumn: "account_id", as: String.self)
    }

    /// Deletes every link of `purpose` for an account: a reset makes earlier reset links void.
    static func deleteConfirmations(account: String, purpose: Purpose, in db: any SQLDatabase) async throws {
        try await db.delete(from: "confirmations").where("account_id", .equal, account).where("purpose", .equal, purpose.rawValue).run()
    }

    /// Ends every sign-in of an account: after its password is reset, no old session stays.
    static func deleteSessions(account: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "sessions").where("account_id", .equal, account).run()
    }

    /// Takes a confirmation once: returns its account and deletes it, if it is still valid
    /// and was made for `purpose`.
    static func takeConfirmation(tokenHash: String, purpose: Purpose = .signUp, now: Int64, in db: any SQLDatabase) async throws
        -> String?
    {
        guard
            let account = try await db.select().column("account_id").from("confirmations").where("token_hash", .equal, tokenHash)
                .where("purpose", .equal, purpose.rawValue).where("expires_at", .greaterThan, now)
                .first(decodingColumn: "account_id", as: String.self)
        else { return nil }
        try await db.delete(from: "confirmations").where("token_hash", .equal, tokenHash).run()
        return account
    }
}
