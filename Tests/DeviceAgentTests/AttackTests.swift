import DeviceAgent
import Foundation
import ISAPIClient
import NIOHTTP1
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import DeviceAgent

/// What an attacker would try against a device, and what stops it.
@Suite struct ConcurrentGuessTests {
    /// Runs `wrong` guesses at once, then the right one; returns the refusals' codes in the
    /// order they came and what the right one got.
    func burst(
        _ count: Int, wrong: @escaping @Sendable () async throws(DeviceError) -> Void,
        right: @escaping @Sendable () async throws(DeviceError) -> Void
    ) async -> (wrong: [DeviceError.Code], right: DeviceError.Code?) {
        let codes = await withTaskGroup(of: DeviceError.Code?.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do throws(DeviceError) {
                        try await wrong()
                        return nil
                    } catch {
                        return error.code
                    }
                }
            }
            var codes: [DeviceError.Code?] = []
            for await code in group { codes.append(code) }
            return codes
        }
        do {
            try await right()
            return (codes.compactMap { $0 }, nil)
        } catch {
            return (codes.compactMap { $0 }, error.code)
        }
    }

    @Test func aHundredSimultaneousWrongPasswordsAreEvaluatedNoMoreThanTheLimit() async throws {
        let device = try await makeActivatedDevice()
        let (wrong, right) = await burst(
            100, wrong: { () async throws(DeviceError) in try await device.verifyPassword("Wrong-pass1", source: "10.6.6.6") },
            right: { () async throws(DeviceError) in try await device.verifyPassword(goodPassword, source: "10.6.6.6") })
        #expect(wrong.count == 100)
        #expect(wrong.filter { $0 == .wrongCredential }.count <= 5, "no more than the limit was evaluated")
        #expect(wrong.filter { $0 == .locked }.count >= 95)
        #expect(right == .locked, "the right password is refused once the lock engaged")
        #expect(await device.lock(for: "10.6.6.6") != nil)
    }

    @Test func aHundredSimultaneousWrongAnswersAreEvaluatedNoMoreThanTheLimit() async throws {
        let device = try await makeActivatedDevice()
        let choices = [1, 2, 3].map { SecurityQuestions.Choice(questionID: $0, answer: "risposta \($0)") }
        try await device.setSecurityQuestions(choices, password: goodPassword, source: "owner")
        let right = Dictionary(uniqueKeysWithValues: [1, 2, 3].map { ($0, "risposta \($0)") })
        let (wrong, last) = await burst(
            100,
            wrong: { () async throws(DeviceError) in
                try await device.recover(answers: [1: "no", 2: "no", 3: "no"], newPassword: otherPassword, source: "10.6.6.7")
            },
            right: { () async throws(DeviceError) in
                try await device.recover(answers: right, newPassword: otherPassword, source: "10.6.6.7")
            })
        #expect(wrong.filter { $0 == .wrongCredential }.count <= 5)
        #expect(last == .locked)
        try await device.verifyPassword(goodPassword, source: "elsewhere")
    }

    @Test func aHundredSimultaneousWrongDigestRequestsAreCountedNoMoreThanTheLimit() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let statuses = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        try await ISAPIClient(baseURL: base, password: "Wrong-pass1").get("/ISAPI/System/deviceInfo").subStatusCode
                    }
                }
                var statuses: [String?] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.filter { $0 == "badAuthorization" }.count <= 5, "no more than the limit was evaluated")
            let owner = try await ISAPIClient(baseURL: base, password: goodPassword).get("/ISAPI/System/deviceInfo")
            #expect(owner.status == .unauthorized)
            #expect(owner.subStatusCode == "userLocked")
            let counted = await device.snapshot.state.lockout.sources["127.0.0.1"]?.failures ?? 0
            #expect(counted == 5, "each evaluated failure was recorded once")
        }
    }
}

/// A challenge stands on the password and the address it was made for; when either
/// changes, it is void, in whichever order things happen.
@Suite struct ChallengePremiseTests {
    func code(_ kind: RecoveryCode.Kind, for pending: PendingChallenge, device: Device, clock: TestClock) throws -> String {
        let opened = try TestAuthority.open(pending.text, device: device, now: clock.now)
        return try
            (kind == .resetKey ? TestAuthority.authority.resetKey(for: opened) : TestAuthority.authority.verificationCode(for: opened))
            .description
    }

    @Test func aPasswordChangeVoidsEveryPendingChallenge() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let pending = try await device.issueChallenge(purpose: .supportCase, source: "installer")
        let key = try code(.resetKey, for: pending, device: device, clock: clock)
        try await device.changePassword(current: goodPassword, new: otherPassword, source: "owner")
        #expect(await device.pendingChallenges.isEmpty)
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: key, kind: .resetKey, newPassword: "Terza-Pass77", source: "installer")
        }
        try await device.verifyPassword(otherPassword, source: "owner")
    }

    @Test func aCodeMailedToAFormerReservedAddressNeverWorks() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setReservedEmail("old@example.com", password: goodPassword, source: "owner")
        // The challenge is exported, and the code mailed, before the address changes…
        let before = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
        let mailedBefore = try code(.verificationCode, for: before, device: device, clock: clock)
        try await device.setReservedEmail("new@example.com", password: goodPassword, source: "owner")
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: mailedBefore, kind: .verificationCode, newPassword: otherPassword, source: "s")
        }
        // …or the challenge is exported first and the code asked for after the change.
        let exported = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
        try await device.setReservedEmail(nil, password: goodPassword, source: "owner")
        let mailedAfter = try code(.verificationCode, for: exported, device: device, clock: clock)
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: mailedAfter, kind: .verificationCode, newPassword: otherPassword, source: "s")
        }
        try await device.verifyPassword(goodPassword, source: "owner")
    }

    @Test func keepingTheSameAddressKeepsItsChallenges() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setReservedEmail("same@example.com", password: goodPassword, source: "owner")
        let pending = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
        try await device.setReservedEmail("same@example.com", password: goodPassword, source: "owner")
        let mailed = try code(.verificationCode, for: pending, device: device, clock: clock)
        try await device.recover(code: mailed, kind: .verificationCode, newPassword: otherPassword, source: "s")
    }

    @Test func aFactoryResetVoidsEveryChallenge() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let key = try code(.resetKey, for: pending, device: device, clock: clock)
        _ = try await device.pressResetButton(heldFor: 15)
        try await device.activate(password: goodPassword, source: "owner")
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: key, kind: .resetKey, newPassword: otherPassword, source: "s")
        }
    }

    @Test func overTheWireAChangedAddressVoidsTheCodeMailedBefore() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setReservedEmail("old@example.com", password: goodPassword, source: "owner")
        try await withLiveDevice(device) { base in
            let anyone = ISAPIClient(baseURL: base, password: nil)
            let exported = try await anyone.post(
                "/ISAPI/Security/recovery/challenge", xml: XMLElement("RecoveryChallenge", children: [.leaf("purpose", "reservedEmail")]))
            let pending = try #require(await device.pendingChallenges.first)
            #expect(exported.xml?.value("text") == pending.text)
            let mailed = try code(.verificationCode, for: pending, device: device, clock: clock)
            let change = try await ISAPIClient(baseURL: base, password: goodPassword).send(
                .PUT, "/ISAPI/Security/securityEmail",
                body: Array(
                    #"{"SecurityEmail":{"SecurityInformation":[{"emailAddress":"new@example.com"}],"password":"\#(goodPassword)"}}"#.utf8),
                contentType: "application/json")
            #expect(change.status == .ok)
            let attempt = try await anyone.post(
                "/ISAPI/Security/recovery/emailCode",
                xml: XMLElement("EmailCodeReset", children: [.leaf("verificationCode", mailed), .leaf("newPassword", otherPassword)]))
            #expect(attempt.status == .forbidden)
            #expect(attempt.subStatusCode == "badAuthorization")
        }
        try await device.verifyPassword(goodPassword, source: "owner")
    }
}

/// Anyone on the network may ask for a challenge; a flood of them must not void the one
/// an owner exported for an open support case.
@Suite struct ChallengeFloodTests {
    @Test(arguments: [true, false])
    func sixtyFourSourcesCannotPushOutTheOwnersChallenge(ownersIsSettled: Bool) async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let owners = try await device.issueChallenge(purpose: .supportCase, source: "192.168.1.10")
        if ownersIsSettled { clock.advance(120) }
        let writesBefore = await device.stateWrites
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask { _ = try? await device.issueChallenge(purpose: .supportCase, source: "10.66.0.\(index)") }
            }
        }
        let pending = await device.pendingChallenges
        #expect(pending.count == PendingChallenge.maxPending)
        #expect(pending.contains { $0.content.nonce == owners.content.nonce }, "the owner's challenge survives")
        let writes = await device.stateWrites - writesBefore
        #expect(writes < 32, "64 challenges were written in \(writes) writes")
        // And it still answers its key.
        let opened = try TestAuthority.open(owners.text, device: device, now: clock.now)
        try await device.recover(
            code: try TestAuthority.authority.resetKey(for: opened).description, kind: .resetKey, newPassword: otherPassword,
            source: "192.168.1.10")
    }

    @Test func oneAddressKeepsAtMostFourChallenges() async throws {
        let device = try await makeActivatedDevice()
        var issued: [PendingChallenge] = []
        for _ in 0..<6 { issued.append(try await device.issueChallenge(purpose: .supportCase, source: "a")) }
        let nonces = await device.pendingChallenges.map(\.content.nonce)
        #expect(nonces == issued.suffix(4).map(\.content.nonce))
    }
}
