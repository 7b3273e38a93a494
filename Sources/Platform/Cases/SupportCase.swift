public import Foundation
import ReclaimCore

/// A support case of type "device password reset" (flows F5, F6) and its rules, as a value.
///
/// In progress → To confirm (the reset key or file is ready) → Closed; or Rejected with a
/// reason the installer reads. Every change goes through one of the mutating functions
/// below, which check that it is allowed from the current state and return a
/// ``Transition`` saying what to do about it (issue the result, notify, audit). They take
/// the time as an argument and do no I/O: `SupportCases` performs their transitions, and
/// `SupportCaseTests` walks every state through every event.
public struct SupportCase: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case inProgress = "in-progress"
        case toConfirm = "to-confirm"
        case closed
        case rejected

        /// Closed and Rejected are final.
        public var isFinal: Bool { self == .closed || self == .rejected }
    }

    /// How the challenge reached the portal: from the device on the installer's LAN
    /// (through `reclaim helper`), or as a QR code exported on site ("Other").
    public enum Channel: String, Sendable, Codable, CaseIterable {
        case lanDevice = "lan-device"
        case otherNetwork = "other-network"
    }

    /// What the case gives back: recorders take a reset file (the LAN tool's "Import
    /// File"), cameras a reset key typed in ("Input key").
    public enum ResultKind: String, Sendable, Codable, CaseIterable {
        case resetKey = "reset-key"
        case resetFile = "reset-file"

        public static func forModel(_ model: String) -> ResultKind {
            switch DeviceModel.named(model)?.kind {
            case .nvr, .dvr: .resetFile
            case .ipCamera, nil: .resetKey
            }
        }
    }

    /// Why a case waits for a person on the reviewer desk.
    public enum ReviewReason: String, Sendable, Codable, CaseIterable {
        /// No Reclaim label could be read in the photo.
        case unreadableLabel = "unreadable-label"
        /// The same photo was sent for another device's case.
        case photoReused = "photo-reused"
    }

    /// Why a case was rejected: the automatic check's reasons and the reviewer's list.
    public enum RejectReason: String, Sendable, Codable, CaseIterable {
        case labelOfAnotherDevice = "label-of-another-device"
        case verificationCodeMismatch = "verification-code-mismatch"
        case labelNotVisible = "label-not-visible"
        case photoNotOfTheDevice = "photo-not-of-the-device"
        case suspectedFraud = "suspected-fraud"
        case other

        /// The reasons a reviewer picks from.
        public static let reviewerChoices: [RejectReason] = [
            .labelNotVisible, .labelOfAnotherDevice, .verificationCodeMismatch, .photoNotOfTheDevice, .suspectedFraud, .other,
        ]
    }

    public enum CloseReason: String, Sendable, Codable, CaseIterable {
        /// The installer closed it.
        case byInstaller = "by-installer"
        /// The key or file expired before anyone closed the case.
        case resultExpired = "result-expired"
        /// The device's challenge expired while the case waited.
        case challengeExpired = "challenge-expired"
    }

    /// What the automatic check found in the label photo.
    public enum LabelCheck: Sendable, Equatable {
        /// The label's serial and verification code are the enrolled device's.
        case matches
        /// A readable label of another device.
        case otherDevice(serial: String)
        /// The device's serial with another verification code.
        case codeMismatch
        /// No label could be read.
        case unreadable
        /// The same photo came with another device's case.
        case reusedPhoto(caseID: String)
    }

    public let id: String
    public let companyId: String
    /// The account that opened the case.
    public let openedBy: String
    public let serial: String
    public let model: String
    public let channel: Channel
    /// The device's sealed challenge, as handed in; only the authority can open it.
    public let challenge: String
    public let challengeExpiresAt: Int64
    /// SHA-256 of the label photo, hex.
    public let photoHash: String
    public let resultKind: ResultKind
    public let createdAt: Int64

    public private(set) var state: State = .inProgress
    public private(set) var updatedAt: Int64
    /// Whether the automatic check has run.
    public private(set) var checked = false
    /// Set while the case waits for a reviewer.
    public private(set) var reviewReason: ReviewReason?
    /// What the reader found on the label, for the reviewer ("serial code"), if anything.
    public private(set) var labelRead: String?
    /// The case whose photo this one reuses.
    public private(set) var reusedFrom: String?
    /// The reviewer who approved or rejected; nil when the automatic check decided.
    public private(set) var reviewer: String?
    public private(set) var rejectReason: RejectReason?
    /// The reviewer's words, or what the automatic check saw.
    public private(set) var rejectText: String?
    public private(set) var closeReason: CloseReason?
    public private(set) var resultIssuedAt: Int64?
    /// After this the key or file is of no use; the case closes by itself.
    public private(set) var resultExpiresAt: Int64?
    public private(set) var decidedAt: Int64?
    public private(set) var closedAt: Int64?

    public init(
        id: String, companyId: String, openedBy: String, serial: String, model: String, channel: Channel, challenge: String,
        challengeExpiresAt: Int64, photoHash: String, now: Int64
    ) {
        self.id = id
        self.companyId = companyId
        self.openedBy = openedBy
        self.serial = serial
        self.model = model
        self.channel = channel
        self.challenge = challenge
        self.challengeExpiresAt = challengeExpiresAt
        self.photoHash = photoHash
        self.resultKind = .forModel(model)
        self.createdAt = now
        self.updatedAt = now
    }

    /// Whether the case sits on the reviewer desk.
    public var awaitsReview: Bool { state == .inProgress && checked && reviewReason != nil }

    /// What a change did: the state before and after, and whether the key or file is to
    /// be issued now (always with a move to To confirm).
    public struct Transition: Sendable, Equatable {
        public let from: State
        public let to: State
        public var issues: Bool { to == .toConfirm && from != .toConfirm }
    }

    // MARK: Events

    /// The automatic check's finding. Only once, only while In progress.
    /// - Parameter resultLifetime: how long an issued key or file is offered (capped by the
    ///   challenge's own expiry).
    public mutating func check(_ finding: LabelCheck, labelRead: String?, now: Int64, resultLifetime: Int64) throws(PlatformError)
        -> Transition
    {
        guard state == .inProgress, !checked else { throw refusal("checked", "It was checked already.") }
        if let expired = expireIfDue(now: now) { return expired }
        let from = state
        checked = true
        self.labelRead = labelRead
        updatedAt = now
        switch finding {
        case .matches:
            approve(by: nil, now: now, resultLifetime: resultLifetime)
        case .otherDevice(let serial):
            reject(.labelOfAnotherDevice, text: "The label in the photo is of device \(serial).", by: nil, now: now)
        case .codeMismatch:
            reject(.verificationCodeMismatch, text: nil, by: nil, now: now)
        case .unreadable:
            reviewReason = .unreadableLabel
        case .reusedPhoto(let caseID):
            reviewReason = .photoReused
            reusedFrom = caseID
        }
        return Transition(from: from, to: state)
    }

    /// A reviewer approves a case waiting on the desk: the key or file is issued.
    public mutating func approve(reviewer: String, now: Int64, resultLifetime: Int64) throws(PlatformError) -> Transition {
        guard awaitsReview else { throw refusal("approve", "Only a case waiting for a reviewer can be approved.") }
        if let expired = expireIfDue(now: now) { return expired }
        approve(by: reviewer, now: now, resultLifetime: resultLifetime)
        return Transition(from: .inProgress, to: state)
    }

    /// A reviewer rejects a case waiting on the desk, with a reason the installer reads.
    public mutating func reject(reviewer: String, reason: RejectReason, text: String?, now: Int64) throws(PlatformError) -> Transition {
        guard awaitsReview else { throw refusal("reject", "Only a case waiting for a reviewer can be rejected.") }
        let words = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason == .other, words?.isEmpty ?? true {
            throw PlatformError(
                .invalidInput, "Say why the case is rejected: the installer reads it.", localized: .init("caseRejectNeedsText"))
        }
        reject(reason, text: (words?.isEmpty ?? true) ? nil : String(words!.prefix(500)), by: reviewer, now: now)
        return Transition(from: .inProgress, to: state)
    }

    /// The installer closes the case: done with the key, or no longer needed.
    public mutating func close(now: Int64) throws(PlatformError) -> Transition {
        guard !state.isFinal else { throw refusal("close", "The case is \(state.rawValue) already.") }
        let from = state
        finish(.closed, reason: .byInstaller, now: now)
        return Transition(from: from, to: state)
    }

    /// Closes the case when what it waits for has expired: the key or file (To confirm),
    /// or the device's challenge (In progress). Nil when nothing is due.
    public mutating func expireIfDue(now: Int64) -> Transition? {
        let from = state
        switch state {
        case .toConfirm where now >= resultExpiresAt ?? .max:
            finish(.closed, reason: .resultExpired, now: now)
        case .inProgress where now >= challengeExpiresAt:
            finish(.closed, reason: .challengeExpired, now: now)
        default:
            return nil
        }
        return Transition(from: from, to: state)
    }

    // MARK: Steps the events share

    private mutating func approve(by reviewer: String?, now: Int64, resultLifetime: Int64) {
        state = .toConfirm
        self.reviewer = reviewer
        reviewReason = nil
        resultIssuedAt = now
        resultExpiresAt = min(challengeExpiresAt, now + resultLifetime)
        decidedAt = now
        updatedAt = now
    }

    private mutating func reject(_ reason: RejectReason, text: String?, by reviewer: String?, now: Int64) {
        state = .rejected
        self.reviewer = reviewer
        reviewReason = nil
        rejectReason = reason
        rejectText = text
        decidedAt = now
        updatedAt = now
    }

    private mutating func finish(_ state: State, reason: CloseReason, now: Int64) {
        self.state = state
        closeReason = reason
        reviewReason = nil
        closedAt = now
        updatedAt = now
    }

    private func refusal(_ event: String, _ detail: String) -> PlatformError {
        PlatformError(
            .conflict, "Case \(id) is \(state.rawValue): \(detail)", localized: .init("caseWrongState"))
    }
}
