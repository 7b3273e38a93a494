import DeviceAgent
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Platform
import ReclaimCore
import SQLKit

/// The platform suites run against SQLite by default and against PostgreSQL when
/// `RECLAIM_TEST_DATABASE_URL` names a server (scripts/test runs them both ways); each
/// test gets a database of its own.
enum TestDatabase {
    static var postgresURL: String? { ProcessInfo.processInfo.environment["RECLAIM_TEST_DATABASE_URL"] }

    static func url(for directory: String) async throws -> String {
        guard let base = postgresURL else { return "sqlite://" + directory + "/reclaim.sqlite" }
        let name = "reclaim_t_" + Bytes.hex(Bytes.random(count: 6))
        let admin = try await Database.open(url: base, logger: testLogger)
        try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        await admin.close()
        var components = URLComponents(string: base)!
        components.path = "/" + name
        return components.string!
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "platform-test")
    logger.logLevel = .critical
    return logger
}()

func temporaryDirectory(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "reclaim-platform-tests/\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Keeps what the platform would have mailed.
final class RecordingMailer: Mailer {
    private let box = NIOLockedValueBox([MailMessage]())
    var messages: [MailMessage] { box.withLockedValue { $0 } }
    func send(_ message: MailMessage) async throws { box.withLockedValue { $0.append(message) } }
}

/// A platform on a fresh data folder and database, with light password hashing.
struct TestPlatform {
    let services: PlatformServices
    let mailer: RecordingMailer
    let directory: String
    /// How many reserved-e-mail hand-ins the platform has dealt with.
    let processed: NIOLockedValueBox<Int>

    static func make(
        directory: String = temporaryDirectory(), mailer: RecordingMailer = RecordingMailer(),
        _ adjust: (inout ServerSettings) -> Void = { _ in }
    ) async throws -> TestPlatform {
        var settings = ServerSettings(dataDirectory: directory)
        settings.databaseURL = try await TestDatabase.url(for: directory)
        settings.lightPasswordHashing = true
        settings.port = 0
        adjust(&settings)
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        let services = try await PlatformServices.open(settings: settings, logger: testLogger, mailer: mailer, processed: continuation)
        let processed = NIOLockedValueBox(0)
        Task {
            for await _ in stream { processed.withLockedValue { $0 += 1 } }
        }
        return TestPlatform(services: services, mailer: mailer, directory: directory, processed: processed)
    }

    /// Waits (at most 10 s) until `count` reserved-e-mail hand-ins have been dealt with.
    func waitUntilProcessed(_ count: Int) async throws {
        for _ in 0..<200 where processed.withLockedValue({ $0 }) < count {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    var application: some ApplicationProtocol { buildPlatformApplication(services: services) }

    func close() async { await services.close() }

    /// Creates a confirmed account; installers get a company, certified or not.
    @discardableResult
    func account(_ role: Role, email: String? = nil, certified: Bool = false) async throws -> Account {
        let address = email ?? "\(role.rawValue)-\(Bytes.hex(Bytes.random(count: 3)))@example.com"
        let account = try await services.accounts.create(
            email: address, name: role.rawValue.capitalized, role: role, password: testPassword,
            companyName: role == .installer ? "Impianti \(Bytes.hex(Bytes.random(count: 3)))" : nil, confirmed: true, actor: "test")
        if certified, let company = account.companyId {
            _ = try await services.accounts.certify(company: company, actor: "test")
        }
        return account
    }

    func token(for account: Account) async throws -> String {
        try await services.accounts.createToken(for: account, name: "test")
    }
}

let testPassword = "correct horse battery staple"

/// A device that carries this platform's bundle and is enrolled with it.
func enrolledDevice(_ platform: TestPlatform, directory: String = temporaryDirectory()) async throws -> Device {
    let store = DeviceStore(directory: directory)
    try store.create(
        Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: platform.services.authority.bundle), durable: false)
    let device = try Device.open(store: store, configuration: DeviceConfiguration(hashCost: .light), logger: testLogger)
    _ = try await platform.services.authority.enroll([device.identity.enrollment!], actor: "test")
    return device
}

let deviceFirstPassword = "Tr4mvia-Nord"
let deviceNewPassword = "Gall3ria-Sud"

extension TestResponse {
    var text: String { String(buffer: body) }
}
