import Foundation
import ReclaimCore

/// Checks HTTP Digest credentials against a snapshot of what the check needs: the HA1
/// values, the locks, who has failures on record, and the nonce counts seen.
///
/// The device keeps it behind a lock beside its actor, so a correct request from an
/// address with a clean record is answered without waiting for the actor; anything the
/// lock-out must hear about (a failure, or a success that clears one) goes to the actor.
/// Pure: the device refreshes the snapshot whenever its state changes.
struct DigestGate: Sendable {
    let realm: String
    /// H(admin:realm:password) per algorithm; nil while the device is not activated.
    var ha1: [String: String]?
    var lockedSources: [String: Date] = [:]
    var deviceLockedUntil: Date?
    /// Addresses with failures on record, whose next success must clear them.
    var sourcesWithFailures: Set<String> = []
    var deviceHasFailures = false
    /// Nonce counts seen, per nonce, against replay. Not persisted: nonces die with the process.
    var nonceWindows: [String: NonceWindow] = [:]

    init(realm: String) {
        self.realm = realm
    }

    /// Takes the parts of `state` the check reads; keeps the nonce counts.
    mutating func refresh(from state: DeviceState) {
        ha1 = state.admin?.digestHA1
        lockedSources = state.lockout.sources.compactMapValues(\.lockedUntil)
        deviceLockedUntil = state.lockout.device.lockedUntil
        sourcesWithFailures = Set(state.lockout.sources.filter { $0.value.failures > 0 || $0.value.lockedUntil != nil }.keys)
        deviceHasFailures = state.lockout.device.failures > 0
        if ha1 == nil { nonceWindows.removeAll() }
    }

    enum Verdict: Sendable, Equatable {
        case notActivated
        case locked(Lock)
        /// Answer with a fresh challenge; not a failure.
        case challenge(stale: Bool)
        /// The Digest `uri` is not this request's.
        case badRequest
        /// Right credentials. `clearsFailures`: the lock-out has a record to clear.
        case valid(clearsFailures: Bool)
        /// Wrong credentials: count a failure.
        case invalid
    }

    mutating func check(
        _ authorization: Digest.Authorization, method: String, uri: String, source: String, now: Date, nonces: DigestNonces
    ) -> Verdict {
        guard let ha1 else { return .notActivated }
        if let until = deviceLockedUntil, until > now { return .locked(Lock(scope: .device, until: until)) }
        if let until = lockedSources[source], until > now { return .locked(Lock(scope: .source, until: until)) }
        // Basic is never accepted and never counted: several clients send it first.
        guard case .digest(let credentials) = authorization else { return .challenge(stale: false) }
        // A nonce seen before was checked then; only its age can have changed.
        let known = nonceWindows[credentials.nonce]?.issuedAt
        switch known.map({ now.timeIntervalSince($0) <= nonces.lifetime ? .fresh : .stale }) ?? nonces.check(credentials.nonce, now: now) {
        case .forged: return .challenge(stale: false)
        case .stale: return .challenge(stale: true)
        case .fresh: break
        }
        guard credentials.uri == uri || Self.sameTarget(credentials.uri, uri) else { return .badRequest }
        guard acceptNonceCount(credentials, nonces: nonces) else { return .challenge(stale: true) }
        guard credentials.username == AdminAccount.userName, credentials.realm == realm,
            let expected = ha1[credentials.algorithm.rawValue],
            Bytes.constantTimeEqual(Digest.response(ha1: expected, method: method, credentials: credentials), credentials.response)
        else { return .invalid }
        return .valid(clearsFailures: deviceHasFailures || sourcesWithFailures.contains(source))
    }

    /// Refuses a nonce count seen before with the same nonce (a replayed request).
    mutating func acceptNonceCount(_ credentials: Digest.Credentials, nonces: DigestNonces) -> Bool {
        guard let text = credentials.nc else { return true }  // RFC 2069 clients send none
        guard let count = UInt32(text, radix: 16) else { return false }
        if nonceWindows.count >= 256, nonceWindows[credentials.nonce] == nil {
            // Forget the table rather than grow it: a forgotten nonce is answered stale soon enough.
            nonceWindows.removeAll(keepingCapacity: true)
        }
        return nonceWindows[credentials.nonce, default: NonceWindow(issuedAt: nonces.issueTime(of: credentials.nonce))].accept(count)
    }

    /// Some clients put the absolute URL, or the path without the query, in `uri`.
    static func sameTarget(_ digestURI: String, _ requestURI: String) -> Bool {
        var candidate = Substring(digestURI)
        if let scheme = candidate.range(of: "://") {
            candidate = candidate[scheme.upperBound...]
            candidate = candidate.firstIndex(of: "/").map { candidate[$0...] } ?? "/"
        }
        let path = requestURI.split(separator: "?", maxSplits: 1).first.map(String.init) ?? requestURI
        return candidate == requestURI || candidate == path
    }
}

/// The nonce counts seen for one nonce: the highest, and which of the 64 below it.
/// Clients that send requests in parallel may deliver counts out of order; a window
/// accepts those once each without keeping every count ever seen.
struct NonceWindow: Sendable {
    /// When the nonce was issued (read from the nonce itself, which was checked).
    var issuedAt: Date?
    var highest: UInt32 = 0
    /// Bit i set: count `highest - i` was seen.
    var seen: UInt64 = 0

    mutating func accept(_ count: UInt32) -> Bool {
        if count > highest {
            let shift = count - highest
            seen = shift >= 64 ? 1 : (seen << UInt64(shift)) | 1
            highest = count
            return true
        }
        let offset = highest - count
        guard offset < 64, seen & (1 << UInt64(offset)) == 0 else { return false }
        seen |= 1 << UInt64(offset)
        return true
    }
}
