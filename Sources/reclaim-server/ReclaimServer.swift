import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Platform
import ReclaimCore

@main
struct ReclaimServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim-server",
        abstract: "The Reclaim platform: recovery authority, accounts, reserved-e-mail recovery, portal and JSON API.",
        discussion: "Settings come from flags, RECLAIM_* environment variables and DATA/server.json; docs/server.md lists them.",
        subcommands: [
            Serve.self, Migrate.self, AdminCreate.self, InstallerCommand.self, AuditCommand.self, AuthorityCommand.self,
            FirmwareCommand.self, SettingsCommand.self,
        ])
}

/// The options every subcommand shares: where the data is and how to reach the database.
struct ServerOptions: ParsableArguments {
    @Option(help: "The data folder: SQLite database, authority keys, outbox.")
    var data: String = "reclaim-data"

    @Option(name: .customLong("database-url"), help: "postgres://USER:PASSWORD@HOST:PORT/DB (default: SQLite in DATA).")
    var databaseURL: String?

    @Option(help: "A JSON settings file (default: DATA/server.json when it exists).")
    var config: String?

    func settings(_ extra: [String: String] = [:]) async throws -> ServerSettings {
        var overrides = extra
        if let databaseURL { overrides["database.url"] = databaseURL }
        return try await ServerSettings.load(dataDirectory: data, overrides: overrides, configFile: config)
    }

    func open(_ extra: [String: String] = [:], logger: Logger? = nil) async throws -> PlatformServices {
        let settings = try await settings(extra)
        return try await PlatformServices.open(settings: settings, logger: logger ?? makeLogger(settings, quiet: true))
    }
}

func makeLogger(_ settings: ServerSettings, quiet: Bool = false) -> Logger {
    let format = settings.logFormat
    LoggingSystem.bootstrap { label in
        format == "text" ? StreamLogHandler.standardError(label: label) as any LogHandler : JSONLogHandler(label: label)
    }
    var logger = Logger(label: "reclaim-server")
    logger.logLevel = quiet ? .warning : (Logger.Level(rawValue: settings.logLevel) ?? .info)
    return logger
}

/// Runs `body` and closes the platform after it, also when it throws.
func withPlatform<R>(_ platform: PlatformServices, _ body: (PlatformServices) async throws -> R) async throws -> R {
    do {
        let result = try await body(platform)
        await platform.close()
        return result
    } catch {
        await platform.close()
        throw error
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server.")

    @OptionGroup var options: ServerOptions

    @Option(help: "Address and port to listen on (default 127.0.0.1:8080).")
    var http: String?

    @Option(
        name: .customLong("smtp-listen"),
        help: "Run the recovery mailbox, an SMTP server for QR codes sent by mail, on this address and port (e.g. 0.0.0.0:25).")
    var smtpListen: String?

    @Option(name: .customLong("mailbox-address"), help: "The address the mailbox takes mail for (default pw_recovery@ the public host).")
    var mailboxAddress: String?

    func run() async throws {
        var extra: [String: String] = [:]
        if let http { extra["http.address"] = http }
        if let smtpListen { extra["mailbox.listen"] = smtpListen }
        if let mailboxAddress { extra["mailbox.address"] = mailboxAddress }
        let settings = try await options.settings(extra)
        let logger = makeLogger(settings)
        let platform = try await PlatformServices.open(settings: settings, logger: logger)
        logger.info(
            "reclaim-server starting",
            metadata: [
                "address": "\(settings.host):\(settings.port)", "database": "\(platform.database.location)",
                "mail":
                    "\(settings.mail.transport == "smtp" ? "smtp \(settings.mail.smtpHost):\(settings.mail.smtpPort)" : settings.mail.outboxDirectory)",
                "mailbox": "\(settings.mailboxListen.map { "\(settings.mailboxAddress) on \($0)" } ?? "off")",
            ])
        try await withPlatform(platform) { platform in
            try await buildPlatformApplication(services: platform).runService()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date, then stop.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let platform = try await options.open()
        try await withPlatform(platform) { platform in
            print("Database \(platform.database.location) is at schema version \(try await platform.schemaVersion()).")
        }
    }
}

struct AdminCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administrator, reviewer and (for labs and demos) owner accounts.",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Create an administrator (or, with --role reviewer, a reviewer; --role distributor, a distributor; --role owner, a device owner; confirmed)."
        )

        @OptionGroup var options: ServerOptions

        @Option(help: "The account's e-mail address.")
        var email: String

        @Option(help: "The person's name.")
        var name: String = "Administrator"

        @Option(help: "admin, reviewer or owner.")
        var role: String = "admin"

        @Option(help: "en or it: the language of the account's mail.")
        var language: String = "en"

        @Option(help: "A file holding the password (first line); without it the password is read from standard input.")
        var passwordFile: String?

        func run() async throws {
            guard let role = Role(rawValue: role), role != .installer else {
                throw ValidationError("--role takes admin, reviewer, distributor or owner; installers: reclaim-server installer create.")
            }
            guard let language = Language(rawValue: language) else { throw ValidationError("--language takes en or it.") }
            let password = try readPassword(file: passwordFile, prompt: "Password for \(email) (15 characters or more): ")
            let platform = try await options.open()
            try await withPlatform(platform) { platform in
                do {
                    let account = try await platform.accounts.create(
                        email: email, name: name, role: role, password: password, language: language, confirmed: true,
                        actor: .commandLine)
                    print("Created \(role.rawValue) \(account.email) (\(account.id)).")
                } catch {
                    throw ValidationError(PlatformFailure(error).reason)
                }
            }
        }
    }
}

func readPassword(file: String?, prompt: String) throws -> String {
    if let file {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("Cannot read the password file \(file).")
        }
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }
    FileHandle.standardError.write(Data(prompt.utf8))
    guard let line = readLine(strippingNewline: true) else { throw ValidationError("No password given on standard input.") }
    return line
}

struct InstallerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "installer", abstract: "Installer companies.", subcommands: [Create.self, Certify.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an installer's account, confirmed, in a new company (installers otherwise sign up in the portal).")

        @OptionGroup var options: ServerOptions

        @Option(help: "The installer's e-mail address.")
        var email: String

        @Option(help: "The installer's name.")
        var name: String = "Installer"

        @Option(help: "The new company's name.")
        var company: String

        @Option(help: "en or it: the language of the installer's mail.")
        var language: String = "en"

        @Option(help: "A file holding the password (first line); without it the password is read from standard input.")
        var passwordFile: String?

        func run() async throws {
            guard let language = Language(rawValue: language) else { throw ValidationError("--language takes en or it.") }
            let password = try readPassword(file: passwordFile, prompt: "Password for \(email) (15 characters or more): ")
            let platform = try await options.open()
            try await withPlatform(platform) { platform in
                do {
                    let account = try await platform.accounts.create(
                        email: email, name: name, role: .installer, password: password, language: language, companyName: company,
                        confirmed: true, actor: .commandLine)
                    print("Created installer \(account.email) (\(account.id)) of \(company) (\(account.companyId ?? "")).")
                } catch {
                    throw ValidationError(PlatformFailure(error).reason)
                }
            }
        }
    }

    struct Certify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Certify an installer company: its installers may open reset cases.")

        @OptionGroup var options: ServerOptions

        @Argument(help: "The company's id or exact name.")
        var company: String

        func run() async throws {
            let platform = try await options.open()
            try await withPlatform(platform) { platform in
                do {
                    let company = try await platform.accounts.certify(company: company, actor: .commandLine)
                    print("Certified \(company.name) (\(company.id)).")
                } catch {
                    throw ValidationError(PlatformFailure(error).reason)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List installer companies.")

        @OptionGroup var options: ServerOptions

        func run() async throws {
            let platform = try await options.open()
            try await withPlatform(platform) { platform in
                for company in try await platform.accounts.companies() {
                    print("\(company.id)  \(company.isCertified ? "certified    " : "not certified")  \(company.name)")
                }
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit log's hash chain; name the first entry that was changed, removed or inserted.")

        @OptionGroup var options: ServerOptions

        func run() async throws {
            let platform = try await options.open()
            try await withPlatform(platform) { platform in
                switch try await platform.audit.verify() {
                case .intact(let entries, let head):
                    print(
                        "The audit log is intact: " + Language.english.counted(Int(entries), one: "1 entry", other: "{n} entries")
                            + ", head \(head).")
                case .broken(let seq, let reason):
                    print("The audit log is broken at entry \(seq): \(reason).")
                    throw ExitCode(1)
                }
            }
        }
    }
}

struct AuthorityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authority", abstract: "The recovery authority's keys.",
        subcommands: [ExportBundle.self, Rotate.self, FactoryToken.self])

    struct ExportBundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-bundle", abstract: "Write the public key bundle that devices carry (reclaim-device --authority-bundle).")

        @OptionGroup var options: ServerOptions

        @Option(help: "Where to write it (default: standard output).")
        var out: String?

        func run() async throws {
            let settings = try await options.settings()
            let keys = try AuthorityKeyStore(settings: settings).loadOrCreate()
            let json = try JSONEncoder.reclaim.encode(keys.bundle)
            if let out {
                try json.write(to: URL(fileURLWithPath: out))
                print("Wrote the authority bundle to \(out).")
            } else {
                print(String(decoding: json, as: UTF8.self))
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make new current keys, keeping the old ones for what was signed and sealed before; restart the server after.")

        @OptionGroup var options: ServerOptions

        func run() async throws {
            let settings = try await options.settings()
            let keys = try AuthorityKeyStore(settings: settings).rotate()
            print(
                "New signing key \(keys.currentSigningKey.id), agreement key \(keys.currentAgreementKey.id); \(keys.signingKeys.count) signing keys kept."
            )
        }
    }

    struct FactoryToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "factory-token", abstract: "Print the token the factory enrolls devices with.")

        @OptionGroup var options: ServerOptions

        func run() async throws {
            let settings = try await options.settings()
            print(try AuthorityKeyStore(settings: settings).factoryToken())
        }
    }
}

struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "settings", abstract: "Print every setting key, its default and meaning.")

    func run() async throws {
        for key in ServerSettings.keys {
            print(
                "\(key.name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(key.defaultValue.padding(toLength: 36, withPad: " ", startingAt: 0)) \(key.meaning)"
            )
        }
    }
}
