import Foundation
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import DeviceAgent

/// The Digest check on its own, with no sockets and no actor.
@Suite struct DigestGateTests {
    let realm = "IP Camera(123456789)"
    let nonces = DigestNonces(lifetime: 300)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func activatedGate(failuresFrom source: String? = nil, lockedUntil: Date? = nil) -> DigestGate {
        var state = DeviceState()
        state.admin = AdminAccount(password: goodPassword, realm: realm, cost: .light, now: now, generation: 1, setBy: "test")
        if let source {
            _ = state.lockout.recordFailure(source: source, kind: .password, now: now, settings: state.settings.lockout)
        }
        if let lockedUntil {
            // Five failures that ended in a lock lasting until `lockedUntil`.
            let at = lockedUntil.addingTimeInterval(-state.settings.lockout.lockDuration)
            for _ in 0..<state.settings.lockout.maxFailuresPerSource {
                _ = state.lockout.recordFailure(source: "10.0.0.1", kind: .password, now: at, settings: state.settings.lockout)
            }
        }
        var gate = DigestGate(realm: realm)
        gate.refresh(from: state)
        return gate
    }

    func authorization(
        password: String = goodPassword, nonce: String? = nil, count: Int = 1, uri: String = "/ISAPI/System/deviceInfo", qop: Bool = true
    ) -> Digest.Authorization {
        let header = "Digest realm=\"\(realm)\", \(qop ? "qop=\"auth\", " : "")nonce=\"\(nonce ?? nonces.make(now: now))\", algorithm=MD5"
        let credentials = Digest.Challenge(header: header)!.credentials(
            user: "admin", password: password, method: "GET", uri: uri, nonceCount: count)
        return .digest(credentials)
    }

    func check(
        _ gate: inout DigestGate, _ authorization: Digest.Authorization, at time: Date? = nil, from source: String = "10.0.0.1"
    ) -> DigestGate.Verdict {
        gate.check(authorization, method: "GET", uri: "/ISAPI/System/deviceInfo", source: source, now: time ?? now, nonces: nonces)
    }

    @Test func wrongRequestsAtOnceStopAtTheLimitBeforeTheActorHasRecordedAny() {
        var gate = activatedGate()
        let verdicts = (0..<100).map { _ in check(&gate, authorization(password: "Wrong-pass1")) }
        #expect(verdicts.prefix(5).allSatisfy { $0 == .invalid })
        #expect(verdicts.dropFirst(5).allSatisfy { if case .locked = $0 { true } else { false } }, "only five were evaluated")
        // The right password, now, from the same address: refused, the lock engaged.
        guard case .locked = check(&gate, authorization()) else {
            Issue.record("the right password got through a pending lock")
            return
        }
        // Another address is not locked by them, until the device-wide limit.
        #expect(check(&gate, authorization(), from: "10.0.0.2") == .valid(clearsFailures: false))
        // The actor records them: nothing pending, and the lock is the book's now.
        for _ in 0..<5 { gate.settle(source: "10.0.0.1") }
        #expect(gate.pendingTotal == 0)
    }

    @Test func theSameRequestWithoutANonceCountIsRefusedTheSecondTime() {
        var gate = activatedGate()
        let request = authorization(qop: false)
        #expect(check(&gate, request) == .valid(clearsFailures: false))
        #expect(check(&gate, request) == .challenge(stale: true), "an RFC 2069 request replayed")
    }

    @Test func aNoncePushedOutOfAFullTableIsStaleNotTrustedAgain() {
        var gate = activatedGate()
        // A right request with a nonce a minute older than all the others: the first to go.
        let first = authorization(nonce: nonces.make(now: now.addingTimeInterval(-60)))
        #expect(check(&gate, first) == .valid(clearsFailures: false))
        for _ in 1...NonceTable.capacity {
            #expect(check(&gate, authorization()) == .valid(clearsFailures: false))
        }
        guard case .digest(let credentials) = first else { return }
        #expect(gate.nonces.windows[credentials.nonce] == nil, "pushed out")
        #expect(check(&gate, first) == .challenge(stale: true), "the captured request does not replay")
        #expect(gate.nonces.windows.count <= NonceTable.capacity)
    }

    @Test func wrongRequestsDoNotTakePlacesInTheNonceTable() {
        var gate = activatedGate()
        for _ in 0..<4 { _ = check(&gate, authorization(password: "Wrong-pass1")) }
        #expect(gate.nonces.windows.isEmpty)
    }

    @Test func rightCredentialsPassWithoutTheActor() {
        var gate = activatedGate()
        #expect(check(&gate, authorization()) == .valid(clearsFailures: false))
    }

    @Test func rightCredentialsAfterAFailureGoToTheActorToClearIt() {
        var gate = activatedGate(failuresFrom: "10.0.0.1")
        #expect(check(&gate, authorization()) == .valid(clearsFailures: true))
    }

    @Test func wrongPasswordIsInvalid() {
        var gate = activatedGate()
        #expect(check(&gate, authorization(password: "Wrong-pass1")) == .invalid)
    }

    @Test func basicAndMissingCredentialsGetAChallenge() {
        var gate = activatedGate()
        #expect(check(&gate, .basic) == .challenge(stale: false))
        #expect(check(&gate, .none) == .challenge(stale: false))
    }

    @Test func nonceFromAnotherDeviceIsAnsweredWithAFreshChallenge() {
        var gate = activatedGate()
        #expect(check(&gate, authorization(nonce: DigestNonces().make(now: now))) == .challenge(stale: false))
    }

    @Test func oldNonceIsStaleEvenOnceKnown() {
        var gate = activatedGate()
        let nonce = nonces.make(now: now)
        #expect(check(&gate, authorization(nonce: nonce, count: 1)) == .valid(clearsFailures: false))
        #expect(check(&gate, authorization(nonce: nonce, count: 2), at: now.addingTimeInterval(301)) == .challenge(stale: true))
    }

    @Test func replayedNonceCountIsRefused() {
        var gate = activatedGate()
        let nonce = nonces.make(now: now)
        #expect(check(&gate, authorization(nonce: nonce, count: 7)) == .valid(clearsFailures: false))
        #expect(check(&gate, authorization(nonce: nonce, count: 7)) == .challenge(stale: true))
    }

    @Test func digestForAnotherPathIsABadRequest() {
        var gate = activatedGate()
        #expect(check(&gate, authorization(uri: "/ISAPI/Security/users")) == .badRequest)
    }

    @Test func lockedAddressIsRefusedBeforeAnyCheck() {
        var gate = activatedGate(lockedUntil: now.addingTimeInterval(60))
        #expect(check(&gate, authorization()) == .locked(Lock(scope: .source, until: now.addingTimeInterval(60))))
        #expect(
            check(&gate, authorization(), at: now.addingTimeInterval(61)) == .valid(clearsFailures: true),
            "the record goes to the actor to clear")
    }

    @Test func notActivatedDeviceAcceptsNothing() {
        var gate = DigestGate(realm: realm)
        gate.refresh(from: DeviceState())
        #expect(check(&gate, authorization()) == .notActivated)
    }
}
