public import Foundation
import ReclaimCore

/// A support ticket of an owner who has no installer (seed 004): "I cannot get into my
/// device; here is its QR code, its label and my proof of purchase". A reviewer reads it on
/// the desk, may ask for more through the ticket's messages, and approves it (the reset key
/// or file appears in the owner app) or rejects it with a reason.
///
/// Waiting for review ⇄ Waiting for the owner (the reviewer asked something; the owner's
/// answer puts it back in line) → Approved → Closed; or Rejected. Both sides may still
/// write on an approved ticket (the code did not work?) until the owner closes it. Each change goes through a
/// mutating function that checks the current state and returns what to do about it; no I/O
/// here (`OwnerTickets` performs it; `OwnerTicketTests` walks every state).
public struct OwnerTicket: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case waitingForReview = "waiting-for-review"
        case waitingForOwner = "waiting-for-owner"
        case approved
        case rejected
        case closed

        /// Rejected and Closed are final: nothing more is written to the ticket.
        public var isFinal: Bool { self == .rejected || self == .closed }
    }

    /// Who hears of a change.
    public enum Audience: Sendable, Equatable {
        case owner
        case reviewers
    }

    /// What a change asks the service to do besides storing the ticket.
    public struct Transition: Sendable, Equatable {
        /// The event's name in notifications, mails and the audit log.
        public let event: String
        public let tell: Audience
        /// Whether the authority issues the reset key or file now.
        public var issues = false
    }

    public let id: String
    public let ownerId: String
    public let serial: String
    public let model: String
    /// The device's sealed support-case challenge, read from the QR picture.
    public let challenge: String
    public let challengeExpiresAt: Int64
    /// An integrator acting for a client: the client's authorisation letter is attached.
    public let onBehalfOfClient: Bool
    public let resultKind: SupportCase.ResultKind
    public let createdAt: Int64
    public private(set) var state: State = .waitingForReview
    public private(set) var updatedAt: Int64
    public private(set) var reviewer: String?
    /// The reviewer's reason, shown to the owner, when rejected.
    public private(set) var rejectText: String?
    public private(set) var decidedAt: Int64?
    /// When every attachment was deleted (the retention period after the ticket ended).
    public private(set) var filesDeletedAt: Int64?

    public init(
        id: String, ownerId: String, serial: String, model: String, challenge: String, challengeExpiresAt: Int64, onBehalfOfClient: Bool,
        now: Int64
    ) {
        self.id = id
        self.ownerId = ownerId
        self.serial = serial
        self.model = model
        self.challenge = challenge
        self.challengeExpiresAt = challengeExpiresAt
        self.onBehalfOfClient = onBehalfOfClient
        self.resultKind = .forModel(model)
        self.createdAt = now
        self.updatedAt = now
    }

    /// A ticket as the table holds it: for the table's reader only.
    init(
        stored id: String, ownerId: String, serial: String, model: String, challenge: String, challengeExpiresAt: Int64,
        onBehalfOfClient: Bool, createdAt: Int64, state: State, updatedAt: Int64, reviewer: String?, rejectText: String?,
        decidedAt: Int64?, filesDeletedAt: Int64?
    ) {
        self.init(
            id: id, ownerId: ownerId, serial: serial, model: model, challenge: challenge, challengeExpiresAt: challengeExpiresAt,
            onBehalfOfClient: onBehalfOfClient, now: createdAt)
        self.state = state
        self.updatedAt = updatedAt
        self.reviewer = reviewer
        self.rejectText = rejectText
        self.decidedAt = decidedAt
        self.filesDeletedAt = filesDeletedAt
    }

    static func wrongState(_ state: State, _ what: String) -> PlatformError {
        PlatformError(.conflict, "The ticket is \(state.rawValue); it cannot \(what) now.", localized: .init("ticketWrongState"))
    }

    /// A reviewer writes to the owner: a question puts an open ticket in the owner's hands;
    /// after the approval, an answer ("the code did not work?") takes nothing back.
    public mutating func reviewerWrites(reviewer: String, now: Int64) throws(PlatformError) -> Transition {
        guard state == .waitingForReview || state == .waitingForOwner || state == .approved else {
            throw Self.wrongState(state, "take messages")
        }
        if state != .approved { state = .waitingForOwner }
        self.reviewer = reviewer
        updatedAt = now
        return Transition(event: "asked", tell: .owner)
    }

    /// The owner writes (an answer, a new document): the ticket goes back in line.
    public mutating func ownerWrites(now: Int64) throws(PlatformError) -> Transition {
        guard state == .waitingForReview || state == .waitingForOwner || state == .approved else {
            throw Self.wrongState(state, "take messages")
        }
        if state == .waitingForOwner { state = .waitingForReview }
        updatedAt = now
        return Transition(event: "answered", tell: .reviewers)
    }

    /// A reviewer approves: the reset key or file is issued for the device's challenge.
    public mutating func approve(reviewer: String, now: Int64) throws(PlatformError) -> Transition {
        guard state == .waitingForReview || state == .waitingForOwner else { throw Self.wrongState(state, "be approved") }
        guard now < challengeExpiresAt else {
            throw PlatformError(
                .conflict, "The device's QR code expired; ask the owner for a new one.", localized: .init("ticketChallengeExpired"))
        }
        state = .approved
        self.reviewer = reviewer
        decidedAt = now
        updatedAt = now
        return Transition(event: "approved", tell: .owner, issues: true)
    }

    /// A reviewer rejects, saying why in words the owner reads.
    public mutating func reject(reviewer: String, text: String, now: Int64) throws(PlatformError) -> Transition {
        guard state == .waitingForReview || state == .waitingForOwner else { throw Self.wrongState(state, "be rejected") }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw PlatformError(
                .invalidInput, "Say why the ticket is rejected: the owner reads it.", localized: .init("ticketRejectWhyMissing"))
        }
        state = .rejected
        self.reviewer = reviewer
        rejectText = String(text.prefix(2000))
        decidedAt = now
        updatedAt = now
        return Transition(event: "rejected", tell: .owner)
    }

    /// The owner closes the ticket: done with it, or no longer needed.
    public mutating func close(now: Int64) throws(PlatformError) -> Transition {
        guard !state.isFinal else { throw Self.wrongState(state, "be closed") }
        state = .closed
        decidedAt = decidedAt ?? now
        updatedAt = now
        return Transition(event: "closed", tell: .reviewers)
    }

    /// Whether the retention period of a ticket that ended has passed at `now`.
    public func filesAreDue(retention: Int64, now: Int64) -> Bool {
        guard filesDeletedAt == nil, state.isFinal || state == .approved, let decidedAt else { return false }
        return now >= decidedAt + retention
    }

    public mutating func filesDeleted(now: Int64) {
        filesDeletedAt = now
    }
}
