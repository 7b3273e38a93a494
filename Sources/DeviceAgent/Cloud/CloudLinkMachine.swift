import Foundation
public import ReclaimCore

/// The device's side of the cloud link as a value: what to do next, given what happened.
/// No sockets, clock or randomness of its own (the back-off's jitter is handed in), so the
/// tests drive every path by hand. ``CloudLink`` performs the actions.
///
/// ```
///  idle ─start→ connecting ─connected→ greeting ─challenge→ proving ─welcome→ online
///                   ↑                                                          │
///                   └──────── waiting (back-off) ←── connection lost ──────────┘
/// ```
public struct CloudLinkMachine: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case idle
        case connecting
        /// `hello` sent; waiting for the platform's challenge.
        case greeting
        /// `proof` sent; waiting for `welcome`.
        case proving
        case online(heartbeatSeconds: Int)
        /// Waiting out the back-off before connecting again.
        case waiting
        case stopped
    }

    public enum Action: Sendable, Hashable {
        case connect
        case send(LinkMessage)
        /// Sign the challenge and send the proof (the shell holds the key and the status).
        case prove(nonce: [UInt8])
        case startHeartbeats(every: Duration)
        /// Apply the command, then send its ack.
        case apply(SignedCommand)
        /// Close the connection (a refusal or a message out of turn); `connectionLost` follows.
        case close(reason: String)
        case reconnect(after: Duration)
        case nothing
    }

    public private(set) var state: State = .idle
    /// Connections that failed in a row: the back-off grows with it and a welcome resets it.
    public private(set) var failures = 0
    let serial: SerialNumber
    let firmware: String

    /// The first retry waits about a second; then twice as long each time, up to ``maximumDelay``.
    public static let baseDelay: Duration = .seconds(1)
    public static let maximumDelay: Duration = .seconds(60)

    public init(serial: SerialNumber, firmware: String) {
        self.serial = serial
        self.firmware = firmware
    }

    public mutating func start() -> Action {
        guard state == .idle else { return .nothing }
        state = .connecting
        return .connect
    }

    public mutating func connected() -> Action {
        guard state == .connecting else { return .nothing }
        state = .greeting
        return .send(.hello(serial: serial, firmware: firmware))
    }

    public mutating func received(_ message: LinkMessage) -> Action {
        switch (state, message) {
        case (.greeting, .challenge(let nonce)):
            state = .proving
            return .prove(nonce: nonce)
        case (.proving, .welcome(let seconds)):
            state = .online(heartbeatSeconds: seconds)
            failures = 0
            return .startHeartbeats(every: .seconds(seconds))
        case (.online, .command(let command)):
            return .apply(command)
        case (_, .refused(let reason)):
            // Refused (not enrolled yet, say): back off like any failure, up to a minute, so a
            // device enrolled later links within that minute.
            return .close(reason: reason)
        case (.stopped, _), (.idle, _), (.waiting, _):
            return .nothing
        default:
            return .close(reason: "The platform sent \(message.type) out of turn.")
        }
    }

    /// The connection ended or could not be made. `jitter` in 0...1 spreads a fleet's
    /// reconnections after a platform restart, so they do not all arrive in one second.
    public mutating func connectionLost(jitter: Double) -> Action {
        guard state != .stopped, state != .idle else { return .nothing }
        let delay = Self.delay(afterFailures: failures, jitter: jitter)
        failures += 1
        state = .waiting
        return .reconnect(after: delay)
    }

    /// The back-off is over.
    public mutating func retryDue() -> Action {
        guard state == .waiting else { return .nothing }
        state = .connecting
        return .connect
    }

    public mutating func stop() {
        state = .stopped
    }

    /// `base × 2^failures`, capped, then scaled into its upper half by `jitter`.
    public static func delay(afterFailures failures: Int, jitter: Double) -> Duration {
        let base = Double(baseDelay.components.seconds)
        let cap = Double(maximumDelay.components.seconds)
        let full = min(cap, base * pow(2, Double(min(failures, 16))))
        let spread = full * (0.5 + 0.5 * min(max(jitter, 0), 1))
        return .milliseconds(Int64(spread * 1000))
    }
}
