public import ReclaimCore

import struct Foundation.Date

/// Why a device refused a request. Carries what a client needs to tell the user what
/// to do: the broken password rules, the attempts left, the lock and until when.
public struct DeviceError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The device has no password yet; only activation works.
        case notActivated
        case alreadyActivated
        /// The new password breaks the policy (see ``DeviceError/violations``).
        case passwordRule
        /// A password, file, answer, key or code was wrong.
        case wrongCredential
        /// Too many failures: see ``DeviceError/lock``.
        case locked
        /// This recovery mode is not set up or not supported.
        case modeUnavailable
        /// The request was malformed.
        case badRequest
        /// The challenge this answers expired.
        case challengeExpired
        /// No live challenge matches: used, voided, or never issued.
        case unknownChallenge
        /// The data folder could not be written; nothing changed.
        case storage
    }

    public let code: Code
    /// What happened and what to do, in English; pages translate by code.
    public let reason: String
    public var violations: [PasswordPolicy.Violation] = []
    public var attemptsLeft: Int?
    public var lock: Lock?
    /// Seconds the lock had left when the error was made.
    public var lockSecondsLeft: Int?

    public init(
        _ code: Code, _ reason: String, violations: [PasswordPolicy.Violation] = [], attemptsLeft: Int? = nil, lock: Lock? = nil,
        lockSecondsLeft: Int? = nil
    ) {
        self.code = code
        self.reason = reason
        self.violations = violations
        self.attemptsLeft = attemptsLeft
        self.lock = lock
        self.lockSecondsLeft = lockSecondsLeft
    }

    public var description: String { "\(code.rawValue): \(reason)" }

    static func locked(_ lock: Lock, now: Date) -> DeviceError {
        let minutes = (lock.remainingSeconds(at: now) + 59) / 60
        let what =
            switch lock.scope {
            case .source: "Too many failed attempts from your address"
            case .device: "Too many failed attempts on this device"
            case .guidMode: "Too many bad GUID files"
            }
        return DeviceError(
            .locked, "\(what): locked for \(minutes) more minute\(minutes == 1 ? "" : "s"). Wait, then try again.", attemptsLeft: 0,
            lock: lock, lockSecondsLeft: lock.remainingSeconds(at: now))
    }

    static func wrong(_ what: String, _ outcome: FailureOutcome, now: Date) -> DeviceError {
        if let lock = outcome.lock { return .locked(lock, now: now) }
        let left = outcome.attemptsLeft
        return DeviceError(
            .wrongCredential, "\(what) \(left) attempt\(left == 1 ? "" : "s") left before a lock-out.", attemptsLeft: left)
    }
}
