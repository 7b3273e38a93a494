import Foundation
import ReclaimCore

/// A signed-in session of the device web page.
public struct WebSession: Sendable {
    public let token: String
    /// Sent in every form of the session and checked on every POST.
    public let csrfToken: String
    /// The password generation it was opened under: a password change ends it.
    let generation: Int
    var lastSeen: Date
}

extension Device {
    /// Sessions end after this long without a request.
    static let sessionIdleTimeout: TimeInterval = 15 * 60

    /// Opens a session after a successful sign-in.
    public func openSession() -> WebSession? {
        guard let admin = state.admin else { return nil }
        let now = self.now
        sessions = sessions.filter { now.timeIntervalSince($0.value.lastSeen) < Self.sessionIdleTimeout }
        if sessions.count >= 16, let oldest = sessions.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            sessions[oldest.key] = nil
        }
        let session = WebSession(
            token: Bytes.hex(Bytes.random(count: 32)), csrfToken: Bytes.hex(Bytes.random(count: 16)), generation: admin.generation,
            lastSeen: now)
        sessions[session.token] = session
        return session
    }

    /// The live session for `token`, refreshed; nil if unknown, idle too long or from an older password.
    public func session(_ token: String) -> WebSession? {
        guard var session = sessions[token] else { return nil }
        let now = self.now
        guard now.timeIntervalSince(session.lastSeen) < Self.sessionIdleTimeout, session.generation == state.admin?.generation else {
            sessions[token] = nil
            return nil
        }
        session.lastSeen = now
        sessions[token] = session
        return session
    }

    public func closeSession(_ token: String) {
        sessions[token] = nil
    }
}
