import Crypto
public import Foundation
public import ReclaimCore
import SQLKit

/// What an account may do. Installers belong to a company; only a certified company's
/// installers may open reset cases. Reviewers work the support desk; administrators run
/// the platform; distributors vouch for the companies they sell to, with certification codes.
public enum Role: String, Sendable, Codable, CaseIterable {
    case installer
    case owner
    case reviewer
    case admin
    /// A distributor: issues the single-use certification codes installer companies redeem.
    case distributor
}

/// Accounts, companies, sign-in sessions and API tokens: the rules. The tables are in
/// `Storage/AccountTables.swift`.
///
/// Rules that hold everywhere here: passwords are kept only as scrypt hashes; session and
/// API tokens only as SHA-256 hashes (a database copy grants nothing); an unknown address
/// takes as long and gets the same answer as a known one with a wrong password.
public struct Accounts: Sendable {
    let database: Database
    let throttle: Throttle
    let auditLog: AuditLog
    let passwordCost: SlowHash.Cost
    let loginFailures: Int
    let loginWindow: Int64
    let sessionLifetime: Int64
    /// Compared against when the address is unknown, so both cases cost one scrypt.
    private let decoy: SlowHash

    init(database: Database, throttle: Throttle, auditLog: AuditLog, settings: ServerSettings) {
        self.database = database
        self.throttle = throttle
        self.auditLog = auditLog
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
        EmailAddress.isPlausible(email)
    }

    // MARK: Creating

    /// Creates an account (and, for a new installer company, the company) in one transaction.
    @discardableResult
    public func create(
        email: String, name: String, role: Role, password: String, language: Language = .english, companyName: String? = nil,
        companyID: String? = nil, confirmed: Bool, actor: AuditActor, now: Date = Date()
    ) async throws -> Account {
        if role == .installer, companyName == nil, companyID == nil {
            throw PlatformError(
                .invalidInput, "An installer belongs to a company: give the company's name.", localized: .init("error.companyMissing"))
        }
        let checked = try newAccount(
            email: email, name: name, role: role, password: password, language: language, companyID: companyID, confirmed: confirmed,
            now: now)
        return try await database.transaction { db in
            var account = checked
            if role == .installer, companyID == nil, let companyName {
                let id = "co_" + Bytes.hex(Bytes.random(count: 8))
                try await CompanyTable.insert(id: id, name: companyName, createdAt: account.createdAt, in: db)
                try await auditLog.record(.companyCreated(id: id, name: companyName), by: actor, in: db, now: now)
                account = account.inCompany(id)
            }
            try await insert(account, actor: actor, in: db, now: now)
            return account
        }
    }

    /// An account checked against the rules (address, name, password) and with its password
    /// hashed, not yet stored: the slow hash runs before any transaction holds a connection.
    func newAccount(
        email: String, name: String, role: Role, password: String, language: Language, companyID: String?, confirmed: Bool, now: Date
    ) throws -> Account {
        let email = Self.normalized(email)
        guard Self.isPlausibleAddress(email) else {
            throw PlatformError(
                .invalidInput, "\(email) is not an e-mail address.", localized: .init("error.notAnAddress", ["email": email]))
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw PlatformError(.invalidInput, "Give a name of 1 to 100 characters.", localized: .init("error.nameLength"))
        }
        try Self.passwordPolicy.check(password, userName: email)
        return Account(
            id: "ac_" + Bytes.hex(Bytes.random(count: 8)), email: email, name: name, role: role, companyId: companyID,
            passwordHash: SlowHash(hashing: password, cost: passwordCost).description, language: language.rawValue,
            isConfirmed: confirmed, createdAt: Int64(now.timeIntervalSince1970))
    }

    /// Stores an account from ``newAccount``, in the caller's transaction; a taken address is a conflict.
    func insert(_ account: Account, actor: AuditActor, in db: any SQLDatabase, now: Date) async throws {
        if try await AccountTable.find(email: account.email, in: db) != nil {
            throw PlatformError(.conflict, "An account with \(account.email) exists already.")
        }
        try await AccountTable.insert(account, in: db)
        try await auditLog.record(
            .accountCreated(id: account.id, role: account.role, company: account.companyId), by: actor, in: db, now: now)
    }

    // MARK: Looking up

    public func account(id: String) async throws -> Account? {
        try await database.read { db in try await AccountTable.find(id: id, in: db) }
    }

    public func account(email: String) async throws -> Account? {
        let email = Self.normalized(email)
        return try await database.read { db in try await AccountTable.find(email: email, in: db) }
    }

    public func company(id: String) async throws -> Company? {
        try await database.read { db in try await CompanyTable.find(id: id, in: db) }
    }

    public func companies() async throws -> [Company] {
        try await database.read { db in try await CompanyTable.all(in: db) }
    }

    public func memberCount(company id: String) async throws -> Int {
        try await database.read { db in try await CompanyTable.memberCount(id: id, in: db) }
    }

    /// Marks an installer company certified: its installers may open reset cases.
    public func certify(company idOrName: String, actor: AuditActor, now: Date = Date()) async throws -> Company {
        try await database.transaction { db in
            let matches = try await CompanyTable.matching(idOrName, in: db)
            guard matches.count == 1, let company = matches.first else {
                throw PlatformError(
                    .notFound,
                    matches.isEmpty
                        ? "No installer company is called \(idOrName); `reclaim-server installer list` shows them."
                        : "\(matches.count) companies are called \(idOrName); certify one by its id.")
            }
            try await CompanyTable.certify(id: company.id, at: Int64(now.timeIntervalSince1970), in: db)
            try await auditLog.record(.companyCertified(id: company.id, name: company.name), by: actor, in: db, now: now)
            return try await CompanyTable.find(id: company.id, in: db) ?? company
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
    ///
    /// The attempt is counted before the slow hash starts and given back only when the
    /// password is right, so a burst of simultaneous guesses is stopped at the limit
    /// instead of being evaluated in full while the hashes run.
    public func signIn(email: String, password: String, source: String, now: Date = Date()) async throws -> SignIn {
        let email = Self.normalized(email)
        let overLimit = [
            (ThrottleBucket.loginAccount, email, try await throttle.hit(.loginAccount, email, window: loginWindow, now: now)),
            (.loginSource, source, try await throttle.hit(.loginSource, source, window: loginWindow, now: now)),
        ].filter { $0.2 > loginFailures }
        if !overLimit.isEmpty {
            var until = now
            for (bucket, subject, _) in overLimit {
                until = max(until, try await throttle.windowEnd(bucket, subject, window: loginWindow) ?? now)
            }
            return .paused(until: until)
        }
        let account = try await account(email: email)
        // Hash either way: an unknown address must not answer faster.
        let stored = account.flatMap { SlowHash($0.passwordHash) } ?? decoy
        let matches = stored.matches(password)
        guard let account, matches, account.isConfirmed else {
            try await database.transaction { db in
                try await auditLog.record(.signInFailed(account: account?.id), by: .visitor(source: source), in: db, now: now)
            }
            return .refused
        }
        try await throttle.clear(.loginAccount, email)
        try await throttle.giveBack(.loginSource, source)
        try await database.transaction { db in
            try await auditLog.record(.signedIn(account: account.id, source: source), by: account.actor, in: db, now: now)
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
        let hash = Self.tokenHash(token), lifetime = sessionLifetime
        try await database.write { db in
            try await CredentialTables.insertSession(tokenHash: hash, account: account.id, createdAt: at, expiresAt: at + lifetime, in: db)
        }
        return token
    }

    public func account(session token: String, now: Date = Date()) async throws -> Account? {
        guard token.count == 64 else { return nil }
        let hash = Self.tokenHash(token)
        return try await database.read { db in
            try await AccountTable.find(through: "sessions", tokenHash: hash, notExpiredAt: Int64(now.timeIntervalSince1970), in: db)
        }
    }

    public func endSession(_ token: String) async throws {
        let hash = Self.tokenHash(token)
        try await database.write { db in try await CredentialTables.deleteSession(tokenHash: hash, in: db) }
    }

    // MARK: API tokens

    /// Makes an API token for the command-line tools; it is shown once and kept only hashed.
    public func createToken(for account: Account, name: String, now: Date = Date()) async throws -> String {
        let token = "rct_" + Bytes.hex(Bytes.random(count: 24))
        let hash = Self.tokenHash(token)
        try await database.transaction { db in
            try await CredentialTables.insertAPIToken(
                id: "tk_" + Bytes.hex(Bytes.random(count: 8)), account: account.id, name: name, tokenHash: hash,
                createdAt: Int64(now.timeIntervalSince1970), in: db)
            try await auditLog.record(.apiTokenCreated(account: account.id, name: name), by: account.actor, in: db, now: now)
        }
        return token
    }

    public func account(apiToken token: String, now: Date = Date()) async throws -> Account? {
        guard token.hasPrefix("rct_"), token.count == 52 else { return nil }
        let hash = Self.tokenHash(token)
        return try await database.write { db in
            let account = try await AccountTable.find(through: "api_tokens", tokenHash: hash, notExpiredAt: nil, in: db)
            if account != nil { try await CredentialTables.touchAPIToken(tokenHash: hash, at: Int64(now.timeIntervalSince1970), in: db) }
            return account
        }
    }

    // MARK: Sign-up confirmation

    /// A confirmation token for a new account, valid 24 hours.
    func makeConfirmation(for account: Account, now: Date) async throws -> String {
        let token = Bytes.hex(Bytes.random(count: 24))
        let hash = Self.tokenHash(token)
        try await database.write { db in
            try await CredentialTables.insertConfirmation(
                tokenHash: hash, account: account.id, expiresAt: Int64(now.timeIntervalSince1970) + 86_400, in: db)
        }
        return token
    }

    /// Confirms the account a link was sent for; the link works once.
    public func confirm(token: String, now: Date = Date()) async throws -> Account? {
        let hash = Self.tokenHash(token)
        return try await database.transaction { db in
            guard
                let accountID = try await CredentialTables.takeConfirmation(tokenHash: hash, now: Int64(now.timeIntervalSince1970), in: db)
            else { return nil }
            try await AccountTable.markConfirmed(id: accountID, in: db)
            try await auditLog.record(.accountConfirmed(id: accountID), by: .account(id: accountID), in: db, now: now)
            return try await AccountTable.find(id: accountID, in: db)
        }
    }

    // MARK: Forgotten password

    /// How long a password-reset link works.
    static let resetLinkLifetime: Int64 = 3600
    /// How many reset links one address is sent an hour.
    static let resetLinksPerHour = 3

    /// A password-reset link for the account with `email`, or nil when there is none (the
    /// caller answers the same either way, after the answer has gone). Earlier reset links
    /// of the account stop working.
    func makePasswordReset(email: String, now: Date) async throws -> (account: Account, token: String)? {
        let email = Self.normalized(email)
        // A mailbox gets a few links an hour at most, whoever asks for them.
        guard try await throttle.hit(.passwordResetAddress, email, window: 3600, now: now) <= Self.resetLinksPerHour else { return nil }
        let token = Bytes.hex(Bytes.random(count: 24))
        let hash = Self.tokenHash(token)
        return try await database.transaction { db in
            guard let account = try await AccountTable.find(email: email, in: db) else { return nil }
            try await CredentialTables.deleteConfirmations(account: account.id, purpose: .passwordReset, in: db)
            try await CredentialTables.insertConfirmation(
                tokenHash: hash, account: account.id, purpose: .passwordReset,
                expiresAt: Int64(now.timeIntervalSince1970) + Self.resetLinkLifetime, in: db)
            return (account, token)
        }
    }

    /// Whether a reset link still works, without using it.
    public func passwordResetIsValid(token: String, now: Date = Date()) async throws -> Bool {
        try await passwordResetAddress(token: token, now: now) != nil
    }

    /// The address of the account a reset link still works for, without using the link: the
    /// page checks the new password against the same rules, with the same user name, as
    /// ``resetPassword(token:newPassword:now:)``.
    public func passwordResetAddress(token: String, now: Date = Date()) async throws -> String? {
        let hash = Self.tokenHash(token)
        return try await database.read { db in
            guard
                let id = try await CredentialTables.confirmationAccount(
                    tokenHash: hash, purpose: .passwordReset, now: Int64(now.timeIntervalSince1970), in: db)
            else { return nil }
            return try await AccountTable.find(id: id, in: db)?.email
        }
    }

    /// Sets a new password through a reset link, once. The link proves the mailbox, so an
    /// unconfirmed account is confirmed too; every session of the account ends. A password
    /// the policy refuses leaves the link working.
    public func resetPassword(token: String, newPassword: String, now: Date = Date()) async throws -> Account {
        let tokenHash = Self.tokenHash(token)
        let stamp = Int64(now.timeIntervalSince1970)
        // Hashed before the transaction, so the database is not held while scrypt runs.
        let passwordHash = SlowHash(hashing: newPassword, cost: passwordCost).description
        return try await database.transaction { [auditLog] db in
            guard
                let accountID = try await CredentialTables.takeConfirmation(
                    tokenHash: tokenHash, purpose: .passwordReset, now: stamp, in: db),
                let account = try await AccountTable.find(id: accountID, in: db)
            else {
                throw PlatformError(
                    .notFound, "This password-reset link does not work (any more): ask for a new one.",
                    localized: .init("resetLinkInvalid"))
            }
            // Thrown inside the transaction: the link is given back.
            try Self.passwordPolicy.check(newPassword, userName: account.email)
            try await AccountTable.setPassword(id: account.id, hash: passwordHash, in: db)
            try await AccountTable.markConfirmed(id: account.id, in: db)
            try await CredentialTables.deleteSessions(account: account.id, in: db)
            try await auditLog.record(.passwordReset(id: account.id), by: .account(id: account.id), in: db, now: now)
            return try await AccountTable.find(id: account.id, in: db) ?? account
        }
    }
}
