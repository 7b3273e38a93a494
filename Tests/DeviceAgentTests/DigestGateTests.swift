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
        var gate = DigestGate(realm: realm)
        gate.refresh(from: state)
        if let lockedUntil { gate.lockedSources["10.0.0.1"] = lockedUntil }
        return gate
    }

    func authorization(password: String = goodPassword, nonce: String? = nil, count: Int = 1, uri: String = "/ISAPI/System/deviceInfo")
        -> Digest.Authorization
    {
        let header = "Digest realm=\"\(realm)\", qop=\"auth\", nonce=\"\(nonce ?? nonces.make(now: now))\", algorithm=MD5"
        let credentials = Digest.Challenge(header: header)!.credentials(
            user: "admin", password: password, method: "GET", uri: uri, nonceCount: count)
        return .digest(credentials)
    }

    func check(_ gate: inout DigestGate, _ authorization: Digest.Authorization, at time: Date? = nil) -> DigestGate.Verdict {
        gate.check(authorization, method: "GET", uri: "/ISAPI/System/deviceInfo", source: "10.0.0.1", now: time ?? now, nonces: nonces)
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
        #expect(check(&gate, authorization(), at: now.addingTimeInterval(61)) == .valid(clearsFailures: false))
    }

    @Test func notActivatedDeviceAcceptsNothing() {
        var gate = DigestGate(realm: realm)
        gate.refresh(from: DeviceState())
        #expect(check(&gate, authorization()) == .notActivated)
    }
}
