import DeviceAgent
import Foundation
import ReclaimCore
import ReclaimTestSupport
import Testing

@Suite struct ResetKeyTests {
    func issueKey(_ device: Device, clock: TestClock) async throws -> (PendingChallenge, RecoveryCode) {
        let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let opened = try TestAuthority.open(pending.text, device: device, now: clock.now)
        return (pending, try TestAuthority.authority.resetKey(for: opened))
    }

    @Test func keyFromTheAuthorityResetsThePassword() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let (_, key) = try await issueKey(device, clock: clock)
        try await device.recover(code: key.description.lowercased(), kind: .resetKey, newPassword: otherPassword, source: "s")
        try await device.verifyPassword(otherPassword, source: "s")
    }

    @Test func usedKeyIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let (_, key) = try await issueKey(device, clock: clock)
        try await device.recover(code: key.description, kind: .resetKey, newPassword: otherPassword, source: "s")
        do {
            try await device.recover(code: key.description, kind: .resetKey, newPassword: "Terza-Pass77", source: "s")
            Issue.record("a used key worked twice")
        } catch {
            #expect(error.code == .wrongCredential)
            #expect(error.reason.contains("No challenge is waiting"))
        }
    }

    @Test func keyForAnotherDeviceIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let other = try await makeActivatedDevice(clock: clock)
        _ = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let (_, foreignKey) = try await issueKey(other, clock: clock)
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: foreignKey.description, kind: .resetKey, newPassword: otherPassword, source: "s")
        }
        try await device.verifyPassword(goodPassword, source: "t")
    }

    @Test func keyForAnotherChallengeIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let (first, key) = try await issueKey(device, clock: clock)
        // Use the first challenge with its key, then a second challenge with the same key.
        try await device.recover(code: key.description, kind: .resetKey, newPassword: otherPassword, source: "s")
        _ = try await device.issueChallenge(purpose: .supportCase, source: "s")
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: key.description, kind: .resetKey, newPassword: "Terza-Pass77", source: "s")
        }
        #expect(await device.pendingChallenges.allSatisfy { $0.content.nonce != first.content.nonce })
    }

    @Test func expiredChallengesKeyIsRefusedWithWhatToDo() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let (_, key) = try await issueKey(device, clock: clock)
        clock.advance(48 * 3600)
        do {
            try await device.recover(code: key.description, kind: .resetKey, newPassword: otherPassword, source: "s")
            Issue.record("an expired key worked")
        } catch {
            #expect(error.code == .challengeExpired)
            #expect(error.reason.contains("Export a new QR code"))
        }
    }

    @Test func challengeLifetimeIsConfigurable() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setChallengeLifetime(3600)
        let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
        #expect(pending.content.expiresAt == clock.now.wholeSeconds.addingTimeInterval(3600))
    }

    @Test func exportingAgainKeepsEarlierChallengesAlive() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let (_, firstKey) = try await issueKey(device, clock: clock)
        clock.advance(600)
        _ = try await device.issueChallenge(purpose: .supportCase, source: "s")
        try await device.recover(code: firstKey.description, kind: .resetKey, newPassword: otherPassword, source: "s")
    }

    @Test func pendingChallengesSurviveARestart() async throws {
        let clock = TestClock()
        let directory = temporaryDirectory()
        let device = try await makeActivatedDevice(clock: clock, directory: directory)
        let (_, key) = try await issueKey(device, clock: clock)
        let rebooted = try makeDevice(clock: clock, directory: directory)
        try await rebooted.recover(code: key.description, kind: .resetKey, newPassword: otherPassword, source: "s")
    }

    @Test func fiveWrongKeysVoidTheChallenge() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setLockoutSettings(maxFailuresPerSource: 20, maxFailuresPerDevice: 50, lockDuration: nil)
        let (_, key) = try await issueKey(device, clock: clock)
        for _ in 1...5 {
            try? await device.recover(code: "AAAA-AAAA-AAAA-AA", kind: .resetKey, newPassword: otherPassword, source: "s")
        }
        #expect(await device.pendingChallenges.isEmpty)
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: key.description, kind: .resetKey, newPassword: otherPassword, source: "s")
        }
    }

    @Test func publishedSerialAndDateCodeIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        _ = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let serial = device.identity.serial
        // The code for the device's own serial, both on its manufacture date and today.
        let made = Int(serial.manufactureDate)!
        let today = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: clock.now)
        for (year, month, day) in [(made / 10000, made / 100 % 100, made % 100), (today.year!, today.month!, today.day!)] {
            let legacy = LegacySerialDateCode.compute(serial: serial.text, year: year, month: month, day: day)
            do {
                try await device.recover(code: legacy, kind: .resetKey, newPassword: otherPassword, source: "s")
                Issue.record("the serial+date code \(legacy) reset the password")
            } catch {
                #expect(error.code == .wrongCredential)
            }
        }
        try await device.verifyPassword(goodPassword, source: "t")
    }
}

@Suite struct ReservedEmailTests {
    @Test func verificationCodeWorksOnceForTheReservedAddress() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setReservedEmail("owner@example.org", password: goodPassword, source: "s")
        let pending = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
        let opened = try TestAuthority.open(pending.text, device: device, now: clock.now)
        #expect(opened.content.reservedEmail == "owner@example.org")
        let code = try TestAuthority.authority.verificationCode(for: opened)
        try await device.recover(code: code.description, kind: .verificationCode, newPassword: otherPassword, source: "s")
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: code.description, kind: .verificationCode, newPassword: goodPassword, source: "s")
        }
        try await device.verifyPassword(otherPassword, source: "s")
    }

    @Test func emailChallengeNeedsAReservedAddress() async throws {
        let device = try await makeActivatedDevice()
        do {
            _ = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
            Issue.record("issued an e-mail challenge with no address")
        } catch {
            #expect(error.code == .modeUnavailable)
        }
        await #expect(throws: DeviceError.self) {
            try await device.setReservedEmail("not-an-address", password: goodPassword, source: "s")
        }
    }

    @Test func resetKeyIsNotAVerificationCode() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setReservedEmail("owner@example.org", password: goodPassword, source: "s")
        _ = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
        let support = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let key = try TestAuthority.authority.resetKey(for: try TestAuthority.open(support.text, device: device, now: clock.now))
        await #expect(throws: DeviceError.self) {
            try await device.recover(code: key.description, kind: .verificationCode, newPassword: otherPassword, source: "s")
        }
    }

    @Test func deviceWithoutAnAuthorityOffersOnlyLocalModes() async throws {
        let device = try makeDevice(authority: nil)
        try await device.activate(password: goodPassword, source: "s")
        let modes = await device.recoveryModes
        #expect(modes.supported == [.guidFile, .securityQuestions])
        await #expect(throws: DeviceError.self) { _ = try await device.issueChallenge(purpose: .supportCase, source: "s") }
    }
}

@Suite struct ResetFileOnTheDeviceTests {
    func issueFile(_ device: Device, clock: TestClock) async throws -> ResetFile {
        let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let opened = try TestAuthority.open(pending.text, device: device, now: clock.now)
        return try TestAuthority.authority.resetFile(for: opened, caseID: "RC-1", now: clock.now)
    }

    @Test func signedFileResetsThePasswordOnce() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let file = try await issueFile(device, clock: clock)
        try await device.recover(resetFile: Array(file.xml.utf8), newPassword: otherPassword, source: "s")
        try await device.verifyPassword(otherPassword, source: "s")
        await #expect(throws: DeviceError.self) {
            try await device.recover(resetFile: Array(file.xml.utf8), newPassword: goodPassword, source: "s")
        }
    }

    @Test func alteredFileIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let file = try await issueFile(device, clock: clock)
        let altered = file.xml.replacingOccurrences(of: "RC-1", with: "RC-2")
        do {
            try await device.recover(resetFile: Array(altered.utf8), newPassword: otherPassword, source: "s")
            Issue.record("an altered file worked")
        } catch {
            #expect(error.code == .wrongCredential)
        }
    }

    @Test func fileForAnotherDeviceIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let other = try await makeActivatedDevice(clock: clock)
        _ = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let foreign = try await issueFile(other, clock: clock)
        await #expect(throws: DeviceError.self) {
            try await device.recover(resetFile: Array(foreign.xml.utf8), newPassword: otherPassword, source: "s")
        }
    }

    @Test func expiredFileIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let file = try await issueFile(device, clock: clock)
        clock.advance(49 * 3600)
        do {
            try await device.recover(resetFile: Array(file.xml.utf8), newPassword: otherPassword, source: "s")
            Issue.record("an expired file worked")
        } catch {
            #expect(error.code == .challengeExpired)
        }
    }

    @Test func fileFromAnotherAuthorityIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let impostor = AuthorityKeys.generate()
        let forged = try ResetFile.sign(
            ResetAuthorization(
                serial: device.identity.serial, nonce: pending.content.nonce, action: ResetAuthorization.resetAdminPassword, caseID: "X",
                issuedAt: clock.now, expiresAt: clock.now.addingTimeInterval(3600), keyID: impostor.currentSigningKey.id),
            with: impostor.currentSigningKey.key)
        await #expect(throws: DeviceError.self) {
            try await device.recover(resetFile: Array(forged.xml.utf8), newPassword: otherPassword, source: "s")
        }
    }
}

@Suite struct FactoryResetTests {
    @Test func holdingTheButtonTenSecondsErasesEverything() async throws {
        let directory = temporaryDirectory()
        let device = try await makeActivatedDevice(directory: directory)
        _ = try await device.exportGUID()
        #expect(try await device.pressResetButton(heldFor: 3) == .ignored)
        try await device.verifyPassword(goodPassword, source: "s")
        #expect(try await device.pressResetButton(heldFor: 10) == .factoryReset)
        #expect(await device.isActivated == false)
        #expect(await device.recoverySetup.guid == nil)
        // Back to "not activated" after a restart too, never to a default password.
        let rebooted = try makeDevice(directory: directory)
        #expect(await rebooted.isActivated == false)
        try await rebooted.activate(password: otherPassword, source: "s")
    }
}
