import Testing

@testable import ReclaimLAN

/// Who `reclaim helper` answers: the portal it was started for, holding the pairing code,
/// at the helper's own address; everyone else gets nothing a browser would let them read.
@Suite struct HelperGateTests {
    let gate = try! HelperGate(platform: "https://Reclaim.example.com/", pairingCode: "abcd-ef23", port: 47080)
    let serial = "DS-2CD2143G2-IS20230815AAWR123456789"

    func decide(
        _ method: String = "GET", _ path: String = "/devices", host: String? = "127.0.0.1:47080",
        origin: String? = "https://reclaim.example.com", pairing: String? = "Pairing ABCD-EF23"
    ) -> HelperGate.Verdict {
        gate.decide(method: method, path: path, host: host, origin: origin, authorization: pairing)
    }

    @Test func thePortalWithThePairingCodeGetsTheListAndAChallenge() {
        #expect(decide() == .allow(.devices))
        #expect(decide("POST", "/devices/\(serial)/challenge") == .allow(.challenge(serial: serial)))
        #expect(decide(pairing: "Pairing abcdef23") == .allow(.devices), "the code as typed, any case, dash or not")
        #expect(decide(host: "localhost:47080") == .allow(.devices))
        #expect(decide("OPTIONS", "/devices", pairing: nil) == .preflight, "a preflight carries no credentials")
    }

    @Test func anyOtherPageGetsNoCORSHeadersAtAll() {
        for origin in [nil, "https://evil.example", "http://reclaim.example.com", "https://reclaim.example.com:8443", "null"] {
            guard case .refuse(403, _, false) = decide(origin: origin) else {
                Issue.record("\(origin ?? "no origin") was not refused without CORS")
                continue
            }
            guard case .refuse(403, _, false) = decide("OPTIONS", origin: origin) else {
                Issue.record("the preflight of \(origin ?? "no origin") was not refused")
                continue
            }
        }
    }

    @Test func aRebindedNameOrAnotherPortIsRefused() {
        for host in [nil, "evil.example:47080", "127.0.0.1:8080", "127.0.0.1"] {
            guard case .refuse(403, _, false) = decide(host: host) else {
                Issue.record("host \(host ?? "none") was not refused")
                continue
            }
        }
    }

    @Test func withoutTheRightPairingCodeThePortalLearnsOnlyThatItIsNotPaired() {
        for pairing in [nil, "", "Pairing ", "Pairing ABCD-EF24", "Bearer ABCDEF23", "ABCDEF23"] {
            #expect(
                decide(pairing: pairing)
                    == .refuse(status: 401, reason: "Type the pairing code the portal shows into the helper.", cors: true))
        }
    }

    @Test func nothingButTheTwoCalls() {
        #expect(decide("GET", "/") == .refuse(status: 404, reason: "No such helper call.", cors: true))
        #expect(decide("GET", "/devices/\(serial)/password") == .refuse(status: 404, reason: "No such helper call.", cors: true))
        #expect(decide("GET", "/devices/not-a-serial/challenge") == .refuse(status: 404, reason: "No such helper call.", cors: true))
        #expect(decide("DELETE", "/devices") == .refuse(status: 405, reason: "Not a helper call.", cors: true))
        #expect(decide("GET", "/devices/\(serial)/challenge") == .refuse(status: 405, reason: "Not a helper call.", cors: true))
    }

    @Test func theOriginIsReadAsBrowsersSendIt() throws {
        #expect(HelperGate.origin(of: "https://Reclaim.example.com/portal") == "https://reclaim.example.com")
        #expect(HelperGate.origin(of: "http://127.0.0.1:8080") == "http://127.0.0.1:8080")
        #expect(HelperGate.origin(of: "https://example.com:443") == "https://example.com")
        #expect(HelperGate.origin(of: "ftp://example.com") == nil)
        #expect(throws: LANError.self) { try HelperGate(platform: "https://x.example", pairingCode: "ABC", port: 1) }
    }
}
