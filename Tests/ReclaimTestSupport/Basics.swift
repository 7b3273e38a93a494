public import Foundation
public import Logging
import NIOConcurrencyHelpers

/// What every suite shares: a quiet logger, fresh folders, a clock the test moves, and
/// the passwords tests use.

/// A logger that says only what is critical; tests read outcomes, not logs.
public let testLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

/// A folder under the system's temporary directory, made fresh for one test.
public func temporaryDirectory(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "reclaim-tests/\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A clock the tests move by hand.
public final class TestClock: Sendable {
    private let current = NIOLockedValueBox(Date(timeIntervalSince1970: 1_795_000_000))
    public init() {}
    public var now: Date { current.withLockedValue { $0 } }
    public func advance(_ seconds: TimeInterval) { current.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}

/// A device admin password that passes every model's policy.
public let goodPassword = "Tr4mvia-Nord"
/// Another one, for changes and recoveries.
public let otherPassword = "Gall3ria-Sud"
/// A portal password (the passphrase profile: 15 characters or more).
public let testPassword = "correct horse battery staple"

/// Waits until `condition` holds, checking every 20 ms for at most `seconds`; false if it
/// never did. The default is generous: the PostgreSQL run starts every platform suite at
/// once on two cores, and a condition that holds returns at its first check anyway.
@discardableResult
public func eventually(within seconds: Double = 30, _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
