import Crypto
public import Foundation
public import ReclaimCore
import SQLKit

/// What an account may do. Installers belong to a company; only a certified company's
/// installers may open reset cases. Reviewers work the support desk; administrators run
/// the platform.
public enum Role: String, Sendable, Codable, CaseIterable {
    case installer
    case owner
    case reviewer
    case admin
}

public struct Account: Sendable, Codable, Equatable {
    public let id: String
    public let email: String
    public let name: String
    public let role: Role
    public let companyId: String?
    public let passwordHash: String
    public let language: String
    public let confirmed: Int
    public let createdAt: Int64

    public var isConfirmed: Bool { confirmed != 0 }
    public var preferredLanguage: Language { Language(rawValue: language) ?? .english }
    /// How the audit log names this account.
    public var actor: String { "account:\(id)" }
}

public struct Company: Sendable, Codable, Equatable {
    public let id: String
    public let name: String
    public let certified: Int
    public let certifiedAt: Int64?
    public let createdAt: Int64

    public var isCertified: Bool { certified != 0 }
}

/// Accounts, companies, sign-in sessions and API tokens.
///
/// Rules that hold everywhere here: passwords are kept only as scrypt hashes; session and
/// API tokens only as SHA-256 hashes (a database copy grants nothing); an unknown address
/// takes as long and gets the same answer as a known one with a wrong password.
public struct Accounts: Sendable {
    let database: Database
    let throttle: Throttle
    let passwordCost: SlowHash.Cost
    let loginFailures: Int
    let loginWindow: Int64
    let sessionLifetime: Int64
    /// Compared against when the address is unknown, so both cases cost one scrypt.
    private let decoy: SlowHash

    init(database: Database, settings: ServerSettings) {
        self.database = database
        throttle = Throttle(database: database)
        passwordCost = settings.lightPasswordHashing ? .light : .standard
        loginFailures = settings.loginFailures
        loginWindow = settings.loginWindow
        sessionLifetime = settings.sessionLifetime
        decoy = SlowHash(hashing: Bytes.hex(Bytes.random(count: 16)), cost: passwordCost)
    }

    /// Portal passwords follow the passphrase profile: 15 characters or more, not a common password.
    public static let passwordPolicy = PasswordPolicy(.passphrase)

    static func normalized(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    static func isPlausibleAddress(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && email.count <= 254
            && !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" })
    }

    // MARK: Creating

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalid(String)
        case exists(String)

        public var description: String {
            switch self {
            case .invalid(let text), .exists(let text): text
            }
        }
    }

    /// Creates an account (and, for a new installer company, the company) in one transaction.
    @discardableResult
    public func create(
        email: String, name: String, role: Role, password: String, language: Language = .english, companyName: String? = nil,
        companyID: String? = nil, confirmed: Bool, actor: String, now: Date = Date()
    ) async throws -> Account {
        let email = Self.normalized(email)
        guard Self.isPlausibleAddress(email) else { throw Failure.invalid("\(email) is not an e-mail address.") }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw Failure.invalid("Give a name of 1 to 100 characters.") }
        try Self.passwordPolicy.check(password, userName: email)
        if role == .installer, companyName == nil, companyID == nil {
            throw Failure.invalid("An installer belongs to a company: give the company's name.")
        }
        let hash = SlowHash(hashing: password, cost: passwordCost).description
        let at = Int64(now.timeIntervalSince1970)
        return try await database.transaction { db in
            if try await db.select().column("id").from("accounts").where("email", .equal, email).first() != nil {
                throw Failure.exists("An account with \(email) exists already.")
            }
            var company = companyID
            if role == .installer, company == nil, let companyName {
                let id = "co_" + Bytes.hex(Bytes.random(count: 8))
                try await db.insert(into: "companies").columns("id", "name", "certified", "created_at")
                    .values(SQLBind(id), SQLBind(companyName), SQLBind(0), SQLBind(at)).run()
                try await AuditLog.append(
                    db, dialect: database.dialect, actor: actor, action: "company.created", subject: "company:\(id)",
                    details: ["name": companyName], now: now)
                company = id
            }
            let account = Account(
                id: "ac_" + Bytes.hex(Bytes.random(count: 8)), email: email, name: name, role: role, companyId: company,
                passwordHash: hash, language: language.rawValue, confirmed: confirmed ? 1 : 0, createdAt: at)
            try await db.insert(into: "accounts").model(account, keyEncodingStrategy: .convertToSnakeCase).run()
            try await AuditLog.append(
                db, dialect: database.dialect, actor: actor, action: "account.created", subject: account.actor,
                details: ["role": role.rawValue, "company": company ?? ""], now: now)
            return account
        }
    }

    // MARK: Looking up

    public func account(id: String) async throws -> Account? {
        try await database.read { db in
            try await db.select().column("*").from("accounts").where("id", .equal, id)
                .first(decoding: Account.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    public func account(email: String) async throws -> Account? {
        try await database.read { db in
            try await db.select().column("*").from("accounts").where("email", .equal, Self.normalized(email))
                .first(decoding: Account.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    public func company(id: String) async throws -> Company? {
        try await database.read { db in
            try await db.select().column("*").from("companies").where("id", .equal, id)
                .first(decoding: Company.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    public func companies() async throws -> [Company] {
        try await database.read { db in
            try await db.select().column("*").from("companies").orderBy("created_at")
                .all(decoding: Company.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    /// Marks an installer company certified: its installers may open reset cases.
    public func certify(company idOrName: String, actor: String, now: Date = Date()) async throws -> Company {
        try await database.transaction { db in
            let matches = try await db.select().column("*").from("companies")
                .where("id", .equal, idOrName).orWhere("name", .equal, idOrName)
                .all(decoding: Company.self, keyDecodingStrategy: .convertFromSnakeCase)
            guard matches.count == 1, let company = matches.first else {
                throw Failure.invalid(
                    matches.isEmpty
                        ? "No installer company is called \(idOrName); `reclaim-server installer list` shows them."
                        : "\(matches.count) companies are called \(idOrName); certify one by its id.")
            }
            try await db.update("companies").set("certified", to: 1).set("certified_at", to: Int64(now.timeIntervalSince1970))
                .where("id", .equal, company.id).run()
            try await AuditLog.append(
                db, dialect: database.dialect, actor: actor, action: "company.certified", subject: "company:\(company.id)",
                details: ["name": company.name], now: now)
            return try await db.select().column("*").from("companies").where("id", .equal, company.id)
                .first(decoding: Company.self, keyDecodingStrategy: .convertFromSnakeCase)!
        }
    }

    // MARK: Signing in

    public enum SignIn: Sendable, Equatable {
        case signedIn(Account)
        /// Wrong address, wrong password or an unconfirmed account: one answer for all.
        case refused
        /// Too many failures for this address or from this source; try again after the date.
        case paused(until: Date)
    }

    /// Checks an address and password, counting failures per address and per source.
    public func signIn(email: String, password: String, source: String, now: Date = Date()) async throws -> SignIn {
        let email = Self.normalized(email)
        for (bucket, subject) in [("login-account", email), ("login-source", source)] {
            if try await throttle.count(bucket, subject, window: loginWindow, now: now) >= loginFailures {
                let end = try await throttle.windowEnd(bucket, subject, window: loginWindow) ?? now
                return .paused(until: end)
            }
        }
        let account = try await account(email: email)
        // Hash either way: an unknown address must not answer faster.
        let stored = account.flatMap { SlowHash($0.passwordHash) } ?? decoy
        let matches = stored.matches(password)
        guard let account, matches, account.isConfirmed else {
            _ = try await throttle.hit("login-account", email, window: loginWindow, now: now)
            _ = try await throttle.hit("login-source", source, window: loginWindow, now: now)
            try await database.transaction { db in
                try await AuditLog.append(
                    db, dialect: database.dialect, actor: "public:\(source)", action: "account.sign-in.failed",
                    subject: account.map(\.actor) ?? "unknown", now: now)
            }
            return .refused
        }
        try await throttle.clear("login-account", email)
        try await database.transaction { db in
            try await AuditLog.append(db, dialect: database.dialect, actor: account.actor, action: "account.signed-in", subject: account.actor, details: ["source": source], now: now)
        }
        return .signedIn(account)
    }

    // MARK: Sessions

    static func tokenHash(_ token: String) -> String {
        Bytes.hex(Array(SHA256.hash(data: Array(token.utf8))))
    }

    /// Starts a session; returns the token for the cookie.
    public func startSession(for account: Account, now: Date = Date()) async throws -> String {
        let token = Bytes.hex(Bytes.random(count: 32))
        let at = Int64(now.timeIntervalSince1970)
        try await database.read { db in
            try await db.insert(into: "sessions").columns("token_hash", "account_id", "created_at", "expires_at")
                .values(SQLBind(Self.tokenHash(token)), SQLBind(account.id), SQLBind(at), SQLBind(at + sessionLifetime)).run()
        }
        return token
    }

    public func account(session token: String, now: Date = Date()) async throws -> Account? {
        guard token.count == 64 else { return nil }
        return try await database.read { db in
            try await db.select().columns(SQLColumn(SQLLiteral.all, table: SQLIdentifier("accounts"))).from("sessions")
                .join("accounts", on: SQLColumn("account_id", table: "sessions"), .equal, SQLColumn("id", table: "accounts"))
                .where(SQLColumn("token_hash", table: "sessions"), .equal, SQLBind(Self.tokenHash(token)))
                .where(SQLColumn("expires_at", table: "sessions"), .greaterThan, SQLBind(Int64(now.timeIntervalSince1970)))
                .first(decoding: Account.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    public func endSession(_ token: String) async throws {
        try await database.read { db in
            try await db.delete(from: "sessions").where("token_hash", .equal, Self.tokenHash(token)).run()
        }
    }

    // MARK: API tokens

    /// Makes an API token for the command-line tools; it is shown once and kept only hashed.
    public func createToken(for account: Account, name: String, now: Date = Date()) async throws -> String {
        let token = "rct_" + Bytes.hex(Bytes.random(count: 24))
        try await database.transaction { db in
            try await db.insert(into: "api_tokens").columns("id", "account_id", "name", "token_hash", "created_at")
                .values(
                    SQLBind("tk_" + Bytes.hex(Bytes.random(count: 8))), SQLBind(account.id), SQLBind(name),
                    SQLBind(Self.tokenHash(token)), SQLBind(Int64(now.timeIntervalSince1970))
                ).run()
            try await AuditLog.append(
                db, dialect: database.dialect, actor: account.actor, action: "account.token.created", subject: account.actor,
                details: ["name": name], now: now)
        }
        return token
    }

    public func account(apiToken token: String, now: Date = Date()) async throws -> Account? {
        guard token.hasPrefix("rct_"), token.count == 52 else { return nil }
        let hash = Self.tokenHash(token)
        return try await database.read { db in
            let account = try await db.select().columns(SQLColumn(SQLLiteral.all, table: SQLIdentifier("accounts"))).from("api_tokens")
                .join("accounts", on: SQLColumn("account_id", table: "api_tokens"), .equal, SQLColumn("id", table: "accounts"))
                .where(SQLColumn("token_hash", table: "api_tokens"), .equal, SQLBind(hash))
                .first(decoding: Account.self, keyDecodingStrategy: .convertFromSnakeCase)
            if account != nil {
                try await db.update("api_tokens").set("last_used_at", to: Int64(now.timeIntervalSince1970))
                    .where("token_hash", .equal, hash).run()
            }
            return account
        }
    }

    // MARK: Sign-up confirmation

    /// A confirmation token for a new account, valid 24 hours.
    func makeConfirmation(for account: Account, now: Date) async throws -> String {
        let token = Bytes.hex(Bytes.random(count: 24))
        try await database.read { db in
            try await db.insert(into: "confirmations").columns("token_hash", "account_id", "expires_at")
                .values(SQLBind(Self.tokenHash(token)), SQLBind(account.id), SQLBind(Int64(now.timeIntervalSince1970) + 86_400))
                .run()
        }
        return token
    }

    /// Confirms the account a link was sent for; the link works once.
    public func confirm(token: String, now: Date = Date()) async throws -> Account? {
        let hash = Self.tokenHash(token)
        return try await database.transaction { db in
            guard
                let accountID = try await db.select().column("account_id").from("confirmations").where("token_hash", .equal, hash)
                    .where("expires_at", .greaterThan, Int64(now.timeIntervalSince1970))
                    .first(decodingColumn: "account_id", as: String.self)
            else { return nil }
            try await db.delete(from: "confirmations").where("token_hash", .equal, hash).run()
            try await db.update("accounts").set("confirmed", to: 1).where("id", .equal, accountID).run()
            try await AuditLog.append(
                db, dialect: database.dialect, actor: "account:\(accountID)", action: "account.confirmed",
                subject: "account:\(accountID)", now: now)
            return try await db.select().column("*").from("accounts").where("id", .equal, accountID)
                .first(decoding: Account.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }
}
