import Crypto
public import Foundation
import Logging
import QRReader
public import ReclaimCore
import SQLKit
public import ServiceLifecycle
import WebSupport

/// Support cases (flows F5, F6): opening them, the automatic label check, the reviewer
/// desk, closing, and what every change brings — the key or file issued, the audit log,
/// the message centre and an e-mail to the installer.
///
/// The rules are ``SupportCase``'s; this service performs them. Every change reads the
/// case, applies one rule, and writes it back only if nobody changed it meanwhile, in one
/// transaction with its audit entry and notification. As a service it runs the automatic
/// check of new cases (woken when one is opened, and at start for any left unchecked) and
/// closes cases whose key, file or challenge expired.
public final class SupportCases: Service, Sendable {
    let database: Database
    let authority: RecoveryAuthority
    let auditLog: AuditLog
    let mail: MailQueue
    let settings: ServerSettings
    let hours: WorkingHours
    let logger: Logger
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    init(
        database: Database, authority: RecoveryAuthority, auditLog: AuditLog, mail: MailQueue, settings: ServerSettings,
        logger: Logger
    ) throws(PlatformError) {
        self.database = database
        self.authority = authority
        self.auditLog = auditLog
        self.mail = mail
        self.settings = settings
        self.hours = try settings.workingHours()
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: Opening

    /// What an installer submits.
    public struct Opening: Sendable {
        public var channel: SupportCase.Channel
        /// The device's challenge: from the device through the helper, or the text of the
        /// exported QR code.
        public var challenge: String
        public var photo: [UInt8]
        /// The installer read and accepted the notice.
        public var acknowledged: Bool

        public init(channel: SupportCase.Channel, challenge: String, photo: [UInt8], acknowledged: Bool) {
            self.channel = channel
            self.challenge = challenge
            self.photo = photo
            self.acknowledged = acknowledged
        }
    }

    /// Opens a case for an installer of a certified company. The challenge must be a
    /// support-case challenge of an enrolled device, not expired; the photo a PNG or JPEG.
    public func open(_ opening: Opening, by account: Account, now: Date = Date()) async throws -> SupportCase {
        guard account.role == .installer, let companyID = account.companyId,
            let company = try await database.read({ db in try await CompanyTable.find(id: companyID, in: db) })
        else {
            throw PlatformError(.forbidden, "Only installers of a company open support cases.", localized: .init("caseInstallersOnly"))
        }
        guard company.isCertified else {
            throw PlatformError(
                .forbidden, "Company \(company.name) is not certified yet; ask your distributor for certification, then open the case.",
                localized: .init("caseNotCertified"))
        }
        guard opening.acknowledged else {
            throw PlatformError(.invalidInput, "Read and accept the notice before submitting.", localized: .init("caseNoticeMissing"))
        }
        // A whole JPEG or PNG, kept without what a phone may append after the picture.
        let photo: [UInt8]
        let mediaType: String
        switch UploadedDocument.scan(opening.photo, limit: .max) {
        case .success(let kind) where kind != .pdf:
            photo = UploadedDocument.kept(opening.photo, kind: kind)
            mediaType = kind.mediaType
        case .failure(.damaged):
            throw PlatformError(
                .unreadableUpload, "The label photo is damaged or cut short; send it again.", localized: .init("casePhotoDamaged"))
        default:
            throw PlatformError(
                .unreadableUpload, "The label photo must be a JPEG or PNG picture.", localized: .init("casePhotoNotAPicture"))
        }
        let challenge: OpenedChallenge
        do {
            challenge = try await authority.open(opening.challenge, now: now)
        } catch let error as ReclaimError {
            throw PlatformError(
                .invalidInput, "The device's challenge cannot be used: \(error.reason)", localized: .init("caseBadChallenge"))
        }
        guard challenge.content.purpose == .supportCase else {
            throw PlatformError(
                .invalidInput,
                "That QR code is for the reserved e-mail recovery; export the one for a support case (\"Forgot password\" → support).",
                localized: .init("caseWrongPurpose"))
        }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let value = SupportCase(
            id: "case_" + Bytes.hex(Bytes.random(count: 8)), companyId: companyID, openedBy: account.id,
            serial: challenge.content.serial.text, model: challenge.content.model, channel: opening.channel,
            challenge: opening.challenge.trimmingCharacters(in: .whitespacesAndNewlines),
            challengeExpiresAt: Int64(challenge.content.expiresAt.timeIntervalSince1970),
            photoHash: Bytes.hex(Array(SHA256.hash(data: photo))), now: seconds)
        let auditLog = auditLog
        try await database.transaction { db in
            try await SupportCaseTable.insert(value, in: db)
            try await CasePhotoTable.insert(caseID: value.id, mediaType: mediaType, bytes: photo, in: db)
            try await auditLog.record(
                .caseOpened(id: value.id, serial: value.serial, channel: value.channel.rawValue), by: account.actor, in: db, now: now)
            try await Self.notify(value, event: "opened", in: db, now: seconds)
        }
        tell(account, about: value, event: "opened")
        wake.yield()
        return value
    }

    // MARK: Reading

    public func find(id: String) async throws -> SupportCase? {
        try await database.read { db in try await SupportCaseTable.find(id: id, in: db) }
    }

    /// A page of cases: a company's for its installers, every company's for reviewers.
    public func list(
        companyID: String?, states: [SupportCase.State] = [], from: Date? = nil, until: Date? = nil, page: Int = 1, perPage: Int = 20
    ) async throws -> (cases: [SupportCase], total: Int) {
        let filter = SupportCaseTable.Filter(
            companyId: companyID, states: states, from: from.map { Int64($0.timeIntervalSince1970) },
            until: until.map { Int64($0.timeIntervalSince1970) })
        return try await database.read { db in
            let (offset, overflow) = max(0, min(page, 1_000_000) - 1).multipliedReportingOverflow(by: max(1, min(perPage, 1000)))
            return try await SupportCaseTable.list(filter, offset: overflow ? 0 : offset, limit: max(1, min(perPage, 1000)), in: db)
        }
    }

    /// The reviewer desk's queue, oldest first.
    public func queue(limit: Int = 100) async throws -> [SupportCase] {
        try await database.read { db in
            try await SupportCaseTable.list(.init(awaitingReview: true), offset: 0, limit: limit, in: db).cases
        }
    }

    public func photo(of value: SupportCase) async throws -> (mediaType: String, bytes: [UInt8])? {
        try await database.read { db in try await CasePhotoTable.find(caseID: value.id, in: db) }
    }

    /// What a case in To confirm gives: the reset key, or the reset file. Made again from
    /// the challenge each time (a key is a MAC of it; the file is signed over fixed fields
    /// and the issue time), so no key or file is kept in the database.
    public enum Result: Sendable {
        case resetKey(String)
        case resetFile(name: String, xml: String)
    }

    public func result(of value: SupportCase, now: Date = Date()) async throws -> Result {
        guard value.state == .toConfirm, let issued = value.resultIssuedAt else {
            throw PlatformError(.conflict, "Case \(value.id) has no key or file to give.", localized: .init("caseNoResult"))
        }
        let challenge = try await authority.open(value.challenge, now: now)
        switch value.resultKind {
        case .resetKey:
            return .resetKey(try authority.core.resetKey(for: challenge).description)
        case .resetFile:
            let issuedAt = Date(timeIntervalSince1970: TimeInterval(issued))
            let validity = TimeInterval((value.resultExpiresAt ?? issued) - issued)
            let file = try authority.core.resetFile(for: challenge, caseID: value.id, now: issuedAt, validity: validity)
            return .resetFile(name: "reset-\(value.serial).xml", xml: file.xml)
        }
    }

    /// When a reviewer is expected to look at a case that needs one, opened at `now`.
    public func expectedReview(after now: Date) -> Date? {
        hours.adding(workingSeconds: TimeInterval(settings.reviewMinutes * 60), to: now)
    }

    /// How long a case has waited, in working time.
    public func waited(_ value: SupportCase, now: Date = Date()) -> TimeInterval {
        hours.workingSeconds(from: Date(timeIntervalSince1970: TimeInterval(value.createdAt)), to: now)
    }

    // MARK: Changes

    public func approve(caseID: String, by reviewer: Account, now: Date = Date()) async throws -> SupportCase {
        let lifetime = settings.caseResultLifetime
        return try await change(caseID, by: reviewer.actor, now: now) { value, seconds throws(PlatformError) in
            try value.approve(reviewer: reviewer.id, now: seconds, resultLifetime: lifetime)
        }
    }

    public func reject(caseID: String, by reviewer: Account, reason: SupportCase.RejectReason, text: String?, now: Date = Date())
        async throws -> SupportCase
    {
        try await change(caseID, by: reviewer.actor, now: now) { value, seconds throws(PlatformError) in
            try value.reject(reviewer: reviewer.id, reason: reason, text: text, now: seconds)
        }
    }

    public func close(caseID: String, by account: Account, now: Date = Date()) async throws -> SupportCase {
        try await change(caseID, by: account.actor, now: now) { value, seconds throws(PlatformError) in
            try value.close(now: seconds)
        }
    }

    /// Reads the case, applies `rule`, issues the key or file when the rule says so, and
    /// writes the case with its audit entry and notification — unless someone changed the
    /// case meanwhile, in which case it starts again from what they wrote.
    @discardableResult
    func change(
        _ caseID: String, by actor: AuditActor, now: Date,
        _ rule: @Sendable (inout SupportCase, Int64) throws(PlatformError) -> SupportCase.Transition?
    ) async throws -> SupportCase {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        for _ in 0..<5 {
            guard let before = try await find(id: caseID) else {
                throw PlatformError(.notFound, "No case \(caseID) here.", localized: .init("error.notFound"))
            }
            var after = before
            guard let transition = try rule(&after, seconds) else { return before }
            if transition.issues {
                let challenge = try await authority.open(after.challenge, now: now)
                let request = RecoveryAuthority.Request(actor: actor, reason: "support case \(after.id)", caseID: after.id)
                switch after.resultKind {
                case .resetKey: _ = try await authority.issueResetKey(for: challenge, request: request, now: now)
                case .resetFile: _ = try await authority.issueResetFile(for: challenge, request: request, now: now)
                }
            }
            let event = Self.event(after)
            let auditLog = auditLog
            let changed = after
            let stored = try await database.transaction { db -> Bool in
                let after = changed
                guard try await SupportCaseTable.update(after, from: before, in: db) else { return false }
                let why = after.rejectReason?.rawValue ?? after.closeReason?.rawValue ?? after.reviewReason?.rawValue
                try await auditLog.record(
                    .caseChanged(id: after.id, serial: after.serial, from: before.state.rawValue, to: event, why: why), by: actor, in: db,
                    now: now)
                try await Self.notify(after, event: event, in: db, now: seconds)
                return true
            }
            if stored {
                let after = changed
                if let installer = try await database.read({ db in try await AccountTable.find(id: after.openedBy, in: db) }) {
                    tell(installer, about: after, event: event)
                }
                return after
            }
        }
        throw PlatformError(.conflict, "Case \(caseID) keeps changing; try again.", localized: .init("caseWrongState"))
    }

    /// What a notification and a mail call a case's new state.
    static func event(_ value: SupportCase) -> String {
        value.awaitsReview ? "waiting-for-review" : value.state.rawValue
    }

    static func notify(_ value: SupportCase, event: String, in db: any SQLDatabase, now: Int64) async throws {
        try await NotificationTable.insert(
            CaseNotification(
                id: messageID(now: Date()), accountId: value.openedBy, caseId: value.id, event: event, createdAt: now,
                readAt: nil), in: db)
    }

    /// Ids that sort as the messages were written, to the microsecond, then at random.
    static func messageID(now: Date) -> String {
        let micros = UInt64(max(0, now.timeIntervalSince1970 * 1_000_000))
        return "msg_" + String(micros, radix: 16).leftPadded(to: 14) + Bytes.hex(Bytes.random(count: 3))
    }

    private func tell(_ account: Account, about value: SupportCase, event: String) {
        let link = settings.publicURL + "/cases/" + value.id
        mail.enqueue(
            MailMessage(
                to: account.email,
                MailTemplates.caseEvent(
                    event, caseID: value.id, serial: value.serial, model: value.model, link: link, language: account.preferredLanguage)))
    }

    // MARK: The automatic check

    /// Checks one case's label photo against the device's enrollment record.
    func check(_ value: SupportCase, now: Date = Date()) async throws {
        let serial = value.serial
        let photo = try await self.photo(of: value)?.bytes ?? []
        let reused = try await database.read { db in try await SupportCaseTable.samePhoto(value.photoHash, otherThan: serial, in: db) }
        let enrollment = try await SerialNumber(serial).asyncMap { try await authority.enrollment(serial: $0) } ?? nil
        let read = try await LabelPhoto.read(photo)
        let finding: SupportCase.LabelCheck
        if let reused {
            finding = .reusedPhoto(caseID: reused)
        } else if let read {
            if read.serial.text != serial {
                finding = .otherDevice(serial: read.serial.text)
            } else if read.verificationCode != enrollment?.labelCode {
                finding = .codeMismatch
            } else {
                finding = .matches
            }
        } else {
            finding = .unreadable
        }
        let labelRead = read.map { "\($0.serial.text) \($0.verificationCode)" }
        let lifetime = settings.caseResultLifetime
        try await change(value.id, by: .system, now: now) { value, seconds throws(PlatformError) in
            guard !value.checked, value.state == .inProgress else { return nil }
            return try value.check(finding, labelRead: labelRead, now: seconds, resultLifetime: lifetime)
        }
    }

    /// Checks every case not checked yet; closes every case whose time ran out.
    func sweep(now: Date = Date()) async {
        do {
            for value in try await database.read({ db in try await SupportCaseTable.unchecked(limit: 50, in: db) }) {
                do {
                    try await check(value, now: now)
                } catch {
                    logger.error("support case not checked", metadata: ["case": "\(value.id)", "error": "\(error)"])
                }
            }
            let seconds = Int64(now.timeIntervalSince1970)
            for value in try await database.read({ db in try await SupportCaseTable.due(now: seconds, limit: 100, in: db) }) {
                try? await change(value.id, by: .system, now: now) { value, seconds in value.expireIfDue(now: seconds) }
            }
        } catch {
            logger.error("support case sweep failed", metadata: ["error": "\(error)"])
        }
    }

    public func run() async throws {
        // Woken by every new case; otherwise once a minute for expiries and for cases
        // another server opened.
        let wakes = wakes
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [wake] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(60))
                        wake.yield()
                    }
                }
                await sweep()
                for await _ in wakes { await sweep() }
                group.cancelAll()
            }
        } onGracefulShutdown: { [wake] in
            wake.finish()
        }
    }

    /// For tests: sweeps now (check new cases, close expired ones) without the service running.
    public func sweepNow(_ now: Date = Date()) async { await sweep(now: now) }

    // MARK: The message centre

    public func notifications(for account: Account, limit: Int = 50) async throws -> [CaseNotification] {
        try await database.read { db in try await NotificationTable.list(account: account.id, limit: limit, in: db) }
    }

    public func unreadCount(for account: Account) async throws -> Int {
        try await database.read { db in try await NotificationTable.unreadCount(account: account.id, in: db) }
    }

    /// Marks one message read (nil: all of them).
    public func markRead(_ id: String?, for account: Account, now: Date = Date()) async throws {
        try await database.write { db in
            try await NotificationTable.markRead(account: account.id, id: id, at: Int64(now.timeIntervalSince1970), in: db)
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
