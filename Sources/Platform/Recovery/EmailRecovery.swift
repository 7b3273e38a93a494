public import Foundation
import Logging
import NIOCore
import Prometheus
import QRReader
import ReclaimCore
public import ServiceLifecycle

/// Reserved-e-mail recovery (flow F4), the authority's side: anyone hands in the QR code
/// a device exported; the authority mails a verification code to the reserved address
/// sealed inside it, and to no other.
///
/// The answer is the same whatever happens next: whether the device is enrolled, the
/// challenge genuine or expired, a device's or an address's limit reached, or the mail
/// sent. The work happens after the answer, in the background, so not even its timing
/// tells. Before the answer only what says nothing about any device is refused: input
/// that is not a Reclaim QR code, a picture too large, and a source over its own limit —
/// the last checked before the picture is decoded, and without a write.
///
/// An answered hand-in is a row of `email_recovery_jobs`: none is dropped by a full queue
/// or a restart, and only answered hand-ins ever reach the audit log.
public final class EmailRecovery: Service, Sendable {
    private let authority: RecoveryAuthority
    private let throttle: Throttle
    private let mail: MailQueue
    private let database: Database
    private let auditLog: AuditLog
    private let settings: ServerSettings
    private let logger: Logger
    private let metrics: PlatformMetrics
    private let pictures: PictureDecoding
    /// Rings when a job was queued here; other servers' jobs are found by polling.
    private let wakeUps: AsyncStream<Void>
    private let bell: AsyncStream<Void>.Continuation
    /// Called after each hand-in has been dealt with; tests wait on it.
    let processed: AsyncStream<Void>.Continuation?

    init(
        authority: RecoveryAuthority, throttle: Throttle, mail: MailQueue, database: Database, auditLog: AuditLog,
        settings: ServerSettings, logger: Logger, metrics: PlatformMetrics, pictures: PictureDecoding,
        processed: AsyncStream<Void>.Continuation? = nil
    ) {
        self.authority = authority
        self.throttle = throttle
        self.mail = mail
        self.database = database
        self.auditLog = auditLog
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        self.pictures = pictures
        self.processed = processed
        (wakeUps, bell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The longest challenge text taken: a challenge is some 300 characters.
    static let maxTextLength = 4096
    /// Hand-ins waiting at most; past that the next is answered "busy" rather than dropped later.
    static let maxQueued = 10_000
    /// A job claimed this long ago by a server that never finished it is taken again.
    static let claimTimeout: Int64 = 300

    /// Takes a QR code's text, or a picture of it. Returning means received: the one answer
    /// for every well-formed hand-in. Refused with what to do: input that holds no Reclaim
    /// challenge (`unreadableUpload`), a picture too large (`uploadTooLarge`), a source over
    /// its limit or a full queue (`throttled`).
    public func handIn(text: String?, picture: [UInt8]?, source: String, now: Date = Date()) async throws {
        try await handIn(source: source, upload: picture != nil, now: now) { (text, picture) }
    }

    /// Takes a hand-in whose body is still to be read by `read`. What it may cost is decided
    /// first: a source over its limit is refused with one read of the database, and an
    /// upload is let in only while a reader is free or a place in line is — otherwise it is
    /// refused (429) before a byte of its body is read.
    public func handIn(
        source: String, upload: Bool, now: Date = Date(), read: @Sendable () async throws -> (text: String?, picture: [UInt8]?)
    ) async throws {
        try await takeIn(source: source, upload: upload, now: now) {
            let (text, picture) = try await read()
            return (text, picture.map { [$0] } ?? [])
        }
    }

    /// Takes the pictures attached to a message to the recovery mailbox, tried in order
    /// until one holds a Reclaim code; the same hand-in as a picture uploaded on `/recover`.
    public func handIn(pictures: [[UInt8]], source: String, now: Date = Date()) async throws {
        try await takeIn(source: source, upload: true, now: now) { (nil, pictures) }
    }

    private func takeIn(
        source: String, upload: Bool, now: Date, read: @Sendable () async throws -> (text: String?, pictures: [[UInt8]])
    ) async throws {
        let window = settings.emailRecoveryWindow
        // Over its limit, a source costs one read: no body, no decoding, no write.
        let used = (try? await throttle.count(.emailSource, source, window: window, now: now)) ?? 0
        if used >= settings.emailRecoveryPerSource {
            let until = (try? await throttle.windowEnd(.emailSource, source, window: window)) ?? now.addingTimeInterval(Double(window))
            throw PlatformError(
                .throttled, "Too many recovery codes from your network; try again after \(until.inReason).", retryAfter: until,
                localized: .init("recoverLimited"))
        }
        guard upload else {
            let (text, _) = try await read()
            return try await accept(text: text, candidates: [], counted: false, source: source, now: now)
        }
        try await pictures.withSlot {
            let (text, received) = try await read()
            let given = received.filter { !$0.isEmpty }
            var candidates: [String] = []
            if !given.isEmpty {
                // Pictures cost a decode, so they count whether or not they hold a code.
                _ = try? await throttle.hit(.emailSource, source, window: window, now: now)
                candidates = try await pictures.decode(given) { $0.hasPrefix(Challenge.prefix) }
            }
            try await accept(text: text, candidates: candidates, counted: !given.isEmpty, source: source, now: now)
        }
    }

    /// Checks what was handed in and queues it; `counted`: the source's hit was taken already.
    private func accept(text: String?, candidates: [String], counted: Bool, source: String, now: Date) async throws(PlatformError) {
        let window = settings.emailRecoveryWindow
        var candidates = candidates
        if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { candidates.append(text) }
        guard !candidates.isEmpty else {
            throw PlatformError(
                .unreadableUpload, "Upload a picture of the QR code the device shows, or paste the text under it.",
                localized: .init("recoverNothing"))
        }
        guard
            let challenge = candidates.map({ $0.filter { !$0.isWhitespace } }).first(where: { $0.hasPrefix(Challenge.prefix) })
        else {
            throw PlatformError(
                .unreadableUpload,
                "This is not a Reclaim recovery code: the text under the device's QR code starts with \(Challenge.prefix). Export it again from the device's \"forgot password\" page.",
                localized: .init("recoverNotReclaim", ["prefix": Challenge.prefix]))
        }
        guard challenge.count <= Self.maxTextLength else {
            throw PlatformError(
                .unreadableUpload, "The code is longer than any a device exports; paste only the text under the QR code.",
                localized: .init("recoverTooLong"))
        }
        let job = RecoveryJob(
            id: Bytes.hex(Bytes.random(count: 12)), challenge: challenge, source: source, receivedAt: Int64(now.timeIntervalSince1970))
        do {
            try await database.transaction { db in
                guard try await RecoveryJobTable.count(in: db) < Self.maxQueued else {
                    throw PlatformError(
                        .throttled, "The recovery service is busy; try again in a few minutes.", retryAfter: now.addingTimeInterval(300),
                        localized: .init("recoverBusy"))
                }
                try await RecoveryJobTable.insert(job, in: db)
            }
            if !counted { _ = try await throttle.hit(.emailSource, source, window: window, now: now) }
        } catch let error as PlatformError {
            throw error
        } catch {
            logger.error("hand-in not queued", metadata: ["error": "\(error)"])
            throw PlatformError(.databaseUnreachable, "The recovery service cannot take the code right now; try again in a moment.")
        }
        metrics.emailRecoveryRequests.increment()
        bell.yield()
    }

    public func run() async throws {
        // Jobs of other servers on the same database, and of a run that stopped, are found by looking.
        let poll = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                bell.yield()
            }
        }
        defer { poll.cancel() }
        await withGracefulShutdownHandler {
            for await _ in wakeUps {
                await workThroughQueue()
            }
        } onGracefulShutdown: {
            self.bell.finish()
        }
        // What was queued before the shutdown is finished; anything later waits for the next start.
        await workThroughQueue()
    }

    /// Takes jobs until none is left unclaimed.
    private func workThroughQueue() async {
        while true {
            let now = Int64(Date().timeIntervalSince1970)
            let job: RecoveryJob?
            do {
                job = try await database.write { db in
                    try await RecoveryJobTable.claimNext(now: now, staleBefore: now - Self.claimTimeout, in: db)
                }
            } catch {
                logger.error("recovery queue not read", metadata: ["error": "\(error)"])
                return
            }
            guard let job else { return }
            await process(job)
            processed?.yield()
        }
    }

    /// What happened to one hand-in; kept in the audit log, never shown to the person.
    enum Result: Equatable {
        case mailed
        case refused(String)
    }

    @discardableResult
    func process(_ job: RecoveryJob) async -> Result {
        let result: Result
        var serial = "unknown"
        let at = Date(timeIntervalSince1970: TimeInterval(job.receivedAt))
        do {
            result = try await decide(job, at: at, serial: &serial)
        } catch {
            result = .refused("\(error)")
        }
        let reason: String
        switch result {
        case .mailed: reason = "mailed"
        case .refused(let why): reason = why
        }
        let event: AuditEvent =
            result == .mailed ? .emailRecoveryMailed(serial: serial) : .emailRecoveryRefused(serial: serial, why: reason)
        do {
            // The job leaves the queue with its audit entry, or neither happens.
            let auditLog = self.auditLog
            try await database.transaction { db in
                try await auditLog.record(event, by: .visitor(source: job.source), in: db, now: at)
                try await RecoveryJobTable.delete(id: job.id, in: db)
            }
        } catch {
            logger.error("audit entry not written", metadata: ["error": "\(error)"])
        }
        return result
    }

    private func decide(_ job: RecoveryJob, at: Date, serial: inout String) async throws -> Result {
        let window = settings.emailRecoveryWindow
        let challenge: OpenedChallenge
        do {
            challenge = try await authority.open(job.challenge, now: at)
        } catch let error as ReclaimError {
            return .refused(error.description)
        }
        serial = challenge.content.serial.text
        guard challenge.content.purpose == .reservedEmail, let address = challenge.content.reservedEmail else {
            return .refused("a support-case challenge, not a reserved e-mail one")
        }
        if try await throttle.hit(.emailDevice, serial, window: window, now: at) > settings.emailRecoveryPerDevice {
            return .refused("device over its limit")
        }
        if try await throttle.hit(.emailAddress, address.lowercased(), window: window, now: at) > settings.emailRecoveryPerAddress {
            return .refused("address over its limit")
        }
        let code = try await authority.issueVerificationCode(
            for: challenge, request: .init(actor: .visitor(source: job.source), reason: "reserved e-mail recovery"), now: at)
        metrics.issued.increment()
        mail.enqueue(
            MailMessage(
                to: address,
                MailTemplates.verificationCode(
                    code: code.description, serial: serial, model: challenge.content.model, expires: challenge.content.expiresAt,
                    timeZone: TimeZone(identifier: settings.caseTimeZone) ?? .current)))
        return .mailed
    }
}
