import Foundation
import ReclaimCore

/// Checks HTTP Digest credentials against a snapshot of what the check needs: the HA1
/// values, the lock-out book and its settings, and the nonce counts seen.
///
/// The device keeps it behind a lock beside its actor, so a correct request from an
/// address with a clean record is answered without waiting for the actor; anything the
/// lock-out must hear about (a failure, or a success that clears one) goes to the actor.
///
/// A wrong request counts at once, here, as a failure *pending* until the actor records
/// it (``settle(source:)``): concurrent wrong requests cannot all pass the lock check
/// before the first of them is recorded. Pure: the device refreshes the snapshot whenever
/// its state changes.
struct DigestGate: Sendable {
    let realm: String
    /// H(admin:realm:password) per algorithm; nil while the device is not activated.
    var ha1: [String: String]?
    var lockout = LockoutBook()
    var lockoutSettings = LockoutSettings()
    /// Wrong requests seen here that the actor has not recorded yet, per source.
    private(set) var pending: [String: Int] = [:]
    private(set) var pendingTotal = 0
    /// What was seen of each nonce, against replay. Not persisted: nonces die with the process.
    var nonces = NonceTable()

    init(realm: String) {
        self.realm = realm
    }

    /// Takes the parts of `state` the check reads; keeps the nonces and what is pending.
    mutating func refresh(from state: DeviceState) {
        ha1 = state.admin?.digestHA1
        lockout = state.lockout
        lockoutSettings = state.settings.lockout
        if ha1 == nil { nonces = NonceTable() }
    }

    /// One pending failure of `source` was recorded by the actor.
    mutating func settle(source: String) {
        guard let count = pending[source] else { return }
        pending[source] = count > 1 ? count - 1 : nil
        pendingTotal -= 1
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
        /// Wrong credentials: a failure, pending until the actor records it.
        case invalid
    }

    mutating func check(
        _ authorization: Digest.Authorization, method: String, uri: String, source: String, now: Date, nonces issued: DigestNonces
    ) -> Verdict {
        guard let ha1 else { return .notActivated }
        if let lock = lockout.lock(for: source, now: now) { return .locked(lock) }
        if let lock = lockout.projectedLock(
            source: source, pendingFromSource: pending[source] ?? 0, pendingOnDevice: pendingTotal, pendingGUID: 0, now: now,
            settings: lockoutSettings)
        {
            return .locked(lock)
        }
        // Basic is never accepted and never counted: several clients send it first.
        guard case .digest(let credentials) = authorization else { return .challenge(stale: false) }
        switch nonces.freshness(of: credentials.nonce, now: now, issued: issued) {
        case .forged: return .challenge(stale: false)
        case .stale: return .challenge(stale: true)
        case .fresh: break
        }
        guard credentials.uri == uri || Self.sameTarget(credentials.uri, uri) else { return .badRequest }
        guard credentials.username == AdminAccount.userName, credentials.realm == realm,
            let expected = ha1[credentials.algorithm.rawValue],
            Bytes.constantTimeEqual(Digest.response(ha1: expected, method: method, credentials: credentials), credentials.response)
        else {
            pending[source, default: 0] += 1
            pendingTotal += 1
            return .invalid
        }
        // Only right requests are remembered: a replay is of a right one, and wrong ones
        // must not push a victim's nonce out of the table.
        guard nonces.accept(credentials, now: now, issued: issued) else { return .challenge(stale: true) }
        let hasRecord = lockout.sources[source].map { $0.failures > 0 || $0.lockedUntil != nil } ?? false
        return .valid(clearsFailures: hasRecord || lockout.device.failures > 0)
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

/// What was seen of each nonce still in use, bounded.
///
/// When full, it forgets nonces past their lifetime first, then the oldest issued; and it
/// remembers up to when it forgot, so a nonce issued then or before and not in the table
/// is answered stale (the client takes a new one) rather than trusted afresh: no request
/// can be replayed by pushing its nonce out.
struct NonceTable: Sendable {
    static let capacity = 1024

    private(set) var windows: [String: NonceWindow] = [:]
    /// Nonces issued at or before this time and not in the table are stale.
    private(set) var forgottenUpTo: Date?

    enum Freshness { case fresh, stale, forged }

    func freshness(of nonce: String, now: Date, issued: DigestNonces) -> Freshness {
        if let window = windows[nonce] {
            return now.timeIntervalSince(window.issuedAt) <= issued.lifetime ? .fresh : .stale
        }
        switch issued.check(nonce, now: now) {
        case .forged: return .forged
        case .stale: return .stale
        case .fresh:
            if let forgottenUpTo, let at = issued.issueTime(of: nonce), at <= forgottenUpTo { return .stale }
            return .fresh
        }
    }

    /// Records a right request; false when it repeats one seen (a replay).
    mutating func accept(_ credentials: Digest.Credentials, now: Date, issued: DigestNonces) -> Bool {
        if windows[credentials.nonce] == nil {
            makeRoom(now: now, lifetime: issued.lifetime)
            windows[credentials.nonce] = NonceWindow(issuedAt: issued.issueTime(of: credentials.nonce) ?? now)
        }
        guard let text = credentials.nc else {
            // RFC 2069 clients send no count: the same response twice is the same request twice.
            return windows[credentials.nonce]!.acceptOnce(credentials.response)
        }
        guard let count = UInt32(text, radix: 16) else { return false }
        return windows[credentials.nonce]!.accept(count)
    }

    private mutating func makeRoom(now: Date, lifetime: TimeInterval) {
        guard windows.count >= Self.capacity else { return }
        windows = windows.filter { now.timeIntervalSince($0.value.issuedAt) <= lifetime }
        while windows.count >= Self.capacity, let oldest = windows.min(by: { $0.value.issuedAt < $1.value.issuedAt }) {
            windows[oldest.key] = nil
            forgottenUpTo = max(forgottenUpTo ?? .distantPast, oldest.value.issuedAt)
        }
    }
}

/// The nonce counts seen for one nonce: the highest, and which of the 64 below it; and,
/// for clients that send no count, the responses seen. Clients that send requests in
/// parallel may deliver counts out of order; a window accepts those once each without
/// keeping every count ever seen.
struct NonceWindow: Sendable {
    /// When the nonce was issued (read from the nonce itself, which was checked).
    var issuedAt: Date
    var highest: UInt32 = 0
    /// Bit i set: count `highest - i` was seen.
    var seen: UInt64 = 0
    /// Responses of requests without a count, at most ``maxResponses``.
    var responses: Set<String> = []
    static let maxResponses = 64

    init(issuedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.issuedAt = issuedAt
    }

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

    /// Accepts a response without a count once; past ``maxResponses`` the nonce takes no more.
    mutating func acceptOnce(_ response: String) -> Bool {
        guard responses.count < Self.maxResponses, !responses.contains(response) else { return false }
        responses.insert(response)
        return true
    }
}
