import AsyncHTTPClient
import DeviceAgent
import Foundation
import ISAPIClient
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ReclaimCore
import ServiceLifecycle

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let current = NIOLockedValueBox(Date(timeIntervalSince1970: 1_795_000_000))
    var now: Date { current.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}

/// A folder under the system's temporary directory, made fresh for one test.
func temporaryDirectory(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "reclaim-tests/\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

enum TestAuthority {
    static let keys = AuthorityKeys.generate()
    static let authority = Authority(keys: keys)

    static func open(_ text: String, device: Device, now: Date) throws -> OpenedChallenge {
        try authority.open(text, now: now, enrollment: { $0 == device.identity.serial ? device.identity.enrollment : nil })
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

/// A new device in a temporary folder, on a test clock, with light hashing.
func makeDevice(
    model: DeviceModel = DeviceModel.catalogue[0], authority: AuthorityBundle? = TestAuthority.keys.bundle, clock: TestClock = TestClock(),
    directory: String = temporaryDirectory()
) throws -> Device {
    let store = DeviceStore(directory: directory)
    if !store.hasIdentity {
        try store.create(Factory.makeIdentity(model: model, authority: authority, now: clock.now), durable: false)
    }
    return try Device.open(store: store, configuration: DeviceConfiguration(hashCost: .light, clock: { clock.now }), logger: testLogger)
}

let goodPassword = "Tr4mvia-Nord"
let otherPassword = "Gall3ria-Sud"

/// A device activated with ``goodPassword``.
func makeActivatedDevice(clock: TestClock = TestClock(), directory: String = temporaryDirectory()) async throws -> Device {
    let device = try makeDevice(clock: clock, directory: directory)
    try await device.activate(password: goodPassword, source: "192.0.2.1")
    return device
}

/// Serves `device` over real HTTP on a free loopback port while `body` runs.
func withLiveDevice<T: Sendable>(_ device: Device, _ body: @Sendable (String) async throws -> T) async throws -> T {
    let (stream, continuation) = AsyncStream<Int>.makeStream()
    let server = DeviceHTTPServer(logger: testLogger)
    let services = try server.services(for: [.init(device: device, host: "127.0.0.1", port: 0)]) { _, address in
        continuation.yield(address?.port ?? 0)
        continuation.finish()
    }
    let group = ServiceGroup(configuration: .init(services: services, logger: testLogger))
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        var port = 0
        for await bound in stream { port = bound }
        let result: T
        do {
            result = try await body("http://127.0.0.1:\(port)")
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        for try await _ in tasks {}
        return result
    }
}

extension DeviceError {
    static func ~= (code: DeviceError.Code, error: DeviceError) -> Bool { error.code == code }
}

/// Plain HTTP GETs for tests that only read.
enum ISAPIClientForTests {
    static func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        var body = try await response.body.collect(upTo: 1 << 20)
        return body.readString(length: body.readableBytes) ?? ""
    }
}
