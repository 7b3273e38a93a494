public import ReclaimCore

import struct Foundation.Date

/// Why a device refused a request. Carries what a client needs to tell the user what
/// to do: the broken password rules, the attempts left, the lock and until when.
///
/// How each code answers on each surface — the HTTP status (ISAPI and the web page
/// alike), the ISAPI `ResponseStatus` codes, the discovery result, the page's message —
/// is said once, in `DeviceError+Surfaces.swift`.
public struct DeviceError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
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
        /// The state changed while the request was checked (another request changed the
        /// password, used the challenge); nothing was done, and trying again may work.
        case conflict
        /// The data folder could not be written; nothing changed.
        case storage
        /// A firmware package was refused (see ``DeviceError/firmwareRefusal``): not genuine,
        /// not for this model, or not newer than the firmware installed. Nothing was installed.
        case firmwareRefused
    }

    public let code: Code
    /// What happened and what to do, in English; pages translate by code.
    public let reason: String
    public var violations: [PasswordPolicy.Violation] = []
    public var attemptsLeft: Int?
    public var lock: Lock?
    /// Seconds the lock had left when the error was made.
    public var lockSecondsLeft: Int?
    /// For a ``Code/badRequest`` or ``Code/firmwareRefused``: the same detail as the reason,
    /// as a text of the page's catalogue, so a page in another language never shows the
    /// English reason.
    public var localized: LocalizedReason?
    /// For a ``Code/firmwareRefused``: why, so each surface can say it in its own words.
    public var firmwareRefusal: FirmwareRefusal.Kind?
    public let file: String
    public let line: Int

    public init(
        _ code: Code, _ reason: String, violations: [PasswordPolicy.Violation] = [], attemptsLeft: Int? = nil, lock: Lock? = nil,
        lockSecondsLeft: Int? = nil, localized: LocalizedReason? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.localized = localized
        self.code = code
        self.reason = reason
        self.violations = violations
        self.attemptsLeft = attemptsLeft
        self.lock = lock
        self.lockSecondsLeft = lockSecondsLeft
        self.file = file
        self.line = line
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
            .locked,
            "\(what): " + Language.english.counted(minutes, one: "locked for 1 more minute", other: "locked for {n} more minutes")
                + ". Wait, then try again.", attemptsLeft: 0,
            lock: lock, lockSecondsLeft: lock.remainingSeconds(at: now))
    }

    /// A refused firmware package, with its detail as a text of the page's catalogue.
    init(firmware refusal: FirmwareRefusal, file: String = #fileID, line: Int = #line) {
        // One text a kind: `error.firmware.unsigned`, `error.firmware.wrongModel`, …
        let key = "error.firmware." + refusal.kind.rawValue
        self.init(.firmwareRefused, refusal.reason, localized: LocalizedReason(key, refusal.values), file: file, line: line)
        firmwareRefusal = refusal.kind
    }

    static func wrong(_ what: String, _ outcome: FailureOutcome, now: Date) -> DeviceError {
        if let lock = outcome.lock { return .locked(lock, now: now) }
        let left = outcome.attemptsLeft
        return DeviceError(
            .wrongCredential,
            "\(what) " + Language.english.counted(left, one: "1 attempt left", other: "{n} attempts left") + " before a lock-out.",
            attemptsLeft: left)
    }
}

extension DeviceError: Equatable {
    /// Errors compare on their code only; the reason and location are for people.
    public static func == (lhs: DeviceError, rhs: DeviceError) -> Bool { lhs.code == rhs.code }
}
