public import Foundation
public import ReclaimCore

/// What the local console asks the running device, over its control socket
/// (``ControlSocket``): one JSON object on the line `console SERIAL {…}`.
///
/// Every operation goes through the same ``Device`` calls as the web page and ISAPI, so
/// the lock-out book, the attempts left and the password policy apply to the console
/// exactly as they do there. The socket, not the console, names the caller
/// (``ControlSocket/consoleSource``): a client cannot claim another address to get round a
/// lock.
public enum ConsoleRequest: Sendable, Codable, Equatable {
    /// What the menu shows: activation, which recovery modes are ready, the questions.
    case status
    /// Checks the admin password (the sign-in dialog).
    case signIn(password: String)
    /// F2: a GUID file read from the USB stick.
    case recoverWithGUIDFile(file: Data, newPassword: String)
    /// F3: the answers to the configured questions, by question id.
    case recoverWithAnswers(answers: [Answer], newPassword: String)
    /// F4: a new reserved-e-mail challenge, to show as a QR code.
    case reservedEmailChallenge
    /// F4: the verification code the authority mailed for a challenge.
    case recoverWithCode(code: String, newPassword: String)

    public struct Answer: Sendable, Codable, Equatable {
        public var questionID: Int
        public var answer: String

        public init(questionID: Int, answer: String) {
            self.questionID = questionID
            self.answer = answer
        }
    }
}

/// The device's answer to a ``ConsoleRequest``.
public enum ConsoleAnswer: Sendable, Codable, Equatable {
    case status(ConsoleStatus)
    /// Signed in, or the new password is set.
    case done
    case challenge(text: String, expiresAt: Date)
    /// The device's rules said no: the refusal, whole, so the console words it as the
    /// web page does (attempts left, how long a lock lasts, each password rule broken).
    case refused(ConsoleRefusal)
}

/// What the console's menu shows of the device.
public struct ConsoleStatus: Sendable, Codable, Equatable {
    public var serial: String
    public var model: String
    public var firmware: String
    public var mac: String
    public var activated: Bool
    public var passwordProfile: PasswordPolicy.Profile
    /// Modes the firmware has, and those set up now.
    public var supported: [RecoveryModes.Mode]
    public var ready: [RecoveryModes.Mode]
    /// The configured questions, in order.
    public var questionIDs: [Int]
    /// The reserved address, mostly hidden (`o***@example.org`).
    public var maskedEmail: String?

    public init(
        serial: String, model: String, firmware: String = "", mac: String = "", activated: Bool,
        passwordProfile: PasswordPolicy.Profile = .compatible, supported: [RecoveryModes.Mode], ready: [RecoveryModes.Mode],
        questionIDs: [Int] = [], maskedEmail: String? = nil
    ) {
        self.serial = serial
        self.model = model
        self.firmware = firmware
        self.mac = mac
        self.activated = activated
        self.passwordProfile = passwordProfile
        self.supported = supported
        self.ready = ready
        self.questionIDs = questionIDs
        self.maskedEmail = maskedEmail
    }
}

extension RecoveryModes.Mode: Codable {}

/// A ``DeviceError`` as it crosses the control socket, and back.
public struct ConsoleRefusal: Sendable, Codable, Equatable {
    public var code: String
    public var reason: String
    public var attemptsLeft: Int?
    public var lockScope: LockScope?
    public var lockUntil: Date?
    public var lockSecondsLeft: Int?
    public var violations: [Rule]
    public var localizedKey: String?
    public var localizedValues: [String: String]?

    /// A broken password rule and its number (the minimum length, say).
    public struct Rule: Sendable, Codable, Equatable {
        public var name: String
        public var limit: Int?
    }

    public init(_ error: DeviceError) {
        code = error.code.rawValue
        reason = error.reason
        attemptsLeft = error.attemptsLeft
        lockScope = error.lock?.scope
        lockUntil = error.lock?.until
        lockSecondsLeft = error.lockSecondsLeft
        violations = error.violations.map(Rule.init)
        localizedKey = error.localized?.key
        localizedValues = error.localized?.values
    }

    /// The refusal as the device raised it; an unknown code (a newer device) reads as a
    /// bad request, so its English reason still shows.
    public var error: DeviceError {
        DeviceError(
            DeviceError.Code(rawValue: code) ?? .badRequest, reason, violations: violations.compactMap(\.violation),
            attemptsLeft: attemptsLeft, lock: lockScope.flatMap { scope in lockUntil.map { Lock(scope: scope, until: $0) } },
            lockSecondsLeft: lockSecondsLeft, localized: localizedKey.map { LocalizedReason($0, localizedValues ?? [:]) })
    }
}

extension ConsoleRefusal.Rule {
    init(_ violation: PasswordPolicy.Violation) {
        switch violation {
        case .tooShort(let minimum): self.init(name: "tooShort", limit: minimum)
        case .tooLong(let maximum): self.init(name: "tooLong", limit: maximum)
        case .tooFewCharacterKinds(let required): self.init(name: "tooFewCharacterKinds", limit: required)
        case .containsUserName: self.init(name: "containsUserName", limit: nil)
        case .commonPassword: self.init(name: "commonPassword", limit: nil)
        case .unsupportedCharacter: self.init(name: "unsupportedCharacter", limit: nil)
        }
    }

    var violation: PasswordPolicy.Violation? {
        switch (name, limit) {
        case ("tooShort", let limit?): .tooShort(minimum: limit)
        case ("tooLong", let limit?): .tooLong(maximum: limit)
        case ("tooFewCharacterKinds", let limit?): .tooFewCharacterKinds(required: limit)
        case ("containsUserName", _): .containsUserName
        case ("commonPassword", _): .commonPassword
        case ("unsupportedCharacter", _): .unsupportedCharacter
        default: nil
        }
    }
}

/// The console's lines on the control socket: `console SERIAL {request}` →
/// `ok {answer}`, or `error …` when the line itself is wrong or names no device here.
public enum ConsoleWire {
    static let verb = "console"

    public static func requestLine(serial: String, _ request: ConsoleRequest) -> String {
        "\(verb) \(serial) " + json(request)
    }

    public static func answerLine(_ answer: ConsoleAnswer) -> String { "ok " + json(answer) }

    /// The answer on a line the socket sent back; nil when it is not a console answer.
    public static func answer(from line: String) -> ConsoleAnswer? {
        guard line.hasPrefix("ok ") else { return nil }
        return try? decoder.decode(ConsoleAnswer.self, from: Data(line.dropFirst(3).utf8))
    }

    /// The serial and request of a `console …` line; nil when the line is not one.
    public static func request(from line: String) -> (serial: String, request: ConsoleRequest)? {
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == verb,
            let request = try? decoder.decode(ConsoleRequest.self, from: Data(parts[2].utf8))
        else { return nil }
        return (parts[1], request)
    }

    /// One line: JSON escapes every newline inside strings, and nothing is pretty-printed.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
