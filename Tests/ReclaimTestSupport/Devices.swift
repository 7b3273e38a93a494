import AsyncHTTPClient
public import DeviceAgent
public import Foundation
import NIOCore
import NIOHTTP1
public import ReclaimCore

/// Devices for tests: made in a temporary folder, on a test clock, with light hashing;
/// served over real HTTP while a test runs.

/// An authority of the tests' own, whose bundle test devices carry.
public enum TestAuthority {
    public static let keys = AuthorityKeys.generate()
    public static let authority = Authority(keys: keys)

    public static func open(_ text: String, device: Device, now: Date) throws -> OpenedChallenge {
        try authority.open(text, now: now, enrollment: { $0 == device.identity.serial ? device.identity.enrollment : nil })
    }
}

/// A new device in a temporary folder, on a test clock, with light hashing; made with
/// `firmware` when one is given (else the factory picks), trusting `releaseKeys`.
public func makeDevice(
    model: DeviceModel = DeviceModel.catalogue[0], authority: AuthorityBundle? = TestAuthority.keys.bundle, clock: TestClock = TestClock(),
    directory: String = temporaryDirectory(), firmware: DeviceModel.Firmware? = nil, releaseKeys: [ReleaseKey] = []
) throws -> Device {
    let store = DeviceStore(directory: directory)
    if !store.hasIdentity {
        var identity = Factory.makeIdentity(model: model, authority: authority, now: clock.now)
        if let firmware { identity.firmware = firmware }
        try store.create(identity, durable: false)
    }
    return try Device.open(
        store: store, configuration: DeviceConfiguration(hashCost: .light, releaseKeys: releaseKeys, clock: { clock.now }),
        logger: testLogger)
}

/// A device activated with ``goodPassword``.
public func makeActivatedDevice(clock: TestClock = TestClock(), directory: String = temporaryDirectory()) async throws -> Device {
    let device = try makeDevice(clock: clock, directory: directory)
    try await device.activate(password: goodPassword, source: "192.0.2.1")
    return device
}

/// Serves `device` over real HTTP on a free loopback port while `body` runs, and waits
/// for the server to stop before returning.
public func withLiveDevice<T: Sendable>(_ device: Device, _ body: @Sendable (String) async throws -> T) async throws -> T {
    let (stream, continuation) = AsyncStream<Int>.makeStream()
    let server = DeviceHTTPServer(logger: testLogger)
    let services = try server.services(for: [.init(device: device, host: "127.0.0.1", port: 0)]) { _, address in
        continuation.yield(address?.port ?? 0)
        continuation.finish()
    }
    let port = PortBox()
    return try await withServices(services) {
        for await bound in stream { await port.set(bound) }
    } _: {
        try await body("http://127.0.0.1:\(await port.value)")
    }
}

/// The port a server bound, handed from its start-up to the test.
actor PortBox {
    var value = 0
    func set(_ port: Int) { value = port }
}

extension DeviceError {
    /// Lets a `switch` or `#expect` match an error by its code.
    public static func ~= (code: DeviceError.Code, error: DeviceError) -> Bool { error.code == code }
}

/// Plain HTTP for tests, each request on a connection of the client's pool: what a browser
/// or a script does, not the one pipelined connection of Hummingbird's test client.
public enum HTTPForTests {
    public static func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        var body = try await response.body.collect(upTo: 1 << 20)
        return body.readString(length: body.readableBytes) ?? ""
    }

    /// POSTs `json` and returns the status code. The deadline is generous because a loaded
    /// machine running every suite at once answers slowly; what the caller asserts is the
    /// answer, not its speed.
    public static func post(_ url: String, json: [String: String], timeoutSeconds: Int64 = 120) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeoutSeconds))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
