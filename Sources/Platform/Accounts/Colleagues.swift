public import Foundation
public import ReclaimCore
import SQLKit

/// The people of an installer company: a member invites a colleague by e-mail, the
/// colleague joins through the mailed link (with a new account, or the one they have), and
/// a member may leave.
///
/// An invitation is a link, not a password: its token is kept only as a hash, works once,
/// for 7 days, and only the newest one for an address works. Joining needs the mailbox
/// (the link) and, for an existing account, its password too (being signed in as it). The
/// last member cannot leave: a company's sites, cases and shares would be left with no one
/// to answer for them.
public struct Colleagues: Sendable {
    let database: Database
    let throttle: Throttle
    let auditLog: AuditLog
    let accounts: Accounts
    let mail: MailQueue
    let settings: ServerSettings

    /// How long an invitation works.
    public static let lifetime: Int64 = 7 * 86_400
    /// Invitations a company may send in a day: enough for a team, too few for spam.
    public static let invitationsPerDay = 20

    /// One invitation, as the company's members see it.
    public struct Invitation: Sendable, Equatable, Decodable {
        public let id: String
        public let companyId: String
        public let email: String
        public let invitedBy: String
        public let createdAt: Int64
        public let expiresAt: Int64
    }

    /// What an invitation link shows before it is taken.
    public struct Opened: Sendable, Equatable {
        public let invitation: Invitation
        public let company: String
        public let invitedBy: String
        /// Whether the invited address has an account already: then it joins by signing in.
        public let hasAccount: Bool
    }

    static func hash(_ token: String) -> String { Accounts.tokenHash("reclaim-invitation:" + token) }

    // MARK: Members and invitations

    /// The members of the caller's company, oldest first; none for an installer of no company.
    public func members(of account: Account) async throws -> [Account] {
        guard let company = account.companyId else { return [] }
        return try await database.read { db in try await AccountTable.members(of: company, in: db) }
    }

    /// The invitations of the caller's company that still work, newest first.
    public func pending(for account: Account, now: Date = Date()) async throws -> [Invitation] {
        guard let company = account.companyId else { return [] }
        return try await database.read { db in
            try await Self.open(in: db).where("company_id", .equal, company)
                .where("expires_at", .greaterThan, Int64(now.timeIntervalSince1970)).orderBy("created_at", .descending)
                .all(decoding: Invitation.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    /// One invitation by its id, whatever its company: the route checks it is the caller's.
    public func invitation(id: String) async throws -> Invitation? {
        try await database.read { db in
            try await Self.open(in: db).where("id", .equal, id)
                .first(decoding: Invitation.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    /// Invitations neither taken nor taken back.
    private static func open(in db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns("id", "company_id", "email", "invited_by", "created_at", "expires_at").from("company_invitations")
            .where("accepted_at", .is, SQLLiteral.null).where("revoked_at", .is, SQLLiteral.null)
    }

    // MARK: Inviting

    /// Invites `email` to the caller's company and mails the link, in the inviter's language
    /// (the platform does not know the colleague's). The answer is the same whether or not
    /// the address has an account.
    @discardableResult
    public func invite(_ email: String, by member: Account, now: Date = Date()) async throws -> Invitation {
        guard member.role == .installer else { throw PlatformError(.forbidden, "Only installers invite colleagues.") }
        guard let company = member.companyId else {
            throw PlatformError(.conflict, "You belong to no company.", localized: .init("noCompany"))
        }
        let email = Accounts.normalized(email)
        guard Accounts.isPlausibleAddress(email) else {
            throw PlatformError(
                .invalidInput, "\(email) is not an e-mail address.", localized: .init("error.notAnAddress", ["email": email]))
        }
        guard try await throttle.hit(.invitation, company, window: 86_400, now: now) <= Self.invitationsPerDay else {
            throw PlatformError(
                .throttled,
                "Your company sent "
                    + Language.english.counted(Self.invitationsPerDay, one: "1 invitation", other: "{n} invitations")
                    + " today; try again tomorrow.",
                retryAfter: now.addingTimeInterval(86_400),
                localized: .init("invitationsLimited", count: Self.invitationsPerDay))
        }
        let token = Bytes.hex(Bytes.random(count: 24))
        let at = Int64(now.timeIntervalSince1970)
        let invitation = Invitation(
            id: "inv_" + Bytes.hex(Bytes.random(count: 8)), companyId: company, email: email, invitedBy: member.id, createdAt: at,
            expiresAt: at + Self.lifetime)
        let companyName = try await database.transaction { [auditLog] db -> String in
            if let existing = try await AccountTable.find(email: email, in: db), existing.companyId == company {
                throw PlatformError(
                    .conflict, "\(email) is already in your company.", localized: .init("error.alreadyColleague", ["email": email]))
            }
            // Only the newest invitation for an address works.
            try await db.update("company_invitations").set("revoked_at", to: at).where("company_id", .equal, company)
                .where("email", .equal, email).where("accepted_at", .is, SQLLiteral.null).where("revoked_at", .is, SQLLiteral.null).run()
            try await db.insert(into: "company_invitations")
                .columns("id", "token_hash", "company_id", "email", "invited_by", "created_at", "expires_at")
                .values(
                    SQLBind(invitation.id), SQLBind(Self.hash(token)), SQLBind(company), SQLBind(email), SQLBind(member.id), SQLBind(at),
                    SQLBind(invitation.expiresAt)
                ).run()
            try await auditLog.record(
                .colleagueInvited(company: company, invitation: invitation.id, email: email), by: member.actor, in: db, now: now)
            return try await CompanyTable.find(id: company, in: db)?.name ?? company
        }
        let language = member.preferredLanguage
        mail.enqueue(
            MailMessage(
                to: email,
                MailTemplates.message(
                    "mail.invitation", language,
                    [
                        "company": companyName, "inviter": member.name, "link": "\(settings.publicURL)/invitation?token=\(token)",
                        "until": language.dateTime(
                            Date(timeIntervalSince1970: TimeInterval(invitation.expiresAt)),
                            timeZone: TimeZone(identifier: settings.caseTimeZone) ?? .current),
                    ])))
        return invitation
    }

    /// Takes an invitation back; it stops working at once.
    public func revoke(_ invitation: Invitation, by member: Account, now: Date = Date()) async throws {
        guard member.companyId == invitation.companyId else {
            throw PlatformError(.notFound, "No such invitation in your company.")
        }
        try await database.transaction { [auditLog] db in
            try await db.update("company_invitations").set("revoked_at", to: Int64(now.timeIntervalSince1970))
                .where("id", .equal, invitation.id).where("accepted_at", .is, SQLLiteral.null).run()
            try await auditLog.record(
                .invitationRevoked(company: invitation.companyId, invitation: invitation.id), by: member.actor, in: db, now: now)
        }
    }

    // MARK: Joining

    /// The invitation behind a mailed link, while it still works; nil otherwise.
    public func opened(token: String, now: Date = Date()) async throws -> Opened? {
        try await database.read { db in
            guard
                let invitation = try await Self.open(in: db).where("token_hash", .equal, Self.hash(token))
                    .where("expires_at", .greaterThan, Int64(now.timeIntervalSince1970))
                    .first(decoding: Invitation.self, keyDecodingStrategy: .convertFromSnakeCase)
            else { return nil }
            let company = try await CompanyTable.find(id: invitation.companyId, in: db)?.name ?? invitation.companyId
            let inviter = try await AccountTable.find(id: invitation.invitedBy, in: db)?.name ?? ""
            let hasAccount = try await AccountTable.find(email: invitation.email, in: db) != nil
            return Opened(invitation: invitation, company: company, invitedBy: inviter, hasAccount: hasAccount)
        }
    }

    static let linkDoesNotWork = PlatformError(
        .notFound, "This invitation does not work any more: ask your colleague for a new one. Each works once, for 7 days.",
        localized: .init("invitationInvalid"))

    static func leaveFirst(_ company: String) -> PlatformError {
        PlatformError(
            .conflict, "You belong to \(company): leave it on your company's page first, then open the invitation again.",
            localized: .init("invitationLeaveFirst", ["company": company]))
    }

    /// Joins the company with the account the caller is signed in as, which must be the
    /// invited address's installer account and belong to no company.
    public func accept(token: String, as account: Account, now: Date = Date()) async throws -> Account {
        guard let opened = try await opened(token: token, now: now) else { throw Self.linkDoesNotWork }
        guard account.email == opened.invitation.email else {
            throw PlatformError(
                .forbidden, "This invitation is for \(opened.invitation.email): sign in with that address to accept it.",
                localized: .init("invitationOtherAccount", ["email": opened.invitation.email]))
        }
        guard account.role == .installer else {
            throw PlatformError(
                .forbidden, "Only installer accounts join an installer company.", localized: .init("invitationNotInstaller"))
        }
        if let current = account.companyId {
            throw Self.leaveFirst(try await accounts.company(id: current)?.name ?? current)
        }
        return try await join(opened.invitation, token: token, now: now) { db in
            // Read again in the transaction: two invitations accepted at once join one company.
            guard let fresh = try await AccountTable.find(id: account.id, in: db) else { throw Self.linkDoesNotWork }
            if let current = fresh.companyId {
                let name = try await CompanyTable.find(id: current, in: db)?.name ?? current
                throw Self.leaveFirst(name)
            }
            return fresh
        }
    }

    /// Joins the company with a new installer account for the invited address, which the
    /// link has just proved: the account needs no further confirmation.
    public func accept(token: String, name: String, password: String, language: Language, now: Date = Date()) async throws -> Account {
        guard let opened = try await opened(token: token, now: now) else { throw Self.linkDoesNotWork }
        let account = try accounts.newAccount(
            email: opened.invitation.email, name: name, role: .installer, password: password, language: language,
            companyID: opened.invitation.companyId, confirmed: true, now: now)
        return try await join(opened.invitation, token: token, now: now) { db in
            try await accounts.insert(account, actor: account.actor, in: db, now: now)
            return account
        }
    }

    /// Takes the invitation (once, even if two tabs accept at once) and puts the account in
    /// the company, in one transaction.
    private func join(
        _ invitation: Invitation, token: String, now: Date, account: @Sendable @escaping (any SQLDatabase) async throws -> Account
    ) async throws -> Account {
        let at = Int64(now.timeIntervalSince1970)
        return try await database.transaction { [auditLog] db in
            let member = try await account(db)
            let taken = try await db.update("company_invitations").set("accepted_at", to: at).set("accepted_by", to: member.id)
                .where("token_hash", .equal, Self.hash(token)).where("accepted_at", .is, SQLLiteral.null)
                .where("revoked_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, at)
                .returning("id").first(decodingColumn: "id", as: String.self)
            guard taken != nil else { throw Self.linkDoesNotWork }
            try await AccountTable.setCompany(id: member.id, company: invitation.companyId, in: db)
            try await auditLog.record(
                .colleagueJoined(company: invitation.companyId, account: member.id, invitation: invitation.id), by: member.actor, in: db,
                now: now)
            return member.inCompany(invitation.companyId)
        }
    }

    // MARK: Leaving

    /// Leaves the caller's company. Its cases, sites and shares stay with the company.
    public func leave(_ member: Account, now: Date = Date()) async throws -> Account {
        guard member.role == .installer, let company = member.companyId else {
            throw PlatformError(.conflict, "You belong to no company.", localized: .init("noCompany"))
        }
        return try await database.transaction { [auditLog] db in
            let name = try await CompanyTable.find(id: company, in: db)?.name ?? company
            guard try await CompanyTable.memberCount(id: company, in: db) > 1 else {
                throw PlatformError(
                    .conflict,
                    "You are the last member of \(name): invite a colleague first, so that someone answers for its sites and cases.",
                    localized: .init("leaveLastMember", ["company": name]))
            }
            try await AccountTable.setCompany(id: member.id, company: nil, in: db)
            try await auditLog.record(.colleagueLeft(company: company, account: member.id), by: member.actor, in: db, now: now)
            return member.inCompany(nil)
        }
    }

    /// Starts a new company for an installer who belongs to none (one who left theirs).
    public func startCompany(_ name: String, by installer: Account, now: Date = Date()) async throws -> Account {
        guard installer.role == .installer, installer.companyId == nil else {
            throw PlatformError(
                .conflict, "You belong to a company already: leave it first to start another.", localized: .init("startCompanyMember"))
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw PlatformError(.invalidInput, "Give the company's name.", localized: .init("error.companyMissing"))
        }
        let id = "co_" + Bytes.hex(Bytes.random(count: 8))
        return try await database.transaction { [auditLog] db in
            try await CompanyTable.insert(id: id, name: name, createdAt: Int64(now.timeIntervalSince1970), in: db)
            try await auditLog.record(.companyCreated(id: id, name: name), by: installer.actor, in: db, now: now)
            try await AccountTable.setCompany(id: installer.id, company: id, in: db)
            return installer.inCompany(id)
        }
    }
}
