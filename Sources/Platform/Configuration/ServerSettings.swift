public import Configuration
public import Crypto
public import Foundation
import ReclaimCore
import SystemPackage

/// Everything `reclaim-server` can be told, with its default.
///
/// Read, highest first, from command-line flags, from environment variables
/// (`RECLAIM_` + the key in capitals with `_` for `.`, e.g. `RECLAIM_MAIL_SMTP_HOST`),
/// from the JSON file `--config FILE` (default `DATA/server.json` when it exists; nested
/// objects, e.g. `{"mail": {"smtp": {"host": "…"}}}`), and last from the defaults below.
/// `docs/server.md` lists every key; `reclaim-server settings` prints the values in force.
public struct ServerSettings: Sendable {
    public struct Key: Sendable {
        public let name: String
        public let defaultValue: String
        public let meaning: String
        public let isSecret: Bool
    }

    /// The documented keys. The test of `docs/server.md` checks the document names every one.
    public static let keys: [Key] = [
        Key(name: "http.address", defaultValue: "127.0.0.1:8080", meaning: "Address and port the server listens on.", isSecret: false),
        Key(
            name: "http.public-url", defaultValue: "http://ADDRESS",
            meaning: "The URL people reach the server at; links in mail start with it.", isSecret: false),
        Key(
            name: "http.trusted-proxies", defaultValue: "(none)",
            meaning:
                "Comma-separated addresses of reverse proxies whose X-Forwarded-For / Forwarded header names the client; from any other peer those headers are ignored.",
            isSecret: false),
        Key(
            name: "http.secure-cookies", defaultValue: "true when public-url is https",
            meaning: "Mark cookies Secure (the browser sends them over HTTPS only).", isSecret: false),
        Key(
            name: "database.url", defaultValue: "sqlite://DATA/reclaim.sqlite",
            meaning:
                "sqlite:///path/file.sqlite, postgres://user:password@host:port/database, or postgres+uds://user@localhost/path/to/.s.PGSQL.5432#database.",
            isSecret: true),
        Key(name: "mail.transport", defaultValue: "outbox", meaning: "outbox (files in DATA/outbox) or smtp.", isSecret: false),
        Key(name: "mail.from", defaultValue: "Reclaim <no-reply@reclaim.invalid>", meaning: "The From of every message.", isSecret: false),
        Key(name: "mail.smtp.host", defaultValue: "127.0.0.1", meaning: "SMTP server (mail.transport=smtp).", isSecret: false),
        Key(name: "mail.smtp.port", defaultValue: "587", meaning: "SMTP port.", isSecret: false),
        Key(
            name: "mail.smtp.starttls", defaultValue: "required",
            meaning: "required (refuse to send in clear), or off for a sink on loopback.", isSecret: false),
        Key(
            name: "mail.smtp.ca-file", defaultValue: "(system trust)",
            meaning: "PEM file of the certificate authority the SMTP server's certificate must chain to.", isSecret: false),
        Key(name: "mail.smtp.username", defaultValue: "(none)", meaning: "SMTP AUTH user; without it no AUTH is sent.", isSecret: false),
        Key(name: "mail.smtp.password", defaultValue: "(none)", meaning: "SMTP AUTH password.", isSecret: true),
        Key(
            name: "limits.login.failures", defaultValue: "5",
            meaning: "Failed sign-ins per account, and per source address, before sign-in pauses.", isSecret: false),
        Key(
            name: "limits.login.window", defaultValue: "900", meaning: "Seconds the failures are counted over and the pause lasts.",
            isSecret: false),
        Key(
            name: "limits.email-recovery.per-device", defaultValue: "3",
            meaning: "Reserved-e-mail codes mailed per device per window.", isSecret: false),
        Key(
            name: "limits.email-recovery.per-address", defaultValue: "5",
            meaning: "Reserved-e-mail codes mailed per reserved address per window.", isSecret: false),
        Key(
            name: "limits.email-recovery.per-source", defaultValue: "20",
            meaning: "QR codes handed in per source address per window.", isSecret: false),
        Key(
            name: "limits.email-recovery.window", defaultValue: "3600", meaning: "Seconds the e-mail recovery limits count over.",
            isSecret: false),
        Key(name: "limits.signup.per-source", defaultValue: "10", meaning: "Sign-ups per source address per hour.", isSecret: false),
        Key(name: "sessions.lifetime", defaultValue: "43200", meaning: "Seconds a portal sign-in lasts.", isSecret: false),
        Key(
            name: "authority.reset-file-validity", defaultValue: "172800",
            meaning: "Seconds a reset file stays valid (never past its challenge's expiry).", isSecret: false),
        Key(
            name: "authority.master-key", defaultValue: "(none)",
            meaning:
                "A secret of 32 characters or more that seals the authority's private keys and the audit key at rest (best given as RECLAIM_AUTHORITY_MASTER_KEY).",
            isSecret: true),
        Key(
            name: "authority.master-key-file", defaultValue: "(none)",
            meaning: "A file outside the data folder holding that secret, instead of the setting itself.", isSecret: false),
        Key(
            name: "passwords.cost", defaultValue: "standard", meaning: "scrypt cost of account passwords: standard, or light for tests.",
            isSecret: false),
        Key(
            name: "metrics.token", defaultValue: "(none: loopback only)",
            meaning:
                "A token that GET /metrics requires (Authorization: Bearer TOKEN); without one, /metrics answers requests from this machine only.",
            isSecret: true),
        Key(
            name: "cases.working-hours", defaultValue: "mon-fri 09:00-12:00 13:00-17:30",
            meaning: "When reviewers work: days (mon-fri, sat) and time ranges, clauses separated by ;.", isSecret: false),
        Key(name: "cases.holidays", defaultValue: "(none)", meaning: "Days without review, YYYY-MM-DD, comma-separated.", isSecret: false),
        Key(name: "cases.time-zone", defaultValue: "Europe/Rome", meaning: "The time zone of the working hours.", isSecret: false),
        Key(
            name: "cases.review-minutes", defaultValue: "10",
            meaning: "Working minutes a reviewer takes to look at a case; installers are told when to expect it.", isSecret: false),
        Key(
            name: "cases.result-lifetime", defaultValue: "86400",
            meaning: "Seconds a case's reset key or file is offered before the case closes by itself (never past the challenge's expiry).",
            isSecret: false),
        Key(
            name: "reset.same-network", defaultValue: "address",
            meaning:
                "How an owner-approved reset checks 'on the device's network': address (the request comes from the address the device's cloud link comes from, as this server sees both after trusted proxies) or off (no check: only for deployments where every client reaches this server from one address, behind NAT or a proxy that is not trusted).",
            isSecret: false),
        Key(
            name: "claims.grace-hours", defaultValue: "72",
            meaning:
                "Hours the owner of a device has to object when someone who holds it (label code, factory reset) claims it as second-hand; then it moves.",
            isSecret: false),
        Key(
            name: "mailbox.listen", defaultValue: "(off)",
            meaning:
                "Address and port of the recovery mailbox, an SMTP server that takes the QR code of reserved-e-mail recovery as a mail attachment (e.g. 0.0.0.0:25); off when unset.",
            isSecret: false),
        Key(
            name: "mailbox.address", defaultValue: "pw_recovery@HOST",
            meaning:
                "The one address the mailbox takes mail for; HOST is the public URL's host name, or mail.from's domain when that is an IP address.",
            isSecret: false),
        Key(
            name: "mailbox.max-message-size", defaultValue: "10485760",
            meaning: "Largest message the mailbox takes, in bytes (advertised as SIZE).", isSecret: false),
        Key(
            name: "mailbox.idle-timeout", defaultValue: "120",
            meaning: "Seconds the mailbox waits for a client's next line before closing the connection.", isSecret: false),
        Key(
            name: "limits.mailbox.per-source", defaultValue: "10",
            meaning: "Messages the mailbox takes per source address per window (limits.email-recovery.window).", isSecret: false),
        Key(name: "log.level", defaultValue: "info", meaning: "trace, debug, info, notice, warning, error.", isSecret: false),
        Key(name: "log.format", defaultValue: "json", meaning: "json (one object a line) or text.", isSecret: false),
    ]

    public var dataDirectory: String
    public var host: String
    public var port: Int
    public var publicURL: String
    public var secureCookies: Bool
    /// Peers whose forwarding headers are believed (see ``ClientAddress``).
    public var trustedProxies: Set<String>
    public var databaseURL: String
    public var mail: MailSettings
    public var loginFailures: Int
    public var loginWindow: Int64
    public var emailRecoveryPerDevice: Int
    public var emailRecoveryPerAddress: Int
    public var emailRecoveryPerSource: Int
    public var emailRecoveryWindow: Int64
    public var signupsPerSource: Int
    public var sessionLifetime: Int64
    public var resetFileValidity: TimeInterval
    public var lightPasswordHashing: Bool
    public var workingHoursText: String
    public var holidaysText: String
    public var caseTimeZone: String
    public var reviewMinutes: Int
    public var caseResultLifetime: Int64
    /// Whether owner-approved resets compare addresses to decide "on the device's network".
    public var resetSameNetwork: Bool
    /// How long an owner may object to a second-hand claim of their device.
    public var claimGrace: TimeInterval
    /// How long an owner's ticket keeps its files after it ends (approved, rejected, closed).
    public var ticketRetention: Int64
    /// The largest file a ticket takes, in bytes.
    public var ticketFileLimit: Int
    /// Where the recovery mailbox listens (`mailbox.listen`); nil: no mailbox.
    public var mailboxListen: String?
    /// The one address the mailbox takes mail for.
    public var mailboxAddress: String
    public var mailboxMaxMessageBytes: Int
    public var mailboxIdleTimeout: Int
    public var mailboxPerSource: Int
    public var logLevel: String
    public var logFormat: String
    /// What `GET /metrics` requires; nil: loopback callers only.
    public var metricsToken: String?
    /// The secret that seals the authority's keys at rest, given directly…
    public var authorityMasterKeyText: String?
    /// …or in a file outside the data folder.
    public var authorityMasterKeyFile: String?

    /// The defaults for a data folder: what `reclaim-server serve --data DIR` runs with.
    public init(dataDirectory: String) {
        self.init(dataDirectory: dataDirectory, reader: ConfigReader(provider: InMemoryProvider(values: [:])))
    }

    /// Reads every key through `reader`, falling back to the defaults.
    public init(dataDirectory: String, reader config: ConfigReader) {
        self.dataDirectory = dataDirectory
        let address = config.string(forKey: "http.address", default: "127.0.0.1:8080")
        let (host, port) = Self.split(address)
        self.host = host
        self.port = port
        publicURL = config.string(forKey: "http.public-url", default: "http://\(host):\(port)")
        secureCookies = config.bool(forKey: "http.secure-cookies", default: publicURL.hasPrefix("https://"))
        trustedProxies = Set(
            config.string(forKey: "http.trusted-proxies", default: "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
        databaseURL = config.string(
            forKey: "database.url", isSecret: true,
            default: "sqlite://" + (dataDirectory as NSString).appendingPathComponent("reclaim.sqlite"))
        mail = MailSettings(
            transport: config.string(forKey: "mail.transport", default: "outbox"),
            from: config.string(forKey: "mail.from", default: "Reclaim <no-reply@reclaim.invalid>"),
            outboxDirectory: (dataDirectory as NSString).appendingPathComponent("outbox"),
            smtpHost: config.string(forKey: "mail.smtp.host", default: "127.0.0.1"),
            smtpPort: config.int(forKey: "mail.smtp.port", default: 587),
            startTLS: config.string(forKey: "mail.smtp.starttls", default: "required") != "off",
            caFile: config.string(forKey: "mail.smtp.ca-file"),
            username: config.string(forKey: "mail.smtp.username"),
            password: config.string(forKey: "mail.smtp.password", isSecret: true))
        loginFailures = config.int(forKey: "limits.login.failures", default: 5)
        loginWindow = Int64(config.int(forKey: "limits.login.window", default: 900))
        emailRecoveryPerDevice = config.int(forKey: "limits.email-recovery.per-device", default: 3)
        emailRecoveryPerAddress = config.int(forKey: "limits.email-recovery.per-address", default: 5)
        emailRecoveryPerSource = config.int(forKey: "limits.email-recovery.per-source", default: 20)
        emailRecoveryWindow = Int64(config.int(forKey: "limits.email-recovery.window", default: 3600))
        signupsPerSource = config.int(forKey: "limits.signup.per-source", default: 10)
        sessionLifetime = Int64(config.int(forKey: "sessions.lifetime", default: 43200))
        resetFileValidity = TimeInterval(config.int(forKey: "authority.reset-file-validity", default: 172_800))
        lightPasswordHashing = config.string(forKey: "passwords.cost", default: "standard") == "light"
        workingHoursText = config.string(forKey: "cases.working-hours", default: "mon-fri 09:00-12:00 13:00-17:30")
        holidaysText = config.string(forKey: "cases.holidays", default: "")
        caseTimeZone = config.string(forKey: "cases.time-zone", default: "Europe/Rome")
        reviewMinutes = config.int(forKey: "cases.review-minutes", default: 10)
        caseResultLifetime = Int64(config.int(forKey: "cases.result-lifetime", default: 86_400))
        resetSameNetwork = config.string(forKey: "reset.same-network", default: "address") != "off"
        claimGrace = TimeInterval(max(1, config.int(forKey: "claims.grace-hours", default: 72))) * 3600
        ticketRetention = Int64(config.int(forKey: "tickets.retention-days", default: 90)) * 86_400
        ticketFileLimit = config.int(forKey: "tickets.file-limit", default: 5 * 1_048_576)
        mailboxListen = config.string(forKey: "mailbox.listen").flatMap { $0.isEmpty || $0 == "off" ? nil : $0 }
        mailboxAddress = config.string(
            forKey: "mailbox.address", default: Self.defaultMailboxAddress(publicURL: publicURL, from: mail.from))
        mailboxMaxMessageBytes = config.int(forKey: "mailbox.max-message-size", default: 10 * 1024 * 1024)
        mailboxIdleTimeout = config.int(forKey: "mailbox.idle-timeout", default: 120)
        mailboxPerSource = config.int(forKey: "limits.mailbox.per-source", default: 10)
        logLevel = config.string(forKey: "log.level", default: "info")
        logFormat = config.string(forKey: "log.format", default: "json")
        metricsToken = config.string(forKey: "metrics.token", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        authorityMasterKeyText = config.string(forKey: "authority.master-key", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        authorityMasterKeyFile = config.string(forKey: "authority.master-key-file").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads flags (already parsed into `overrides`, keyed like the table), the
    /// environment and the JSON file, in that order of precedence.
    public static func load(
        dataDirectory: String, overrides: [String: String], configFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> ServerSettings {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "flags",
                values: Dictionary(
                    uniqueKeysWithValues: overrides.map { (AbsoluteConfigKey(stringLiteral: $0.key), ConfigValue(stringLiteral: $0.value)) }
                )),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "reclaim"),
        ]
        let file = configFile ?? (dataDirectory as NSString).appendingPathComponent("server.json")
        if FileManager.default.fileExists(atPath: file) {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
        } else if configFile != nil {
            throw PlatformError(.badSetting, "The configuration file \(file) does not exist.")
        }
        return ServerSettings(dataDirectory: dataDirectory, reader: ConfigReader(providers: providers))
    }

    /// Refuses a setting out of its range, naming it and the range, before the server
    /// starts with it.
    public func validate() throws(PlatformError) {
        let day: Int64 = 86_400
        let checks: [(String, Int64, ClosedRange<Int64>)] = [
            ("http.address (port)", Int64(port), 0...65_535),
            ("mail.smtp.port", Int64(mail.smtpPort), 1...65_535),
            ("limits.login.failures", Int64(loginFailures), 1...1_000_000),
            ("limits.login.window", loginWindow, 1...(30 * day)),
            ("limits.email-recovery.per-device", Int64(emailRecoveryPerDevice), 1...1_000_000),
            ("limits.email-recovery.per-address", Int64(emailRecoveryPerAddress), 1...1_000_000),
            ("limits.email-recovery.per-source", Int64(emailRecoveryPerSource), 1...1_000_000),
            ("limits.email-recovery.window", emailRecoveryWindow, 1...(30 * day)),
            ("limits.signup.per-source", Int64(signupsPerSource), 1...1_000_000),
            ("sessions.lifetime", sessionLifetime, 60...(90 * day)),
            ("authority.reset-file-validity", Int64(resetFileValidity.isFinite ? resetFileValidity : -1), 300...(7 * day)),
            ("cases.review-minutes", Int64(reviewMinutes), 1...(7 * 24 * 60)),
            ("cases.result-lifetime", caseResultLifetime, 300...(7 * day)),
            ("tickets.retention-days", ticketRetention / day, 1...3650),
            ("tickets.file-limit", Int64(ticketFileLimit), 65_536...(25 * 1_048_576)),
            ("mailbox.max-message-size", Int64(mailboxMaxMessageBytes), 1024...(64 * 1024 * 1024)),
            ("mailbox.idle-timeout", Int64(mailboxIdleTimeout), 5...3600),
            ("limits.mailbox.per-source", Int64(mailboxPerSource), 1...1_000_000),
        ]
        for (key, value, range) in checks where !range.contains(value) {
            throw PlatformError(.badSetting, "\(key) is \(value); it takes \(range.lowerBound) to \(range.upperBound).")
        }
        guard ["outbox", "smtp"].contains(mail.transport) else {
            throw PlatformError(.badSetting, "mail.transport is \(mail.transport); it takes outbox or smtp.")
        }
        _ = try workingHours()
        // The mailbox's address matters only when it runs: a server without one starts whatever mail.from says.
        if let mailboxListen {
            guard let address = Self.listenAddress(mailboxListen), (0...65_535).contains(address.port) else {
                throw PlatformError(.badSetting, "mailbox.listen is \(mailboxListen); give HOST:PORT, e.g. 0.0.0.0:25.")
            }
            guard EmailAddress.isPlausible(mailboxAddress) else {
                throw PlatformError(
                    .badSetting, "mailbox.address is \(mailboxAddress); give an address such as pw_recovery@reclaim.example.com.")
            }
        }
        guard ["json", "text"].contains(logFormat) else {
            throw PlatformError(.badSetting, "log.format is \(logFormat); it takes json or text.")
        }
    }

    /// The reviewers' working hours, from `cases.working-hours`, `cases.holidays`, `cases.time-zone`.
    public func workingHours() throws(PlatformError) -> WorkingHours {
        try WorkingHours(schedule: workingHoursText, holidays: holidaysText, timeZone: caseTimeZone)
    }

    /// The key the authority's secrets are sealed with at rest, if one is set.
    public func authorityMasterKey() throws(PlatformError) -> SymmetricKey? {
        var secret = authorityMasterKeyText
        if secret == nil, let file = authorityMasterKeyFile {
            let folder = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path + "/"
            guard !URL(fileURLWithPath: file).standardizedFileURL.path.hasPrefix(folder) else {
                throw PlatformError(
                    .badSetting,
                    "authority.master-key-file is inside the data folder; keep it elsewhere, or a copy of the folder carries it.")
            }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw PlatformError(.badSetting, "authority.master-key-file \(file) cannot be read.")
            }
            secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let secret else { return nil }
        guard secret.utf8.count >= 32 else {
            throw PlatformError(.badSetting, "The authority master key is shorter than 32 characters; give a longer secret.")
        }
        return HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)), salt: Array("reclaim-authority-master-key-1".utf8),
            outputByteCount: 32)
    }

    /// `pw_recovery@` the host people reach the server at — or, when that is an IP address or
    /// `localhost`, the domain the server mails from: an address needs a domain name.
    static func defaultMailboxAddress(publicURL: String, from: String) -> String {
        let host = URLComponents(string: publicURL)?.host ?? ""
        let isName = host.contains(".") && host.contains(where: \.isLetter) && !host.contains(":")
        if isName { return "pw_recovery@" + host.lowercased() }
        let sender = from.split(separator: "<").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "> ")) } ?? from
        return "pw_recovery@" + (sender.split(separator: "@").last.map(String.init) ?? "reclaim.invalid")
    }

    /// The mailbox's `HOST:PORT`, split; nil when it is not one.
    public static func listenAddress(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        let host = text[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }

    static func split(_ address: String) -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return (address, 8080)
        }
        return (String(address[..<colon]), port)
    }
}

public struct MailSettings: Sendable {
    public var transport: String
    public var from: String
    public var outboxDirectory: String
    public var smtpHost: String
    public var smtpPort: Int
    public var startTLS: Bool
    public var caFile: String?
    public var username: String?
    public var password: String?
}
