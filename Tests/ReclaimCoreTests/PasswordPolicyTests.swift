import Testing

@testable import ReclaimCore

@Suite struct PasswordPolicyTests {
    let compatible = PasswordPolicy(.compatible)
    let passphrase = PasswordPolicy(.passphrase)

    @Test func acceptsAGoodCompatiblePassword() {
        #expect(compatible.violations(of: "Tr4mvia-Nord", userName: "admin").isEmpty)
    }

    @Test func saysWhichRuleEachPasswordBreaks() {
        #expect(compatible.violations(of: "Ab1!", userName: "admin") == [.tooShort(minimum: 8)])
        #expect(compatible.violations(of: "Abcdefgh1234567890", userName: "admin") == [.tooLong(maximum: 16)])
        #expect(compatible.violations(of: "zqwxkjvbnmpl", userName: "admin") == [.tooFewCharacterKinds(required: 2)])
        #expect(compatible.violations(of: "myAdmin-9923", userName: "admin") == [.containsUserName])
        #expect(compatible.violations(of: "Password1", userName: "admin") == [.commonPassword])
        #expect(compatible.violations(of: "Città-Vecchia1", userName: "admin") == [.unsupportedCharacter])
    }

    @Test func blocklistIsCaseInsensitiveAndHoldsVendorDefaults() {
        #expect(compatible.violations(of: "HIKVISION123", userName: "admin").contains(.commonPassword))
        #expect(compatible.violations(of: "abcd1234", userName: "admin").contains(.commonPassword))
        #expect(CommonPasswords.count > 8000)
    }

    @Test func passphraseProfileWantsLengthNotComposition() {
        #expect(passphrase.violations(of: "correct horse battery staple", userName: "admin").isEmpty)
        #expect(passphrase.violations(of: "città di notte è bella", userName: "admin").isEmpty)
        #expect(passphrase.violations(of: "Sh0rt-Pass!", userName: "admin") == [.tooShort(minimum: 15)])
        #expect(passphrase.violations(of: String(repeating: "long words ", count: 7), userName: "admin").isEmpty)  // 77 characters
        #expect(passphrase.violations(of: "the admin of this camera", userName: "admin") == [.containsUserName])
        #expect(passphrase.violations(of: "tab\tinside the passphrase", userName: "admin") == [.unsupportedCharacter])
    }

    @Test func checkThrowsWithEveryBrokenRuleInTheReason() throws {
        let error = try #require(throws: ReclaimError.passwordRule) { try compatible.check("admin", userName: "admin") }
        #expect(error.reason.contains("at least 8"))
        #expect(error.reason.contains("user name"))
    }

    @Test func messagesExistInItalian() {
        #expect(PasswordPolicy.Violation.tooShort(minimum: 8).message(language: .italian).contains("almeno 8"))
    }
}
