public import Foundation
public import ReclaimCore
public import WebSupport

/// The rules of an owner-approved password reset (F7), as a value: an installer asks, the
/// owner approves with a new password sealed to the device, the device applies it.
///
/// ```
///  pending ─approve→ approved ─applied→ changed
///     │                 ├─refused→ failed
///     │                 └─expired→ expired
///     ├─decline→ declined   ├─cancel→ cancelled   └─expire→ expired
/// ```
///
/// Pure: no clock, database or network. `ResetRequests` stores it and performs what a
/// transition implies (the command, notifications, mail).
public struct ResetRequest: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// The owner must be on the device's network when approving; valid 24 hours.
        case offSite = "off-site"
        /// The installer must be on the device's network when asking; valid 5 minutes.
        case onSite = "on-site"

        public var validity: TimeInterval { self == .offSite ? 24 * 3600 : 5 * 60 }
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        case pending, approved, changed, failed, expired, cancelled, declined

        public var isOpen: Bool { self == .pending || self == .approved }
    }

    public let id: String
    public let serial: String
    public let model: String
    public let companyId: String
    public let requestedBy: String
    public let ownerId: String
    public let mode: Mode
    public let createdAt: Int64
    public let expiresAt: Int64
    public private(set) var state: State = .pending
    public private(set) var updatedAt: Int64
    /// The command carrying the sealed password, once approved.
    public private(set) var commandId: String?
    /// Why it failed: the device's error code (`passwordRule`, …) or `offline`.
    public private(set) var failureCode: String?
    public private(set) var failureReason: String?

    public init(
        id: String, serial: String, model: String, companyId: String, requestedBy: String, ownerId: String, mode: Mode, now: Int64
    ) {
        self.id = id
        self.serial = serial
        self.model = model
        self.companyId = companyId
        self.requestedBy = requestedBy
        self.ownerId = ownerId
        self.mode = mode
        createdAt = now
        expiresAt = now + Int64(mode.validity)
        updatedAt = now
    }

    public enum Refusal: Error, Equatable, Sendable {
        /// The request is not in a state that allows this.
        case notOpen(State)
        case expired
    }

    public func isExpired(at now: Int64) -> Bool { now >= expiresAt }

    /// The owner approves; the command `commandId` carries the sealed password.
    public mutating func approve(commandId: String, now: Int64) throws(Refusal) {
        guard state == .pending else { throw .notOpen(state) }
        guard !isExpired(at: now) else { throw .expired }
        state = .approved
        self.commandId = commandId
        updatedAt = now
    }

    public mutating func decline(now: Int64) throws(Refusal) {
        guard state == .pending else { throw .notOpen(state) }
        state = .declined
        updatedAt = now
    }

    /// The installer withdraws it. Once approved, the password is on its way and can't be.
    public mutating func cancel(now: Int64) throws(Refusal) {
        guard state == .pending else { throw .notOpen(state) }
        state = .cancelled
        updatedAt = now
    }

    /// The command ended: applied, refused by the device, or expired unanswered.
    public mutating func commandEnded(applied: Bool, code: String?, reason: String?, now: Int64) {
        guard state == .approved else { return }
        if applied {
            state = .changed
        } else if code == "offline" {
            state = .expired
            failureCode = code
            failureReason = reason
        } else {
            state = .failed
            failureCode = code
            failureReason = reason
        }
        updatedAt = now
    }

    /// Time ran out while the owner had not answered; true when this changed the request.
    public mutating func expire(now: Int64) -> Bool {
        guard state == .pending, isExpired(at: now) else { return false }
        state = .expired
        failureCode = "not-approved"
        updatedAt = now
        return true
    }
}

extension ResetRequest {
    /// Why the request ended without a change, in `language` from `strings`: the device's
    /// own reason on English surfaces, the code's text in any other language (the device
    /// speaks English on its link), nil when nothing failed.
    public func failureText(_ language: Language, _ strings: StringCatalog) -> String? {
        Self.failureText(code: failureCode, reason: failureReason, language, strings)
    }

    static func failureText(code: String?, reason: String?, _ language: Language, _ strings: StringCatalog) -> String? {
        guard code != nil || reason != nil else { return nil }
        if language == .english, let reason { return reason }
        let key = "resetFailure." + (code ?? "other")
        return strings.text(strings.contains(key) ? key : "resetFailure.other", language)
    }
}
