import Foundation

/// The rules a device's admin password must follow.
///
/// Two profiles exist and the device model picks one. The compatible profile is what
/// real firmware enforces (8–16 characters of at least two kinds), so existing clients
/// keep working; the passphrase profile follows current guidance instead (long, any
/// characters, no composition rule). Both refuse passwords that contain the user name
/// and those on a list of common passwords.
public struct PasswordPolicy: Sendable, Hashable {
    public enum Profile: String, Sendable, Codable, Hashable {
        /// 8–16 printable ASCII characters, two or more of: digits, lower case, upper case, specials.
        case compatible
        /// 15–128 characters of any kind, no composition rule.
        case passphrase
    }

    public let profile: Profile

    public init(_ profile: Profile) { self.profile = profile }

    /// The user name of every device's admin account, which its password must not contain.
    public static let adminUserName = "admin"

    public var minimumLength: Int { profile == .compatible ? 8 : 15 }
    public var maximumLength: Int { profile == .compatible ? 16 : 128 }
    public var requiredCharacterKinds: Int { profile == .compatible ? 2 : 0 }

    /// A rule that a password broke.
    public enum Violation: Sendable, Hashable, CustomStringConvertible {
        case tooShort(minimum: Int)
        case tooLong(maximum: Int)
        case tooFewCharacterKinds(required: Int)
        case containsUserName
        case commonPassword
        case unsupportedCharacter

        public var description: String { message(language: .english) }

        /// Says which rule failed, for a person.
        public func message(language: Language) -> String {
            switch (self, language) {
            case (.tooShort(let minimum), .english): "The password must be at least \(minimum) characters long."
            case (.tooShort(let minimum), .italian): "La password deve avere almeno \(minimum) caratteri."
            case (.tooLong(let maximum), .english): "The password must be at most \(maximum) characters long."
            case (.tooLong(let maximum), .italian): "La password può avere al massimo \(maximum) caratteri."
            case (.tooFewCharacterKinds(let required), .english):
                "The password must mix at least \(required) of: digits, lower-case letters, upper-case letters, special characters."
            case (.tooFewCharacterKinds(let required), .italian):
                "La password deve contenere almeno \(required) di questi tipi di caratteri: numeri, lettere minuscole, lettere maiuscole, caratteri speciali."
            case (.containsUserName, .english): "The password must not contain the user name."
            case (.containsUserName, .italian): "La password non deve contenere il nome utente."
            case (.commonPassword, .english): "This password is on the list of common passwords that attackers try first; choose another."
            case (.commonPassword, .italian):
                "Questa password è nell'elenco delle password più comuni, quelle che un attaccante prova per prime: scegline un'altra."
            case (.unsupportedCharacter, .english):
                "The password contains a character this device does not accept (only printable ASCII for this model, never control characters)."
            case (.unsupportedCharacter, .italian):
                "La password contiene un carattere che questo dispositivo non accetta (per questo modello solo caratteri ASCII stampabili, mai caratteri di controllo)."
            }
        }
    }

    /// Every rule that `password` breaks for the account `userName`; empty when it passes.
    public func violations(of password: String, userName: String) -> [Violation] {
        var found: [Violation] = []
        let scalars = password.unicodeScalars
        switch profile {
        case .compatible:
            if scalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E }) { found.append(.unsupportedCharacter) }
        case .passphrase:
            if scalars.contains(where: { $0.properties.generalCategory == .control }) { found.append(.unsupportedCharacter) }
        }
        let length = password.count
        if length < minimumLength { found.append(.tooShort(minimum: minimumLength)) }
        if length > maximumLength { found.append(.tooLong(maximum: maximumLength)) }
        if requiredCharacterKinds > 0 {
            var kinds = Set<Int>()
            for scalar in scalars {
                switch scalar.value {
                case 0x30...0x39: kinds.insert(0)
                case 0x61...0x7A: kinds.insert(1)
                case 0x41...0x5A: kinds.insert(2)
                default: kinds.insert(3)
                }
            }
            if kinds.count < requiredCharacterKinds { found.append(.tooFewCharacterKinds(required: requiredCharacterKinds)) }
        }
        let folded = password.lowercased()
        if !userName.isEmpty, folded.contains(userName.lowercased()) { found.append(.containsUserName) }
        if CommonPasswords.contains(folded) { found.append(.commonPassword) }
        return found
    }

    /// Throws a ``ReclaimError`` naming every rule that `password` breaks.
    public func check(_ password: String, userName: String) throws(ReclaimError) {
        let broken = violations(of: password, userName: userName)
        guard broken.isEmpty else {
            throw ReclaimError(.passwordRule, broken.map(\.description).joined(separator: " "))
        }
    }

    /// How hard a password that passes the policy is to guess, as the hardening check
    /// reports it: the policy's minimum, or comfortably above it.
    public enum Strength: String, Sendable, Codable, Hashable {
        /// Breaks a rule (possible for a password set under an older policy).
        case weak
        /// Meets the rules, no more.
        case fair
        /// Long and varied: 12 or more characters of 3 or more kinds, or a passphrase of 20 or more.
        case strong
    }

    public func strength(of password: String, userName: String) -> Strength {
        guard violations(of: password, userName: userName).isEmpty else { return .weak }
        var kinds = Set<Int>()
        for scalar in password.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: kinds.insert(0)
            case 0x61...0x7A: kinds.insert(1)
            case 0x41...0x5A: kinds.insert(2)
            default: kinds.insert(3)
            }
        }
        let length = password.count
        return (length >= 12 && kinds.count >= 3) || length >= 20 ? .strong : .fair
    }

    /// A one-line statement of the rules, for forms and prompts.
    public func summary(language: Language) -> String {
        switch (profile, language) {
        case (.compatible, .english):
            "8 to 16 characters, mixing two or more of: digits, lower-case letters, upper-case letters, special characters; not the user name, not a common password."
        case (.compatible, .italian):
            "Da 8 a 16 caratteri, con due o più tipi tra: numeri, lettere minuscole, lettere maiuscole, caratteri speciali; non il nome utente, non una password comune."
        case (.passphrase, .english):
            "A passphrase of 15 to 128 characters, any characters; not the user name, not a common password."
        case (.passphrase, .italian):
            "Una frase segreta da 15 a 128 caratteri, di qualsiasi tipo; non il nome utente, non una password comune."
        }
    }
}

/// The list of common passwords, loaded once per process and shared by every device.
enum CommonPasswords {
    private static let entries: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // The list ships inside the package; a build without it is broken, not lenient.
            fatalError("common-passwords.txt is missing from the ReclaimCore bundle")
        }
        var list = Set<String>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            list.insert(line.lowercased())
        }
        return list
    }()

    static func contains(_ lowercasedPassword: String) -> Bool { entries.contains(lowercasedPassword) }
    static var count: Int { entries.count }
}
