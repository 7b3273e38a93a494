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
            if clearsFailures { await digestAccepted(source: source) }
            return .authenticated
        case .invalid:
            let error = await digestRefused(source: source)
            return error.code == .locked ? .locked(error) : .refused(error)
        }
    }

    func digestAccepted(source: String) async {
        machine.digestAccepted(source: source)
        try? await save()
    }

    func digestRefused(source: String) async -> DeviceError {
        let error = machine.digestRefused(source: source, now: now)
        // The gate counted it as pending; now it is in the book. Both at once, under the
        // gate's lock, so no check in between sees it in neither.
        let state = machine.state
        gate.withLockedValue { gate in
            gate.settle(source: source)
            gate.refresh(from: state)
        }
        try? await save()
        logger.warning("credential refused", metadata: ["kind": "digest", "source": .string(source)])
        return error
    }

    /// Checks a password sent in a form or a request body (sign-in page, question set-up).
    public func verifyPassword(_ password: String, source: String) async throws(DeviceError) {
        try await perform(machine.checkPassword(password, source: source, now: now))
    }

    // MARK: Secret transport

    /// Starts an exchange for sending a password sealed (`POST /ISAPI/Security/challenge`),
    /// for `source` only.
    public func startExchange(clientPublicKey: [UInt8], source: String) throws(DeviceError) -> SecretTransport.DeviceSide {
        try machine.startExchange(clientPublicKey: clientPublicKey, source: source, now: now)
    }

    /// Hands over exchange `id` for one use by `source` (a discovery verb opens its secrets
    /// and seals its answer with it); nil when unknown, older than two minutes, or another's.
    public func takeExchange(_ id: String, source: String) -> SecretTransport.DeviceSide? {
        machine.takeExchange(id, source: source, now: now)
    }

    /// Opens a password sealed under exchange `id` by `source`; each exchange opens one password.
    public func openSealed(_ sealed: [UInt8], exchangeID: String, source: String) throws(DeviceError) -> String {
        try machine.openSealed(sealed, exchangeID: exchangeID, source: source, now: now)
    }

    // MARK: Sessions

    /// Opens a session after a successful sign-in.
    public func openSession() -> WebSession? {
        machine.openSession(now: now)
    }

    /// The live session for `token`, refreshed; nil if unknown, idle too long or from an older password.
    public func session(_ token: String) -> WebSession? {
        machine.session(token, now: now)
    }

    public func closeSession(_ token: String) {
        machine.closeSession(token)
    }
}
