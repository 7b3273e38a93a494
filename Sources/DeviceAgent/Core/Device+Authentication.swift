import Foundation
import Logging
import NIOConcurrencyHelpers
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
    ///
    /// A correct request from an address with a clean record is answered from the
    /// ``DigestGate`` alone; failures, and successes that clear a record, go through the actor.
    public nonisolated func authenticate(_ authorization: Digest.Authorization, method: String, uri: String, source: String) async
        -> AuthenticationResult
    {
        let now = configuration.clock()
        let verdict = gate.withLockedValue { $0.check(authorization, method: method, uri: uri, source: source, now: now, nonces: nonces) }
        switch verdict {
        case .notActivated: return .notActivated
        case .locked(let lock): return .locked(.locked(lock, now: now))
        case .challenge(let stale): return .challenge(stale: stale)
        case .badRequest: return .badRequest
        case .valid(let clearsFailures):
            if clearsFailures { await succeed(.password, source: source) }
            return .authenticated
        case .invalid:
            let error = await fail(.password, source: source, what: "Wrong user name or password.")
            return error.code == .locked ? .locked(error) : .refused(error)
        }
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
            throw await fail(.password, source: source, what: "Wrong password.")
        }
        await succeed(.password, source: source)
    }

    /// Clears the caller's failure count, writing only when there was one.
    func succeed(_ kind: CredentialKind, source: String) async {
        var next = state
        if next.lockout.recordSuccess(source: source, kind: kind) {
            try? await commit(next)
        }
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

    /// Hands over exchange `id` for one use (a discovery verb opens its secrets and seals
    /// its answer with it); nil when unknown or older than two minutes.
    public func takeExchange(_ id: String) -> SecretTransport.DeviceSide? {
        guard let side = exchanges.removeValue(forKey: id), now.timeIntervalSince(side.createdAt) < 120 else { return nil }
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
