import Crypto
public import Foundation
import Logging
public import ReclaimCore
import SQLKit
public import ServiceLifecycle
import WebSupport

/// Owners' support tickets (seed 004: an end user without an installer): opening one with
/// the device's QR code, a label photo, the proof of purchase and, for an integrator acting
/// for a client, an authorisation letter; the thread between owner and reviewers; the
/// decision; and the files' retention.
///
/// The rules are ``OwnerTicket``'s; this service performs them, each change in one
/// transaction with its audit entry and message-centre entries, then the mails. Files are
/// checked by ``UploadedDocument`` before they are stored, and only the ticket's owner and
/// reviewers read them. As a service it deletes the files of tickets whose retention ended.
public final class OwnerTickets: Service, Sendable {
    let database: Database
    let authority: RecoveryAuthority
    let auditLog: AuditLog
    let throttle: Throttle
    let mail: MailQueue
    let settings: ServerSettings
    let logger: Logger
    /// QR pictures are read a few at a time, off the event loops, in the slots `/recover` uses.
    private let pictures: PictureDecoding

    /// Files one ticket may hold, so a thread cannot become a file store.
    public static let filesPerTicket = 20
    /// Tickets an owner may open in a day: a few devices at once, not a flood of files.
    public static let ticketsPerDay = 10

    init(
        database: Database, authority: RecoveryAuthority, auditLog: AuditLog, throttle: Throttle, mail: MailQueue, settings: ServerSettings,
        pictures: PictureDecoding, logger: Logger
    ) {
        self.database = database
        self.authority = authority
        self.auditLog = auditLog
        self.throttle = throttle
        self.mail = mail
        self.settings = settings
        self.pictures = pictures
        self.logger = logger
    }

    /// A file as uploaded: its name as the browser gave it, and its bytes.
    public struct Upload: Sendable {
        public var name: String
        public var bytes: [UInt8]
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// What an owner submits.
    public struct Opening: Sendable {
        /// The text of the device's support-case QR code, or a picture of it.
        public var challenge: String
        public var qrPicture: Upload?
        public var labelPhoto: Upload
        public var proofOfPurchase: Upload
        public var onBehalfOfClient: Bool
        public var authorisation: Upload?
        public var note: String

        public init(
            challenge: String = "", qrPicture: Upload? = nil, labelPhoto: Upload, proofOfPurchase: Upload, onBehalfOfClient: Bool = false,
            authorisation: Upload? = nil, note: String = ""
        ) {
            self.challenge = challenge
            self.qrPicture = qrPicture
            self.labelPhoto = labelPhoto
            self.proofOfPurchase = proofOfPurchase
            self.onBehalfOfClient = onBehalfOfClient
            self.authorisation = authorisation
            self.note = note
        }
    }

    /// Checks an upload for `purpose`: kind, size, wholeness. Pictures only for photos.
    func checked(_ upload: Upload, purpose: TicketFile.Purpose) throws(PlatformError) -> UploadedDocument.Kind {
        let what = purpose.rawValue
        switch UploadedDocument.scan(upload.bytes, limit: settings.ticketFileLimit) {
        case .success(let kind):
            if purpose == .labelPhoto || purpose == .qrCode, kind == .pdf {
                throw PlatformError(
                    .unreadableUpload, "The \(what) must be a JPEG or PNG picture.", localized: .init("ticketFileNotAPicture"))
            }
            return kind
        case .failure(.empty):
            throw PlatformError(.invalidInput, "Attach the \(what).", localized: .init("ticketFileMissing." + what))
        case .failure(.tooLarge(let limit)):
            throw PlatformError(
                .uploadTooLarge, "\(upload.name) is larger than \(limit / 1_048_576) MB; send a smaller copy.",
                localized: .init("ticketFileTooLarge", ["name": upload.name, "megabytes": "\(limit / 1_048_576)"]))
        case .failure(.notADocument):
            throw PlatformError(
                .unreadableUpload, "\(upload.name) is not a PDF, JPEG or PNG file.",
                localized: .init("ticketFileKind", ["name": upload.name]))
        case .failure(.damaged):
            throw PlatformError(
                .unreadableUpload, "\(upload.name) is damaged or cut short; send it again.",
                localized: .init("ticketFileDamaged", ["name": upload.name]))
        case .failure(.activeContent(let name)):
            throw PlatformError(
                .unreadableUpload, "\(upload.name) contains active content (\(name)); print it to a plain PDF, or send a photo of it.",
                localized: .init("ticketFileActive", ["name": upload.name]))
        }
    }

    // MARK: Opening

    /// Opens a ticket for an owner. The QR code must be a support-case challenge of an
    /// enrolled device, not expired; the files must pass their checks.
    public func open(_ opening: Opening, by owner: Account, now: Date = Date()) async throws -> OwnerTicket {
        guard owner.role == .owner else {
            throw PlatformError(
                .forbidden, "Only owners open tickets; installers open support cases.", localized: .init("ticketOwnersOnly"))
        }
        guard try await throttle.count(.ticket, owner.id, window: 86_400, now: now) < Self.ticketsPerDay else {
            throw PlatformError(
                .throttled,
                "You opened " + Language.english.counted(Self.ticketsPerDay, one: "1 ticket", other: "{n} tickets")
                    + " today; try again tomorrow, or write on one you opened.",
                retryAfter: now.addingTimeInterval(86_400), localized: .init("ticketsLimited", count: Self.ticketsPerDay))
        }
        var files: [(TicketFile.Purpose, Upload, UploadedDocument.Kind)] = []
        files.append((.labelPhoto, opening.labelPhoto, try checked(opening.labelPhoto, purpose: .labelPhoto)))
        files.append((.proofOfPurchase, opening.proofOfPurchase, try checked(opening.proofOfPurchase, purpose: .proofOfPurchase)))
        if opening.onBehalfOfClient {
            let letter = opening.authorisation ?? Upload(name: "", bytes: [])
            files.append((.authorisation, letter, try checked(letter, purpose: .authorisation)))
        }
        var text = opening.challenge.trimmingCharacters(in: .whitespacesAndNewlines)
        if let picture = opening.qrPicture, !picture.bytes.isEmpty {
            let kind = try checked(picture, purpose: .qrCode)
            let texts = try await pictures.withSlot { try await pictures.decode(picture.bytes) }
            guard let first = texts.first(where: { $0.hasPrefix("RC") }) ?? texts.first else {
                throw PlatformError(.unreadableUpload, "No QR code could be read in the picture.", localized: .init("ticketNoQR"))
            }
            text = first
            files.append((.qrCode, picture, kind))
        }
        guard !text.isEmpty else {
            throw PlatformError(
                .invalidInput, "Attach the picture of the device's QR code, or paste its text.",
                localized: .init("ticketFileMissing.qr-code"))
        }
        let challenge: OpenedChallenge
        do {
            challenge = try await authority.open(text, now: now)
        } catch let error as ReclaimError {
            throw PlatformError(
                .invalidInput, "The device's QR code cannot be used: \(error.reason)", localized: .init("caseBadChallenge"))
        }
        guard challenge.content.purpose == .supportCase else {
            throw PlatformError(
                .invalidInput,
                "That QR code is for the reserved e-mail recovery; export the one for a support case (\"Forgot password\" → support).",
                localized: .init("caseWrongPurpose"))
        }
        let seconds = Int64(now.timeIntervalSince1970)
        let ticket = OwnerTicket(
            id: "tk_" + Bytes.hex(Bytes.random(count: 8)), ownerId: owner.id, serial: challenge.content.serial.text,
            model: challenge.content.model, challenge: text, challengeExpiresAt: Int64(challenge.content.expiresAt.timeIntervalSince1970),
            onBehalfOfClient: opening.onBehalfOfClient, now: seconds)
        let note = String(opening.note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(4000))
        try await database.transaction { [auditLog, files] db in
            try await OwnerTicketTable.insert(ticket, in: db)
            for (purpose, upload, kind) in files {
                try await Self.store(upload, kind: kind, purpose: purpose, ticket: ticket.id, message: nil, now: seconds, in: db)
            }
            if !note.isEmpty {
                try await TicketThreadTable.insert(
                    TicketMessage(
                        id: SupportCases.messageID(now: now), ticketId: ticket.id, authorId: owner.id, fromReviewer: false, body: note,
                        createdAt: seconds), in: db)
            }
            try await auditLog.record(.ticketOpened(id: ticket.id, serial: ticket.serial), by: owner.actor, in: db, now: now)
            try await self.notify("ticket.opened", ticket, tell: .reviewers, in: db, now: seconds)
        }
        // Counted once opened, so refused attempts (a missing letter, a wrong file) cost nothing.
        _ = try await throttle.hit(.ticket, owner.id, window: 86_400, now: now)
        await mailAbout("opened", ticket, tell: .reviewers)
        return ticket
    }

    static func store(
        _ upload: Upload, kind: UploadedDocument.Kind, purpose: TicketFile.Purpose, ticket: String, message: String?, now: Int64,
        in db: any SQLDatabase
    ) async throws {
        let bytes = UploadedDocument.kept(upload.bytes, kind: kind)
        let file = TicketFile(
            // Ids that sort as the files came (as the thread's messages do).
            id: "tf_" + SupportCases.messageID(now: Date()).dropFirst(4), ticketId: ticket, messageId: message, purpose: purpose,
            name: UploadedDocument.safeName(upload.name, kind: kind), mediaType: kind.mediaType, size: Int64(bytes.count),
            sha256: Bytes.hex(Array(SHA256.hash(data: bytes))), deletedAt: nil, createdAt: now)
        try await TicketThreadTable.insert(file, bytes: bytes, in: db)
    }

    // MARK: Reading

    public func find(id: String) async throws -> OwnerTicket? {
        try await database.read { db in try await OwnerTicketTable.find(id: id, in: db) }
    }

    /// Whether `account` may read the ticket and its files: its owner, and reviewers.
    public static func mayRead(_ ticket: OwnerTicket, _ account: Account) -> Bool {
        ticket.ownerId == account.id || account.role == .reviewer || account.role == .admin
    }

    public func tickets(of owner: Account) async throws -> [OwnerTicket] {
        try await database.read { db in try await OwnerTicketTable.list(owner: owner.id, in: db) }
    }

    /// The desk's queue: tickets waiting for a reviewer first, then those waiting for their owner.
    public func queue() async throws -> [OwnerTicket] {
        try await database.read { db in try await OwnerTicketTable.list(states: [.waitingForReview, .waitingForOwner], in: db) }
            .sorted { ($0.state == .waitingForReview ? 0 : 1, $0.updatedAt) < ($1.state == .waitingForReview ? 0 : 1, $1.updatedAt) }
    }

    public func thread(of ticket: OwnerTicket) async throws -> (messages: [TicketMessage], files: [TicketFile]) {
        try await database.read { db in
            (try await TicketThreadTable.messages(ticket: ticket.id, in: db), try await TicketThreadTable.files(ticket: ticket.id, in: db))
        }
    }

    /// A file of the ticket with its bytes; a deleted file says so.
    public func file(_ id: String, of ticket: OwnerTicket) async throws -> (TicketFile, [UInt8]) {
        guard let (file, bytes) = try await database.read({ db in try await TicketThreadTable.file(id: id, ticket: ticket.id, in: db) })
        else { throw PlatformError(.notFound, "No file \(id) in this ticket.") }
        guard let bytes else {
            throw PlatformError(
                .notFound, "\(file.name) was deleted when the ticket's retention period ended.", localized: .init("ticketFileDeleted"))
        }
        return (file, bytes)
    }

    /// The reset key or file of an approved ticket, made again from the challenge each time.
    public func result(of ticket: OwnerTicket, now: Date = Date()) async throws -> SupportCases.Result {
        guard ticket.state == .approved, let decided = ticket.decidedAt else {
            throw PlatformError(.conflict, "Ticket \(ticket.id) has no key or file to give.", localized: .init("ticketNoResult"))
        }
        let challenge = try await authority.open(ticket.challenge, now: now)
        switch ticket.resultKind {
        case .resetKey:
            return .resetKey(try authority.core.resetKey(for: challenge).description)
        case .resetFile:
            let file = try authority.core.resetFile(
                for: challenge, caseID: ticket.id, now: Date(timeIntervalSince1970: TimeInterval(decided)),
                validity: settings.resetFileValidity)
            return .resetFile(name: "reset-\(ticket.serial).xml", xml: file.xml)
        }
    }

    // MARK: Changes

    /// Writes a message (with files) to the thread: the owner's answer, or a reviewer's question.
    public func write(_ text: String, files uploads: [Upload], to ticketID: String, by account: Account, now: Date = Date()) async throws
        -> OwnerTicket
    {
        let body = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(4000))
        let uploads = uploads.filter { !$0.bytes.isEmpty }
        guard !body.isEmpty || !uploads.isEmpty else {
            throw PlatformError(.invalidInput, "Write a message or attach a file.", localized: .init("ticketMessageEmpty"))
        }
        var checkedFiles: [(Upload, UploadedDocument.Kind)] = []
        for upload in uploads { checkedFiles.append((upload, try checked(upload, purpose: .message))) }
        let fromReviewer = account.role == .reviewer || account.role == .admin
        let messageID = SupportCases.messageID(now: now)
        let attachments = checkedFiles
        return try await change(ticketID, by: account, now: now) { ticket, seconds throws(PlatformError) in
            fromReviewer ? try ticket.reviewerWrites(reviewer: account.id, now: seconds) : try ticket.ownerWrites(now: seconds)
        } alsoWrite: { ticket, seconds, db in
            let count = try await TicketThreadTable.files(ticket: ticket.id, in: db).count
            guard count + attachments.count <= Self.filesPerTicket else {
                throw PlatformError(
                    .invalidInput,
                    "A ticket holds at most " + Language.english.counted(Self.filesPerTicket, one: "1 file.", other: "{n} files."),
                    localized: .init("ticketTooManyFiles", count: Self.filesPerTicket))
            }
            try await TicketThreadTable.insert(
                TicketMessage(
                    id: messageID, ticketId: ticket.id, authorId: account.id, fromReviewer: fromReviewer, body: body, createdAt: seconds),
                in: db)
            for (upload, kind) in attachments {
                try await Self.store(upload, kind: kind, purpose: .message, ticket: ticket.id, message: messageID, now: seconds, in: db)
            }
        }
    }

    public func approve(_ ticketID: String, by reviewer: Account, now: Date = Date()) async throws -> OwnerTicket {
        try await change(ticketID, by: reviewer, now: now) { ticket, seconds throws(PlatformError) in
            try ticket.approve(reviewer: reviewer.id, now: seconds)
        }
    }

    public func reject(_ ticketID: String, by reviewer: Account, why: String, now: Date = Date()) async throws -> OwnerTicket {
        try await change(ticketID, by: reviewer, now: now) { ticket, seconds throws(PlatformError) in
            try ticket.reject(reviewer: reviewer.id, text: why, now: seconds)
        }
    }

    public func close(_ ticketID: String, by owner: Account, now: Date = Date()) async throws -> OwnerTicket {
        try await change(ticketID, by: owner, now: now) { ticket, seconds throws(PlatformError) in try ticket.close(now: seconds) }
    }

    /// Reads the ticket, applies `rule`, issues the key or file when the rule says so, and
    /// writes the ticket (and `alsoWrite`'s rows) with its audit entry and notices — unless
    /// someone changed it meanwhile, in which case it starts again from what they wrote.
    private func change(
        _ ticketID: String, by account: Account, now: Date,
        _ rule: @Sendable (inout OwnerTicket, Int64) throws(PlatformError) -> OwnerTicket.Transition,
        alsoWrite: @Sendable @escaping (OwnerTicket, Int64, any SQLDatabase) async throws -> Void = { _, _, _ in }
    ) async throws -> OwnerTicket {
        let seconds = Int64(now.timeIntervalSince1970)
        for _ in 0..<5 {
            guard let before = try await find(id: ticketID), Self.mayRead(before, account) else {
                throw PlatformError(.notFound, "No ticket \(ticketID) here.", localized: .init("error.notFound"))
            }
            var after = before
            let transition = try rule(&after, seconds)
            if transition.issues {
                let challenge = try await authority.open(after.challenge, now: now)
                let request = RecoveryAuthority.Request(actor: account.actor, reason: "owner ticket \(after.id)", caseID: after.id)
                switch after.resultKind {
                case .resetKey: _ = try await authority.issueResetKey(for: challenge, request: request, now: now)
                case .resetFile: _ = try await authority.issueResetFile(for: challenge, request: request, now: now)
                }
            }
            let changed = after
            let stored = try await database.transaction { [auditLog] db -> Bool in
                guard try await OwnerTicketTable.update(changed, from: before, in: db) else { return false }
                try await alsoWrite(changed, seconds, db)
                try await auditLog.record(
                    .ticketChanged(id: changed.id, serial: changed.serial, event: transition.event), by: account.actor, in: db, now: now)
                try await self.notify("ticket." + transition.event, changed, tell: transition.tell, in: db, now: seconds)
                return true
            }
            if stored {
                await mailAbout(transition.event, changed, tell: transition.tell)
                return changed
            }
        }
        throw PlatformError(.conflict, "Ticket \(ticketID) keeps changing; try again.", localized: .init("ticketWrongState"))
    }

    // MARK: Telling people

    private func audience(_ tell: OwnerTicket.Audience, _ ticket: OwnerTicket, in db: any SQLDatabase) async throws -> [Account] {
        switch tell {
        case .owner: return try await AccountTable.find(id: ticket.ownerId, in: db).map { [$0] } ?? []
        case .reviewers: return try await AccountTable.withRole(.reviewer, in: db)
        }
    }

    private func notify(_ event: String, _ ticket: OwnerTicket, tell: OwnerTicket.Audience, in db: any SQLDatabase, now: Int64) async throws
    {
        for account in try await audience(tell, ticket, in: db) {
            try await NotificationTable.insert(
                CaseNotification(
                    id: SupportCases.messageID(now: Date()), accountId: account.id, caseId: ticket.id, event: event, createdAt: now,
                    readAt: nil), in: db)
        }
    }

    private func mailAbout(_ event: String, _ ticket: OwnerTicket, tell: OwnerTicket.Audience) async {
        let readers = (try? await database.read { db in try await self.audience(tell, ticket, in: db) }) ?? []
        for reader in readers {
            let path = reader.role == .owner ? "/app/tickets/" : "/desk/tickets/"
            mail.enqueue(
                MailMessage(
                    to: reader.email,
                    MailTemplates.event(
                        "mail.ticket", event,
                        values: [
                            "id": ticket.id, "serial": ticket.serial, "model": ticket.model, "link": settings.publicURL + path + ticket.id,
                        ],
                        language: reader.preferredLanguage)))
        }
    }

    // MARK: Retention

    /// Deletes the files of every ticket that ended more than the retention period ago.
    public func deleteExpiredFiles(now: Date = Date()) async throws -> Int {
        let seconds = Int64(now.timeIntervalSince1970)
        let retention = settings.ticketRetention
        let due = try await database.read { db in try await OwnerTicketTable.withFiles(decidedBefore: seconds - retention, in: db) }
            .filter { $0.filesAreDue(retention: retention, now: seconds) }
        for ticket in due {
            var after = ticket
            after.filesDeleted(now: seconds)
            let changed = after
            try await database.transaction { [auditLog] db in
                guard try await OwnerTicketTable.update(changed, from: ticket, in: db) else { return }
                try await TicketThreadTable.deleteFiles(ticket: ticket.id, at: seconds, in: db)
                try await auditLog.record(.ticketFilesDeleted(id: ticket.id, serial: ticket.serial), by: .system, in: db, now: now)
            }
        }
        return due.count
    }

    public func run() async throws {
        // Hourly: retention is counted in days, so an hour late is on time.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let deleted = try await self.deleteExpiredFiles()
                    if deleted > 0 { self.logger.info("ticket files deleted", metadata: ["tickets": .stringConvertible(deleted)]) }
                } catch {
                    self.logger.error("ticket retention sweep failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }
}
