public import Foundation
import Logging
public import ReclaimCore

/// The outcome of checking a request's credentials.
public enum AuthenticationResult: Sendable {
    case authenticated
    /// No credentials, Basic credentials, or a stale or unknown nonce: answer 401 with a
    /// fresh Digest challenge. None of these counts as a failure.
    case challenge(stale: Bool)
    /// The device is not activated: nothing but activation works.
    case notActivated
    /// Wrong credentials, counted.
    case refused(DeviceError)
    case locked(DeviceError)
    /// The Digest header does not belong to this request (wrong URI).
    case badRequest
}

extension Device {
    /// Checks an `Authorization` header for a request of `method` to `uri` from `source`.
    public func authenticate(_ authorization: Digest.Authorization, method: String, uri: String, source: String) -> AuthenticationResult {
        guard let admin = state.admin else { return .notActivated }
        let now = self.now
        if let lock = state.lockout.lock(for: source, now: now) { return .locked(.locked(lock, now: now)) }
        guard case .digest(let credentials) = authorization else {
            // Basic is never accepted and never counted: several clients send it first.
            return .challenge(stale: false)
        }
        switch nonces.check(credentials.nonce, now: now) {
        case .forged: return .challenge(stale: false)
        case .stale: return .challenge(stale: true)
        case .fresh: break
        }
        guard credentials.uri == uri || Self.sameTarget(credentials.uri, uri) else { return .badRequest }
        guard acceptNonceCount(credentials) else { return .challenge(stale: true) }
        guard credentials.username == AdminAccount.userName, credentials.realm == identity.realm,
            let ha1 = admin.ha1(credentials.algorithm),
            Bytes.constantTimeEqual(
                Array(Digest.response(ha1: ha1, method: method, credentials: credentials).utf8), Array(credentials.response.utf8))
        else {
            let error = fail(.password, source: source, what: "Wrong user name or password.")
            return error.code == .locked ? .locked(error) : .refused(error)
        }
        succeed(.password, source: source)
        return .authenticated
    }

    /// Checks a password sent in a form or a request body (sign-in page, question set-up).
    public func verifyPassword(_ password: String, source: String) async throws(DeviceError) {
        guard let admin = state.admin else {
            throw DeviceError(.notActivated, "The device is not activated yet: activate it first.")
        }
        if let lock = state.lockout.lock(for: source, now: now) { throw .locked(lock, now: now) }
        let hash = admin.passwordHash
        let matches = await offload { hash.matches(password) }
        guard matches, state.admin?.generation == admin.generation else {
            throw fail(.password, source: source, what: "Wrong password.")
        }
        succeed(.password, source: source)
    }

    /// Clears the caller's failure count, writing only when there was one.
    func succeed(_ kind: CredentialKind, source: String) {
        var next = state
        if next.lockout.recordSuccess(source: source, kind: kind) {
            try? commit(next)
        }
    }

    /// Refuses a nonce count seen before with the same nonce (a replayed request).
    func acceptNonceCount(_ credentials: Digest.Credentials) -> Bool {
        guard let text = credentials.nc else { return true }  // RFC 2069 clients send none
        guard let count = UInt32(text, radix: 16) else { return false }
        if nonceCounts.count >= 256, nonceCounts[credentials.nonce] == nil {
            // Forget the table rather than grow it: a forgotten nonce is answered stale soon enough.
            nonceCounts.removeAll(keepingCapacity: true)
        }
        return nonceCounts[credentials.nonce, default: NonceWindow()].accept(count)
    }

    /// Some clients put the absolute URL, or the path without the query, in `uri`.
    nonisolated static func sameTarget(_ digestURI: String, _ requestURI: String) -> Bool {
        var candidate = Substring(digestURI)
        if let scheme = candidate.range(of: "://") {
            candidate = candidate[scheme.upperBound...]
            candidate = candidate.firstIndex(of: "/").map { candidate[$0...] } ?? "/"
        }
        let path = requestURI.split(separator: "?", maxSplits: 1).first.map(String.init) ?? requestURI
        return candidate == requestURI || candidate == path
    }

    // MARK: Secret transport

    /// Starts an exchange for sending a password sealed (`POST /ISAPI/Security/challenge`).
    public func startExchange(clientPublicKey: [UInt8]) throws(ReclaimError) -> SecretTransport.DeviceSide {
        let now = self.now
        exchanges = exchanges.filter { now.timeIntervalSince($0.value.createdAt) < 120 }
        if exchanges.count >= 32, let oldest = exchanges.min(by: { $0.value.createdAt < $1.value.createdAt }) {
            exchanges[oldest.key] = nil
        }
        let side = try SecretTransport.DeviceSide(clientPublicKey: clientPublicKey, now: now)
        exchanges[side.id] = side
        return side
    }

    /// Opens a password sealed under exchange `id`; each exchange opens one password.
    public func openSealed(_ sealed: [UInt8], exchangeID: String) throws(DeviceError) -> String {
        guard let side = exchanges.removeValue(forKey: exchangeID), now.timeIntervalSince(side.createdAt) < 120 else {
            throw DeviceError(.badRequest, "The password was sealed for an exchange this device no longer knows; start a new one.")
        }
        do {
            return try side.open(sealed)
        } catch {
            throw DeviceError(.badRequest, error.reason)
        }
    }
}

/// The nonce counts seen for one nonce: the highest, and which of the 64 below it.
/// Clients that send requests in parallel may deliver counts out of order; a window
/// accepts those once each without keeping every count ever seen.
struct NonceWindow: Sendable {
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
