import DeviceAgent
import Foundation
import ReclaimCore
import ReclaimTestSupport
import Testing

@Suite struct ActivationTests {
    @Test func newDeviceHasNoPasswordAndDoesNothingButActivate() async throws {
        let device = try makeDevice()
        #expect(await device.isActivated == false)
        #expect(await device.admin == nil)
        // No password works, not even the ones old firmware shipped with.
        for guess in ["12345", "admin", "", "Tr4mvia-Nord"] {
            await #expect(throws: DeviceError.self) { try await device.verifyPassword(guess, source: "s") }
        }
        await #expect(throws: DeviceError.self) { _ = try await device.issueChallenge(purpose: .supportCase, source: "s") }
        await #expect(throws: DeviceError.self) { _ = try await device.exportGUID() }
    }

    @Test func activationRefusesAPasswordThatBreaksThePolicyAndSaysWhy() async throws {
        let device = try makeDevice()
        do {
            try await device.activate(password: "admin1", source: "s")
            Issue.record("activated with a weak password")
        } catch {
            #expect(error.code == .passwordRule)
            #expect(error.violations.contains(.tooShort(minimum: 8)))
            #expect(error.violations.contains(.containsUserName))
        }
        #expect(await device.isActivated == false)
    }

    @Test func passphraseModelsTakeLongPassphrases() async throws {
        let model = try #require(DeviceModel.catalogue.first { $0.passwordProfile == .passphrase })
        let device = try makeDevice(model: model)
        await #expect(throws: DeviceError.self) { try await device.activate(password: goodPassword, source: "s") }
        try await device.activate(password: "quiet river under the old bridge", source: "s")
        try await device.verifyPassword("quiet river under the old bridge", source: "s")
    }

    @Test func activationHappensOnce() async throws {
        let device = try await makeActivatedDevice()
        await #expect(throws: DeviceError.self) { try await device.activate(password: otherPassword, source: "s") }
        try await device.verifyPassword(goodPassword, source: "s")
    }

    @Test func activationSurvivesARestart() async throws {
        let directory = temporaryDirectory()
        _ = try await makeActivatedDevice(directory: directory)
        let reopened = try makeDevice(directory: directory)
        try await reopened.verifyPassword(goodPassword, source: "s")
    }
}

@Suite struct LockoutOnTheDeviceTests {
    @Test func wrongPasswordsLockTheAddressThenTheLockEnds() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        for attempt in 1...4 {
            do {
                try await device.verifyPassword("Wrong-pass1", source: "10.0.0.9")
            } catch {
                #expect(error.code == .wrongCredential)
                #expect(error.attemptsLeft == 5 - attempt)
            }
        }
        await #expect(throws: DeviceError.self) { try await device.verifyPassword("Wrong-pass1", source: "10.0.0.9") }
        // Locked: even the right password is refused from that address, with the time left.
        do {
            try await device.verifyPassword(goodPassword, source: "10.0.0.9")
            Issue.record("a locked address signed in")
        } catch {
            #expect(error.code == .locked)
            #expect(error.lockSecondsLeft == 1800)
        }
        try await device.verifyPassword(goodPassword, source: "10.0.0.10")
        clock.advance(1800)
        try await device.verifyPassword(goodPassword, source: "10.0.0.9")
    }

    @Test func lockOutLimitsAreConfigurableButNeverOff() async throws {
        let device = try await makeActivatedDevice()
        try await device.setLockoutSettings(maxFailuresPerSource: 3, maxFailuresPerDevice: nil, lockDuration: 600)
        for _ in 1...3 { try? await device.verifyPassword("Wrong-pass1", source: "a") }
        #expect(await device.lock(for: "a")?.until == device.configuration.clock().addingTimeInterval(600))
        await #expect(throws: DeviceError.self) {
            try await device.setLockoutSettings(maxFailuresPerSource: 100_000, maxFailuresPerDevice: nil, lockDuration: nil)
        }
        await #expect(throws: DeviceError.self) {
            try await device.setLockoutSettings(maxFailuresPerSource: nil, maxFailuresPerDevice: nil, lockDuration: 0)
        }
    }
}

@Suite struct GUIDFileTests {
    @Test func exportedFileResetsThePasswordOnce() async throws {
        let device = try await makeActivatedDevice()
        let file = try await device.exportGUID()
        try await device.recover(guidFile: Array(file.xml.utf8), newPassword: otherPassword, source: "s")
        try await device.verifyPassword(otherPassword, source: "s")
        await #expect(throws: DeviceError.self) {
            try await device.recover(guidFile: Array(file.xml.utf8), newPassword: goodPassword, source: "s")
        }
        #expect(await device.admin?.setBy == "guidFile")
    }

    @Test func anyPasswordChangeVoidsTheFile() async throws {
        let device = try await makeActivatedDevice()
        let file = try await device.exportGUID()
        try await device.changePassword(current: goodPassword, new: otherPassword, source: "s")
        do {
            try await device.recover(guidFile: Array(file.xml.utf8), newPassword: "Nuova-Pass99", source: "s")
            Issue.record("a voided GUID file worked")
        } catch {
            #expect(error.code == .modeUnavailable)
        }
        try await device.verifyPassword(otherPassword, source: "s")
    }

    @Test func exportingAgainReplacesTheFile() async throws {
        let device = try await makeActivatedDevice()
        let first = try await device.exportGUID()
        let second = try await device.exportGUID()
        await #expect(throws: DeviceError.self) {
            try await device.recover(guidFile: Array(first.xml.utf8), newPassword: otherPassword, source: "s")
        }
        try await device.recover(guidFile: Array(second.xml.utf8), newPassword: otherPassword, source: "s")
    }

    @Test func anotherDevicesFileIsRefusedAndCounted() async throws {
        let device = try await makeActivatedDevice()
        let other = try await makeActivatedDevice()
        _ = try await device.exportGUID()
        let foreign = try await other.exportGUID()
        do {
            try await device.recover(guidFile: Array(foreign.xml.utf8), newPassword: otherPassword, source: "s")
        } catch {
            #expect(error.code == .wrongCredential)
            #expect(error.attemptsLeft == 4)
        }
    }

    @Test func sevenBadImportsLockTheGUIDModeForThirtyMinutes() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setLockoutSettings(maxFailuresPerSource: 20, maxFailuresPerDevice: 50, lockDuration: nil)
        let file = try await device.exportGUID()
        let forged = GUIDFile(serial: device.identity.serial, issuedAt: clock.now, secret: Bytes.random(count: 32))
        for _ in 1...7 {
            try? await device.recover(guidFile: Array(forged.xml.utf8), newPassword: otherPassword, source: "s")
        }
        do {
            try await device.recover(guidFile: Array(file.xml.utf8), newPassword: otherPassword, source: "s")
            Issue.record("the GUID mode was not locked")
        } catch {
            #expect(error.code == .locked)
            #expect(error.lock?.scope == .guidMode)
        }
        clock.advance(1800)
        try await device.recover(guidFile: Array(file.xml.utf8), newPassword: otherPassword, source: "s")
    }
}

@Suite struct SecurityQuestionTests {
    let choices = [
        SecurityQuestions.Choice(questionID: 2, answer: "Fido"),
        SecurityQuestions.Choice(questionID: 3, answer: "Reggio Calabria"),
        SecurityQuestions.Choice(questionID: 14, answer: "Vasco Rossi, 1998"),
    ]

    @Test func threeRightAnswersResetThePassword() async throws {
        let device = try await makeActivatedDevice()
        try await device.setSecurityQuestions(choices, password: goodPassword, source: "s")
        #expect(await device.configuredQuestions.map(\.id) == [2, 3, 14])
        try await device.recover(
            answers: [2: "fido", 3: "reggio  calabria", 14: "Vasco Rossi 1998"], newPassword: otherPassword, source: "s")
        try await device.verifyPassword(otherPassword, source: "s")
    }

    @Test func oneWrongAnswerFailsAndCounts() async throws {
        let device = try await makeActivatedDevice()
        try await device.setSecurityQuestions(choices, password: goodPassword, source: "s")
        do {
            try await device.recover(
                answers: [2: "Fido", 3: "Reggio Emilia", 14: "Vasco Rossi 1998"], newPassword: otherPassword, source: "s")
            Issue.record("a wrong answer reset the password")
        } catch {
            #expect(error.code == .wrongCredential)
            #expect(error.attemptsLeft == 4)
        }
        try await device.verifyPassword(goodPassword, source: "t")
    }

    @Test func settingQuestionsNeedsThePassword() async throws {
        let device = try await makeActivatedDevice()
        await #expect(throws: DeviceError.self) { try await device.setSecurityQuestions(choices, password: "Wrong-pass1", source: "s") }
        #expect(await device.configuredQuestions.isEmpty)
    }

    @Test func answersAreStoredOnlyAsSlowHashes() async throws {
        let directory = temporaryDirectory()
        let device = try await makeActivatedDevice(directory: directory)
        try await device.setSecurityQuestions(choices, password: goodPassword, source: "s")
        let state = try String(contentsOfFile: directory + "/state.json", encoding: .utf8)
        #expect(!state.lowercased().contains("fido"))
        #expect(!state.contains(goodPassword))
        #expect(state.contains("$scrypt$"))
    }
}
