public import Foundation
import Logging
import Prometheus
import QRReader
import ReclaimCore
public import ServiceLifecycle

/// Reserved-e-mail recovery (flow F4), the authority's side: anyone hands in the QR code
/// a device exported; the authority mails a verification code to the reserved address
/// sealed inside it, and to no other.
///
/// The answer is the same whatever happens next: whether the device is enrolled, the
/// challenge genuine or expired, a limit reached, or the mail sent. The work happens after
/// the answer, in the background, so not even its timing tells. Only an input that is
/// not a Reclaim QR code at all is answered with an error, since that says nothing about
/// any device.
public final class EmailRecovery: Service, Sendable {
    struct Job: Sendable {
        let challenge: String
        let source: String
        let at: Date
    }

    private let authority: RecoveryAuthority
    private let throttle: Throttle
    private let mail: MailQueue
    private let database: Database
    private let settings: ServerSettings
    private let logger: Logger
    private let metrics: PlatformMetrics
    private let jobs: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    /// Called after each hand-in has been dealt with; tests wait on it.
    let processed: AsyncStream<Void>.Continuation?

    init(
        authority: RecoveryAuthority, throttle: Throttle, mail: MailQueue, database: Database, settings: ServerSettings,
        logger: Logger, metrics: PlatformMetrics, processed: AsyncStream<Void>.Continuation? = nil
    ) {
        self.authority = authority
        self.throttle = throttle
        self.mail = mail
        self.database = database
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        self.processed = processed
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    /// The longest challenge text taken: a challenge is some 300 characters.
    static let maxTextLength = 4096

    /// Takes a QR code's text, or a picture of it. Returning means received: the one answer
    /// for every well-formed hand-in. Only input that holds no Reclaim challenge at all is
    /// refused (`unreadableUpload`), with what to do.
    public func handIn(text: String?, picture: [UInt8]?, source: String, now: Date = Date()) throws(PlatformError) {
        var candidates: [String] = []
        if let picture, !picture.isEmpty {
            do {
                candidates = try QRImageReader.texts(in: picture)
            } catch {
                throw PlatformError(.unreadableUpload, error.description, localized: .init("recoverUnreadablePicture"))
            }
        }
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
        metrics.emailRecoveryRequests.increment()
        continuation.yield(Job(challenge: challenge, source: source, at: now))
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await job in jobs {
                await process(job)
                processed?.yield()
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    /// What happened to one hand-in; kept in the audit log, never shown to the person.
    enum Result: Equatable {
        case mailed
        case refused(String)
    }

    @discardableResult
    func process(_ job: Job) async -> Result {
        let result: Result
        var serial = "unknown"
        do {
            result = try await decide(job, serial: &serial)
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
            try await database.transaction { db in
                try await AuditLog.record(event, by: .visitor(source: job.source), in: db, now: job.at)
            }
        } catch {
            logger.error("audit entry not written", metadata: ["error": "\(error)"])
        }
        return result
    }

    private func decide(_ job: Job, serial: inout String) async throws -> Result {
        let window = settings.emailRecoveryWindow
        if try await throttle.hit(.emailSource, job.source, window: window, now: job.at) > settings.emailRecoveryPerSource {
            return .refused("source over its limit")
        }
        let challenge: OpenedChallenge
        do {
            challenge = try await authority.open(job.challenge, now: job.at)
        } catch let error as ReclaimError {
            return .refused(error.description)
        }
        serial = challenge.content.serial.text
        guard challenge.content.purpose == .reservedEmail, let address = challenge.content.reservedEmail else {
            return .refused("a support-case challenge, not a reserved e-mail one")
        }
        if try await throttle.hit(.emailDevice, serial, window: window, now: job.at) > settings.emailRecoveryPerDevice {
            return .refused("device over its limit")
        }
        if try await throttle.hit(.emailAddress, address.lowercased(), window: window, now: job.at) > settings.emailRecoveryPerAddress {
            return .refused("address over its limit")
        }
        let code = try await authority.issueVerificationCode(
            for: challenge, request: .init(actor: .visitor(source: job.source), reason: "reserved e-mail recovery"), now: job.at)
        metrics.issued.increment()
        mail.enqueue(
            MailMessage(
                to: address,
                MailTemplates.verificationCode(
                    code: code.description, serial: serial, model: challenge.content.model, expires: challenge.content.expiresAt)))
        return .mailed
    }
}
