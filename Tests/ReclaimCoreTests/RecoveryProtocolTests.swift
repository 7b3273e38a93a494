import Crypto
import Foundation
import ReclaimTestSupport
import Testing

@testable import ReclaimCore

@Suite struct ChallengeTests {
    let authority = Authority(keys: Fixture.authorityKeys)
    let bundle = Fixture.authorityKeys.bundle

    func lookup(_ serial: SerialNumber) -> DeviceEnrollment? { serial == Fixture.serial ? Fixture.enrollment : nil }

    @Test func sealedChallengeOpensAtTheAuthorityWithItsContent() throws {
        let content = Fixture.challenge(.reservedEmail)
        let text = try Challenge.seal(content, deviceKeys: Fixture.deviceKeys, authority: bundle)
        #expect(text.hasPrefix("RC1:"))
        #expect(text.count < 700, "must fit one QR code comfortably")
        let opened = try authority.open(text, now: Date(), enrollment: lookup)
        #expect(opened.content == content)
        #expect(opened.content.reservedEmail == "owner@example.org")
    }

    @Test func textFormSurvivesWhatReadersAndMailersDoToIt() throws {
        let text = try Challenge.seal(Fixture.challenge(.supportCase), deviceKeys: Fixture.deviceKeys, authority: bundle)
        let mangled = text.lowercased().enumerated().map { $0.offset % 60 == 59 ? "\($0.element)\r\n " : "\($0.element)" }.joined()
        #expect(try authority.open(mangled, now: Date(), enrollment: lookup).content.purpose == .supportCase)
    }

    @Test func alteredChallengeDoesNotOpen() throws {
        let text = try Challenge.seal(Fixture.challenge(.supportCase), deviceKeys: Fixture.deviceKeys, authority: bundle)
        var bytes = Array(text.utf8)
        let index = bytes.count - 10
        bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: ReclaimError.signatureInvalid) {
            try authority.open(String(decoding: bytes, as: UTF8.self), now: Date(), enrollment: lookup)
        }
    }

    @Test func challengeSignedByAnotherDeviceIsRefused() throws {
        let (otherKeys, _) = Fixture.otherDevice()
        // Claims to be Fixture.serial but is signed with another device's key.
        let text = try Challenge.seal(Fixture.challenge(.supportCase), deviceKeys: otherKeys, authority: bundle)
        #expect(throws: ReclaimError.signatureInvalid) { try authority.open(text, now: Date(), enrollment: lookup) }
    }

    @Test func challengeOfAnUnenrolledDeviceIsRefused() throws {
        let text = try Challenge.seal(Fixture.challenge(.supportCase), deviceKeys: Fixture.deviceKeys, authority: bundle)
        #expect(throws: ReclaimError.notEnrolled) { try authority.open(text, now: Date(), enrollment: { _ in nil }) }
    }

    @Test func challengeSealedToAnotherAuthorityIsRefused() throws {
        let stranger = AuthorityKeys.generate()
        let text = try Challenge.seal(Fixture.challenge(.supportCase), deviceKeys: Fixture.deviceKeys, authority: stranger.bundle)
        #expect(throws: ReclaimError.unknownKey) { try authority.open(text, now: Date(), enrollment: lookup) }
    }

    @Test func expiredChallengeIsRefused() throws {
        let content = Fixture.challenge(.supportCase, now: Date().addingTimeInterval(-3600), lifetime: 60)
        let text = try Challenge.seal(content, deviceKeys: Fixture.deviceKeys, authority: bundle)
        #expect(throws: ReclaimError.challengeExpired) { try authority.open(text, now: Date(), enrollment: lookup) }
    }

    @Test(arguments: ["", "RC1:", "RC2:ABCDEF", "hello", "RC1:" + String(repeating: "A", count: 100), "RC1:abc0"])
    func malformedTextIsRefusedWithAReason(text: String) {
        #expect(throws: ReclaimError.self) { try authority.open(text, now: Date(), enrollment: lookup) }
    }

    @Test func rotatedAuthorityStillOpensChallengesSealedToItsOldKey() throws {
        var keys = Fixture.authorityKeys
        let text = try Challenge.seal(Fixture.challenge(.supportCase), deviceKeys: Fixture.deviceKeys, authority: keys.bundle)
        keys.rotate()
        #expect(keys.bundle.agreementKeys.count == 2)
        let rotated = Authority(keys: keys)
        let opened = try rotated.open(text, now: Date(), enrollment: lookup)
        // The key still matches what the device derives: both use the enrollment's key id.
        let key = try rotated.resetKey(for: opened)
        #expect(key == RecoveryCode.derive(.resetKey, secret: try Fixture.deviceSecret(), challenge: opened.content))
    }
}

@Suite struct RecoveryCodeTests {
    let authority = Authority(keys: Fixture.authorityKeys)

    func opened(_ purpose: ChallengePurpose) throws -> OpenedChallenge {
        let text = try Challenge.seal(Fixture.challenge(purpose), deviceKeys: Fixture.deviceKeys, authority: Fixture.authorityKeys.bundle)
        return try authority.open(text, now: Date(), enrollment: { _ in Fixture.enrollment })
    }

    @Test func deviceAndAuthorityDeriveTheSameResetKey() throws {
        let challenge = try opened(.supportCase)
        let issued = try authority.resetKey(for: challenge)
        let expected = RecoveryCode.derive(.resetKey, secret: try Fixture.deviceSecret(), challenge: challenge.content)
        #expect(issued.matches(expected))
        #expect(issued.description.count == 17)  // XXXX-XXXX-XXXX-XX
    }

    @Test func aSealedSecretGivesTheSameKeysAndIsWorthNothingWithoutTheKeyFile() throws {
        let text = try Challenge.seal(
            Fixture.challenge(.supportCase), deviceKeys: Fixture.deviceKeys, authority: Fixture.authorityKeys.bundle)
        let sealed = try authority.sealSecret(for: Fixture.enrollment)
        let unsealed = try authority.check(authority.unseal(text), enrollment: Fixture.enrollment, sealedSecret: sealed, now: Date())
        let agreed = try authority.resetKey(for: try opened(.supportCase))
        let expected = RecoveryCode.derive(.resetKey, secret: try Fixture.deviceSecret(), challenge: unsealed.content)
        #expect(try authority.resetKey(for: unsealed).matches(expected))
        #expect(!agreed.matches(expected), "another challenge, another key")

        // What the database holds is not the secret itself.
        let secret = try Fixture.deviceSecret().bytesForTestVectors
        #expect(!(0...(sealed.count - secret.count)).contains { Array(sealed[$0..<($0 + secret.count)]) == secret })
        // Another authority's keys, another device's record, or altered bytes do not unseal it.
        #expect(Authority(keys: AuthorityKeys.generate()).unsealSecret(sealed, of: Fixture.enrollment) == nil)
        #expect(authority.unsealSecret(sealed, of: Fixture.otherDevice().1) == nil)
        var altered = sealed
        altered[20] ^= 1
        #expect(authority.unsealSecret(altered, of: Fixture.enrollment) == nil)
        // An altered copy costs a key agreement, never a wrong key.
        let fallback = try authority.check(authority.unseal(text), enrollment: Fixture.enrollment, sealedSecret: altered, now: Date())
        #expect(try authority.resetKey(for: fallback).matches(expected))
    }

    @Test func keyForAnotherChallengeDoesNotMatch() throws {
        let first = try opened(.supportCase)
        let second = try opened(.supportCase)
        let key = try authority.resetKey(for: first)
        #expect(!key.matches(RecoveryCode.derive(.resetKey, secret: try Fixture.deviceSecret(), challenge: second.content)))
    }

    @Test func keyForAnotherDeviceDoesNotMatch() throws {
        let challenge = try opened(.supportCase)
        let key = try authority.resetKey(for: challenge)
        let (otherKeys, _) = Fixture.otherDevice()
        let otherSecret = try Fixture.deviceSecret(keys: otherKeys)
        #expect(!key.matches(RecoveryCode.derive(.resetKey, secret: otherSecret, challenge: challenge.content)))
    }

    @Test func authorityAnswersEachPurposeOnlyWithItsOwnKind() throws {
        #expect(throws: ReclaimError.wrongPurpose) { try authority.verificationCode(for: try opened(.supportCase)) }
        #expect(throws: ReclaimError.wrongPurpose) { try authority.resetKey(for: try opened(.reservedEmail)) }
        #expect(throws: ReclaimError.wrongPurpose) {
            try authority.resetFile(for: try opened(.reservedEmail), caseID: "C-1", now: Date())
        }
    }

    @Test func typedCodesAreReadForgivingly() throws {
        let challenge = try opened(.reservedEmail)
        let code = try authority.verificationCode(for: challenge)
        #expect(code.characters.count == 10)
        let typed = code.description.lowercased().replacingOccurrences(of: "1", with: "l").replacingOccurrences(of: "0", with: "o")
        #expect(try RecoveryCode(parsing: " \(typed) ", kind: .verificationCode).matches(code))
    }

    @Test(arguments: ["", "SyrReQQe99", "K7QF-9XTM-2RVA", "K7QF-9XTM-2RVA-HU", "K7QF-9XTM-2RVA-H4X"])
    func malformedKeysAreRefusedBeforeAnyComparison(typed: String) {
        #expect(throws: ReclaimError.malformedInput) { try RecoveryCode(parsing: typed, kind: .resetKey) }
    }

    @Test func legacySerialAndDateCodeIsNotAResetKey() throws {
        // The 2016 scheme computes a code from public data; such a code is not even a
        // well-formed Reclaim key, and no Reclaim key is computable from the serial.
        let legacy = LegacySerialDateCode.compute(serial: "DS-ABC1234567-HIJKLMNOPQRS10987654321", year: 2017, month: 1, day: 25)
        #expect(legacy == "SyrReQQe99")
        #expect(throws: ReclaimError.malformedInput) { try RecoveryCode(parsing: legacy, kind: .resetKey) }
    }
}

@Suite struct ResetFileTests {
    let authority = Authority(keys: Fixture.authorityKeys)

    func file(now: Date = Date()) throws -> ResetFile {
        let text = try Challenge.seal(
            Fixture.challenge(.supportCase), deviceKeys: Fixture.deviceKeys, authority: Fixture.authorityKeys.bundle)
        let opened = try authority.open(text, now: now, enrollment: { _ in Fixture.enrollment })
        return try authority.resetFile(for: opened, caseID: "RC-2026-000123", now: now)
    }

    @Test func signedFileReadsBackAndVerifies() throws {
        let original = try file()
        let read = try ResetFile(xml: Array(original.xml.utf8))
        #expect(read == original)
        try read.verify(with: Fixture.authorityKeys.bundle)
    }

    @Test(arguments: ["RC-2026-000124", "resetEverything"])
    func alteredFieldBreaksTheSignature(replacement: String) throws {
        let original = try file()
        let xml = original.xml.replacingOccurrences(of: "RC-2026-000123", with: replacement)
            .replacingOccurrences(of: ResetAuthorization.resetAdminPassword, with: replacement)
        let read = try ResetFile(xml: Array(xml.utf8))
        #expect(throws: ReclaimError.signatureInvalid) { try read.verify(with: Fixture.authorityKeys.bundle) }
    }

    @Test func fileSignedByAnotherAuthorityIsRefused() throws {
        let original = try file()
        let forged = try ResetFile.sign(
            ResetAuthorization(
                serial: original.authorization.serial, nonce: original.authorization.nonce, action: original.authorization.action,
                caseID: "X", issuedAt: Date(), expiresAt: Date().addingTimeInterval(60), keyID: original.authorization.keyID),
            with: Curve25519.Signing.PrivateKey())
        #expect(throws: ReclaimError.signatureInvalid) { try forged.verify(with: Fixture.authorityKeys.bundle) }
        #expect(throws: ReclaimError.unknownKey) { try original.verify(with: AuthorityKeys.generate().bundle) }
    }

    @Test func fileExpiresNoLaterThanItsChallenge() throws {
        let issued = try file()
        #expect(issued.authorization.expiresAt <= Date().addingTimeInterval(48 * 3600 + 1))
    }

    @Test(arguments: ["<ResetFile/>", "<Other><serialNumber>x</serialNumber></Other>", "not xml"])
    func malformedFilesAreRefused(xml: String) {
        #expect(throws: ReclaimError.self) { try ResetFile(xml: Array(xml.utf8)) }
    }
}

@Suite struct GUIDAndQuestionTests {
    @Test func guidFileRoundTripsAndItsHashMatchesOnlyItsSecret() throws {
        let file = GUIDFile.make(serial: Fixture.serial, now: Date())
        let read = try GUIDFile(xml: Array(file.xml.utf8))
        #expect(read == file)
        let hash = file.hash(cost: .light)
        #expect(hash.matches(read.secret))
        #expect(!hash.matches(GUIDFile.make(serial: Fixture.serial, now: Date()).secret))
    }

    @Test func answersMatchDespiteCaseAccentsAndSpacing() {
        #expect(SecurityQuestions.normalize("  Sant'Élia  di  Sopra ") == "sant elia di sopra")
        let record = SecurityQuestions.Record(.init(questionID: 3, answer: "Reggio Calabria"), cost: .light)
        #expect(record.matches("reggio   calabria"))
        #expect(record.matches("REGGIO-CALABRIA"))
        #expect(!record.matches("Reggio Emilia"))
    }

    @Test func catalogueHasFifteenQuestionsInBothLanguages() {
        #expect(SecurityQuestions.catalogue.count == 15)
        #expect(Set(SecurityQuestions.catalogue.map(\.id)).count == 15)
        #expect(SecurityQuestions.catalogue.allSatisfy { !$0.english.isEmpty && !$0.italian.isEmpty && $0.english != $0.italian })
    }

    @Test func choicesMustBeThreeDistinctAnsweredCatalogueQuestions() throws {
        func choices(_ ids: [Int], answer: String = "Answer") -> [SecurityQuestions.Choice] {
            ids.map { .init(questionID: $0, answer: answer) }
        }
        try SecurityQuestions.validate(choices([1, 2, 3]))
        #expect(throws: ReclaimError.malformedInput) { try SecurityQuestions.validate(choices([1, 2])) }
        #expect(throws: ReclaimError.malformedInput) { try SecurityQuestions.validate(choices([1, 1, 3])) }
        #expect(throws: ReclaimError.malformedInput) { try SecurityQuestions.validate(choices([1, 2, 16])) }
        #expect(throws: ReclaimError.malformedInput) { try SecurityQuestions.validate(choices([1, 2, 3], answer: " ! ")) }
    }

    @Test func slowHashRecordsReadBackFromText() throws {
        let hash = SlowHash(hashing: "Tr4mvia-Nord", cost: .light)
        let read = try #require(SlowHash(hash.description))
        #expect(read == hash)
        #expect(read.matches("Tr4mvia-Nord"))
        #expect(!read.matches("Tr4mvia-Sud"))
        #expect(hash.description.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
    }
}

@Suite struct SecretTransportTests {
    @Test func deviceOpensWhatTheClientSealed() throws {
        let client = Curve25519.KeyAgreement.PrivateKey()
        let device = try SecretTransport.DeviceSide(clientPublicKey: Array(client.publicKey.rawRepresentation), now: Date())
        let sealed = try SecretTransport.seal("Tr4mvia-Nord", clientKey: client, devicePublicKey: device.publicKey, id: device.id)
        #expect(try device.open(sealed) == "Tr4mvia-Nord")
        var tampered = sealed
        tampered[0] ^= 1
        #expect(throws: ReclaimError.signatureInvalid) { try device.open(tampered) }
    }
}
