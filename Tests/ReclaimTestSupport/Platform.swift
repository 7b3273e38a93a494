public import DeviceAgent
public import Foundation
public import Hummingbird
public import HummingbirdTesting
import NIOConcurrencyHelpers
public import Platform
public import ReclaimCore
import SQLKit
import ServiceLifecycle

/// Platforms for tests: a fresh data folder and database each (SQLite, or PostgreSQL when
/// `RECLAIM_TEST_DATABASE_URL` names a server), light password hashing, mail kept in memory.

/// The database a test platform uses.
public enum TestDatabase {
    public static var postgresURL: String? { ProcessInfo.processInfo.environment["RECLAIM_TEST_DATABASE_URL"] }

    /// A database of its own for one test: a SQLite file in `directory`, or a new PostgreSQL database.
    public static func url(for directory: String) async throws -> String {
        guard let base = postgresURL else { return "sqlite://" + directory + "/reclaim.sqlite" }
        let name = "reclaim_t_" + Bytes.hex(Bytes.random(count: 6))
        let admin = try await Database.open(url: base, logger: testLogger)
        try await admin.write { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        await admin.close()
        var components = URLComponents(string: base)!
        components.path = "/" + name
        return components.string!
    }
}

/// Keeps what the platform would have mailed.
public final class RecordingMailer: Mailer {
    private let box = NIOLockedValueBox([MailMessage]())
    public init() {}
    public var messages: [MailMessage] { box.withLockedValue { $0 } }
    public func send(_ message: MailMessage) async throws { box.withLockedValue { $0.append(message) } }
}

/// A platform on a fresh data folder and database, with light password hashing.
public struct TestPlatform: Sendable {
    public let services: PlatformServices
    public let mailer: RecordingMailer
    public let directory: String
    /// How many reserved-e-mail hand-ins the platform has dealt with.
    let processed: NIOLockedValueBox<Int>

    public static func make(
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
    public func waitUntilProcessed(_ count: Int) async throws {
        for _ in 0..<200 where processed.withLockedValue({ $0 }) < count {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs `body` while the platform's background services (mail, reserved-e-mail
    /// recovery…) run, without an HTTP server; stops them gracefully afterwards. Services
    /// stop for good: once a test of `application` (which runs them too) has ended, this
    /// cannot start them again.
    public func withBackgroundServices<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: services.backgroundServices, logger: testLogger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let value = try await body()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    public var application: some ApplicationProtocol { buildPlatformApplication(services: services) }

    public func close() async { await services.close() }

    /// Creates a confirmed account; installers get a company, certified or not.
    @discardableResult
    public func account(_ role: Role, email: String? = nil, certified: Bool = false, company: String? = nil) async throws -> Account {
        let address = email ?? "\(role.rawValue)-\(Bytes.hex(Bytes.random(count: 3)))@example.com"
        let account = try await services.accounts.create(
            email: address, name: role.rawValue.capitalized, role: role, password: testPassword,
            companyName: role == .installer && company == nil ? "Impianti \(Bytes.hex(Bytes.random(count: 3)))" : nil,
            companyID: company, confirmed: true, actor: .system)
        if certified, let company = account.companyId {
            _ = try await services.accounts.certify(company: company, actor: .system)
        }
        return account
    }

    public func token(for account: Account) async throws -> String {
        try await services.accounts.createToken(for: account, name: "test")
    }
}

/// Runs `body` with a fresh ``TestPlatform`` and closes it afterwards, also when `body` throws.
public func withTestPlatform<T: Sendable>(
    directory: String = temporaryDirectory(), mailer: RecordingMailer = RecordingMailer(),
    _ adjust: (inout ServerSettings) -> Void = { _ in }, _ body: @Sendable (TestPlatform) async throws -> T
) async throws -> T {
    let platform = try await TestPlatform.make(directory: directory, mailer: mailer, adjust)
    do {
        let result = try await body(platform)
        await platform.close()
        return result
    } catch {
        await platform.close()
        throw error
    }
}

/// A device that carries this platform's bundle and is enrolled with it.
public func enrolledDevice(
    _ platform: TestPlatform, directory: String = temporaryDirectory(), model: DeviceModel = DeviceModel.catalogue[0],
    firmware: DeviceModel.Firmware? = nil, releaseKeys: [ReleaseKey] = []
) async throws -> Device {
    let store = DeviceStore(directory: directory)
    var identity = Factory.makeIdentity(model: model, authority: platform.services.authority.bundle)
    if let firmware { identity.firmware = firmware }
    try store.create(identity, durable: false)
    let device = try Device.open(
        store: store, configuration: DeviceConfiguration(hashCost: .light, releaseKeys: releaseKeys), logger: testLogger)
    _ = try await platform.services.authority.enroll([device.identity.enrollment!], actor: .system)
    return device
}

extension TestResponse {
    public var text: String { String(buffer: body) }
}
