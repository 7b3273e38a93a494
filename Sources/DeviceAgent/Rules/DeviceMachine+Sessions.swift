import Foundation
import ReclaimCore

/// A signed-in session of the device web page.
public struct WebSession: Sendable {
    public let token: String
    /// The password generation it was opened under: a password change ends it.
    let generation: Int
    var lastSeen: Date
}

/// Web sign-in sessions and secret-transport exchanges: kept in memory only, bounded, and
/// ended by a password change, a reboot or a factory reset.
extension DeviceMachine {
    /// Sessions end after this long without a request.
    static let sessionIdleTimeout: TimeInterval = 15 * 60
    /// Sessions kept at most; a new one replaces the least recently used.
    static let maxSessions = 16
    /// Exchanges live this long, and at most this many at once.
    static let exchangeLifetime: TimeInterval = 120
    static let maxExchanges = 32

    /// Opens a session after a successful sign-in.
    mutating func openSession(now: Date) -> WebSession? {
        guard let admin = state.admin else { return nil }
        sessions = sessions.filter { now.timeIntervalSince($0.value.lastSeen) < Self.sessionIdleTimeout }
        if sessions.count >= Self.maxSessions, let oldest = sessions.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            sessions[oldest.key] = nil
        }
        let session = WebSession(token: Bytes.hex(Bytes.random(count: 32)), generation: admin.generation, lastSeen: now)
        sessions[session.token] = session
        return session
    }

    /// The live session for `token`, refreshed; nil if unknown, idle too long or from an older password.
    mutating func session(_ token: String, now: Date) -> WebSession? {
        guard var session = sessions[token] else { return nil }
        guard now.timeIntervalSince(session.lastSeen) < Self.sessionIdleTimeout, session.generation == state.admin?.generation else {
            sessions[token] = nil
            return nil
        }
        session.lastSeen = now
        sessions[token] = session
        return session
    }

    mutating func closeSession(_ token: String) {
        sessions[token] = nil
    }

    /// Starts an exchange for sending a secret sealed (`POST /ISAPI/Security/challenge`,
    /// `exchangecode`), bound to the address that asked: a secret sealed under it is taken
    /// only from that address, so a forged source cannot spend another's exchange, nor
    /// have its own guesses counted against someone else's address.
    mutating func startExchange(clientPublicKey: [UInt8], source: String, now: Date) throws(DeviceError) -> SecretTransport.DeviceSide {
        exchanges = exchanges.filter { now.timeIntervalSince($0.value.side.createdAt) < Self.exchangeLifetime }
        if exchanges.count >= Self.maxExchanges, let oldest = exchanges.min(by: { $0.value.side.createdAt < $1.value.side.createdAt }) {
            exchanges[oldest.key] = nil
        }
        let side: SecretTransport.DeviceSide
        do {
            side = try SecretTransport.DeviceSide(clientPublicKey: clientPublicKey, now: now)
        } catch {
            throw DeviceError(.badRequest, error.reason)
        }
        exchanges[side.id] = Exchange(side: side, source: source)
        return side
    }

    /// Hands over exchange `id` for one use by `source`; nil when unknown, too old, or
    /// started by another address (which keeps it).
    mutating func takeExchange(_ id: String, source: String, now: Date) -> SecretTransport.DeviceSide? {
        guard let exchange = exchanges[id], exchange.source == source else { return nil }
        exchanges[id] = nil
        guard now.timeIntervalSince(exchange.side.createdAt) < Self.exchangeLifetime else { return nil }
        return exchange.side
    }

    /// Opens a secret sealed under exchange `id` by `source`; each exchange opens one.
    mutating func openSealed(_ sealed: [UInt8], exchangeID: String, source: String, now: Date) throws(DeviceError) -> String {
        guard let side = takeExchange(exchangeID, source: source, now: now) else {
            throw DeviceError(.badRequest, "The password was sealed for an exchange this device no longer knows; start a new one.")
        }
        do {
            return try side.open(sealed)
        } catch {
            throw DeviceError(.badRequest, error.reason)
        }
    }
}

/// A secret-transport exchange and the address that started it.
struct Exchange: Sendable {
    let side: SecretTransport.DeviceSide
    let source: String
}
