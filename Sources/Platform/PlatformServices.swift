public import Foundation
public import Logging
import ReclaimCore
public import ServiceLifecycle
import WebSupport

/// Everything the platform is made of, opened from its settings: the database (migrated),
/// the authority's keys, accounts, mail and reserved-e-mail recovery. The HTTP application
/// and the `reclaim-server` subcommands both stand on it.
public final class PlatformServices: Sendable {
    public let settings: ServerSettings
    public let database: Database
    public let authority: RecoveryAuthority
    public let accounts: Accounts
    public let certification: CertificationCodes
    public let colleagues: Colleagues
    public let tickets: OwnerTickets
    public let mail: MailQueue
    public let emailRecovery: EmailRecovery
    public let signUps: SignUps
    public let cases: SupportCases
    /// The cloud links of the devices linked to this instance, and the commands to them.
    public let links: LinkHub
    /// Owners' devices and sites, and their shares with installer companies.
    public let sites: Sites
    /// Owner-approved password resets (F7).
    public let resets: ResetRequests
    /// Every way into an owner's device, told to the owner and kept as the device's history.
    public let history: DeviceHistory
    /// Second-hand claims of devices, and the grace period of their owners.
    public let claims: DeviceClaims
    /// The recovery mailbox, when `mailbox.listen` is set: the QR code by mail (F4).
    public let mailbox: MailboxServer?
    public let audit: AuditTrail
    public let metrics: PlatformMetrics
    public let logger: Logger
    let throttle: Throttle
    /// The portal's pages as a surface of the shared page layer, with this server's cookie setting.
    let portalSurface: WebSurface
    let factoryToken: String

    /// What runs beside the HTTP server and stops with it, after finishing what it holds:
    /// the audit checkpoint, the mail queue, reserved-e-mail recovery, sign-up mail, the
    /// support cases' automatic check and expiry, the cloud links, the owner-approved resets,
    /// the devices' histories, the second-hand claims, the owners' tickets' retention; and the
    /// recovery mailbox when it is set.
    public var backgroundServices: [any Service] {
        [audit, mail, emailRecovery, signUps, cases, links, resets, history, claims, tickets] + (mailbox.map { [$0] } ?? [])
    }

    /// Opens the data folder: creates it, the database schema and the authority's keys as needed.
    public static func open(
        settings: ServerSettings, logger: Logger, mailer: (any Mailer)? = nil, now: Date = Date(),
        processed: AsyncStream<Void>.Continuation? = nil
    ) async throws -> PlatformServices {
        try settings.validate()
        let keyStore = try AuthorityKeyStore(settings: settings)
        try FileManager.default.createDirectory(
            atPath: settings.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try await Database.open(url: settings.databaseURL, logger: logger)
        do {
            try await Migrations.run(on: database, now: now)
        } catch {
            await database.close()
            throw PlatformError(.migration, "The database schema could not be brought up to date: \(error)")
        }
        let keys: AuthorityKeys
        let factoryToken: String
        let auditLog: AuditLog
        do {
            keys = try keyStore.loadOrCreate(now: now)
            factoryToken = try keyStore.factoryToken()
            auditLog = AuditLog(key: try keyStore.auditKey())
            // Entries written before the log had a key are sealed now.
            try await auditLog.sealUnsealed(database)
        } catch {
            await database.close()
            throw error
        }
        let metrics = PlatformMetrics()
        let chosenMailer: any Mailer =
            mailer
            ?? (settings.mail.transport == "smtp"
                ? SMTPMailer(settings: settings.mail)
                : OutboxMailer(directory: settings.mail.outboxDirectory, from: settings.mail.from))
        let mail = MailQueue(mailer: chosenMailer, logger: logger, metrics: metrics)
        // Every service is built here, once, each on the same database and throttle.
        let throttle = Throttle(database: database)
        let (issued, issuedContinuation) = AsyncStream<Issuance>.makeStream()
        let authority = RecoveryAuthority(
            keys: keys, database: database, auditLog: auditLog, resetFileValidity: settings.resetFileValidity,
            issued: issuedContinuation)
        let accounts = Accounts(database: database, throttle: throttle, auditLog: auditLog, settings: settings)
        // One bound on reading pictures for every surface that takes them (/recover, the
        // recovery mailbox, owners' tickets): together they never take more than its slots.
        let pictures = PictureDecoding()
        return PlatformServices(
            settings: settings, database: database, authority: authority, accounts: accounts, mail: mail,
            emailRecovery: EmailRecovery(
                authority: authority, throttle: throttle, mail: mail, database: database, auditLog: auditLog, settings: settings,
                logger: logger, metrics: metrics, pictures: pictures, processed: processed),
            signUps: SignUps(accounts: accounts, mail: mail, publicURL: settings.publicURL, logger: logger),
            cases: try SupportCases(
                database: database, authority: authority, auditLog: auditLog, mail: mail, settings: settings, logger: logger),
            links: LinkHub(database: database, authority: authority, auditLog: auditLog, logger: logger),
            audit: AuditTrail(database: database, log: auditLog, keys: keys, dataDirectory: settings.dataDirectory, logger: logger),
            metrics: metrics, logger: logger, throttle: throttle, pictures: pictures, factoryToken: factoryToken, issued: issued)
    }

    private init(
        settings: ServerSettings, database: Database, authority: RecoveryAuthority, accounts: Accounts, mail: MailQueue,
        emailRecovery: EmailRecovery, signUps: SignUps, cases: SupportCases, links: LinkHub, audit: AuditTrail, metrics: PlatformMetrics,
        logger: Logger,
        throttle: Throttle, pictures: PictureDecoding,
        factoryToken: String, issued: AsyncStream<Issuance>
    ) {
        self.settings = settings
        self.database = database
        self.authority = authority
        self.accounts = accounts
        certification = CertificationCodes(database: accounts.database, throttle: accounts.throttle, auditLog: accounts.auditLog)
        colleagues = Colleagues(
            database: accounts.database, throttle: accounts.throttle, auditLog: accounts.auditLog, accounts: accounts, mail: mail,
            settings: settings)
        self.mail = mail
        self.emailRecovery = emailRecovery
        self.signUps = signUps
        self.cases = cases
        self.links = links
        history = DeviceHistory(database: database, links: links, mail: mail, settings: settings, logger: logger, issued: issued)
        let notices = Notices(database: database, mail: mail, settings: settings)
        sites = Sites(database: database, authority: authority, auditLog: authority.auditLog, throttle: throttle, notices: notices)
        claims = DeviceClaims(
            database: database, sites: sites, links: links, history: history, notices: notices, auditLog: authority.auditLog,
            settings: settings, logger: logger)
        resets = ResetRequests(
            database: database, sites: sites, links: links, auditLog: authority.auditLog, mail: mail, settings: settings, logger: logger)
        tickets = OwnerTickets(
            database: database, authority: authority, auditLog: authority.auditLog, throttle: throttle, mail: mail, settings: settings,
            pictures: pictures, logger: logger)
        mailbox = settings.mailboxListen.map { _ in
            MailboxServer(
                mailbox: Mailbox(recovery: emailRecovery, throttle: throttle, settings: settings, metrics: metrics, logger: logger),
                settings: settings, logger: logger)
        }
        self.audit = audit
        self.metrics = metrics
        self.logger = logger
        self.throttle = throttle
        self.factoryToken = factoryToken
        portalSurface = PortalWeb.surface(secureCookies: settings.secureCookies)
    }

    public func schemaVersion() async throws -> Int {
        try await Migrations.currentVersion(of: database)
    }

    /// Writes a last audit checkpoint and closes the database.
    public func close() async {
        await audit.checkpointQuietly()
        await database.close()
    }
}
