/// An error of the recovery protocol or of the input handed to it.
///
/// It carries a stable ``Code`` for programs and tests, a human ``reason`` that says
/// what went wrong and what to do, and where it was raised. Two errors compare equal
/// when their codes do, so tests can write `#expect(throws: ReclaimError.challengeExpired)`.
/// A reason never contains a secret.
public struct ReclaimError: Error, Sendable, CustomStringConvertible {
    /// The kind of error. New kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible, CaseIterable {
        enum Base: String, Sendable, CaseIterable {
            case malformedInput
            case unsupportedVersion
            case passwordRule
            case unknownKey
            case signatureInvalid
            case wrongDevice
            case notEnrolled
            case unknownChallenge
            case challengeExpired
            case wrongCredential
            case wrongPurpose
            case unsupported
        }

        let base: Base
        private init(_ base: Base) { self.base = base }

        /// Input could not be parsed: bad encoding, missing field, wrong length.
        public static let malformedInput = Code(.malformedInput)
        /// The input is of a protocol version this build does not speak.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A password broke a rule of the password policy.
        public static let passwordRule = Code(.passwordRule)
        /// A key id names no key that this party holds.
        public static let unknownKey = Code(.unknownKey)
        /// A signature or seal did not verify.
        public static let signatureInvalid = Code(.signatureInvalid)
        /// The input is bound to another device.
        public static let wrongDevice = Code(.wrongDevice)
        /// The authority has no enrollment record for the device.
        public static let notEnrolled = Code(.notEnrolled)
        /// No live challenge matches: never issued, already used, or voided.
        public static let unknownChallenge = Code(.unknownChallenge)
        /// The challenge or authorisation is past its expiry time.
        public static let challengeExpired = Code(.challengeExpired)
        /// A key, code, answer or file did not match.
        public static let wrongCredential = Code(.wrongCredential)
        /// The input was issued for another purpose (e.g. a support key used as an e-mail code).
        public static let wrongPurpose = Code(.wrongPurpose)
        /// The operation is not available on this device or in this state.
        public static let unsupported = Code(.unsupported)

        public static let allCases: [Code] = Base.allCases.map(Code.init)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// What happened and what to do, for a person.
    public let reason: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(reason)" }

    public static let malformedInput = ReclaimError(.malformedInput, "")
    public static let unsupportedVersion = ReclaimError(.unsupportedVersion, "")
    public static let passwordRule = ReclaimError(.passwordRule, "")
    public static let unknownKey = ReclaimError(.unknownKey, "")
    public static let signatureInvalid = ReclaimError(.signatureInvalid, "")
    public static let wrongDevice = ReclaimError(.wrongDevice, "")
    public static let notEnrolled = ReclaimError(.notEnrolled, "")
    public static let unknownChallenge = ReclaimError(.unknownChallenge, "")
    public static let challengeExpired = ReclaimError(.challengeExpired, "")
    public static let wrongCredential = ReclaimError(.wrongCredential, "")
    public static let wrongPurpose = ReclaimError(.wrongPurpose, "")
    public static let unsupported = ReclaimError(.unsupported, "")
}

extension ReclaimError: Equatable {
    /// Errors compare on their code only; the reason and location are for people.
    public static func == (lhs: ReclaimError, rhs: ReclaimError) -> Bool { lhs.code == rhs.code }
}
