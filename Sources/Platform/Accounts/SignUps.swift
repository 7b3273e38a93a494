import Foundation
import Logging
public import ReclaimCore
public import ServiceLifecycle

/// Sign-ups, done after the answer: the page says "check your mailbox" at once, and the
/// work — the slow hash, creating the account or finding it taken, the mail — happens in
/// the background. So the answer and its timing are the same for a new address and a taken
/// one, whatever the password hashing costs; only the mailbox learns which it was.
public final class SignUps: Service, Sendable {
    /// A sign-up as the form gave it, checked for what can be checked without the database.
    public struct Request: Sendable {
        public let email: String
        public let name: String
        public let role: Role
        public let password: String
        public let language: Language
        public let companyName: String?
        public let source: String
    }

    /// What the queue carries: both are answered before they are worked, the same for every address.
    enum Work: Sendable {
        case signUp(Request)
        /// Mail a reset link if the address has an account.
        case forgotPassword(email: String)
    }

    private let accounts: Accounts
    private let mail: MailQueue
    private let publicURL: String
    private let logger: Logger
    private let stream: AsyncStream<Work>
    private let continuation: AsyncStream<Work>.Continuation
    /// Called after each sign-up has been dealt with; tests wait on it.
    let processed: AsyncStream<Void>.Continuation?

    init(accounts: Accounts, mail: MailQueue, publicURL: String, logger: Logger, processed: AsyncStream<Void>.Continuation? = nil) {
        self.accounts = accounts
        self.mail = mail
        self.publicURL = publicURL
        self.logger = logger
        self.processed = processed
        (stream, continuation) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .bufferingNewest(1000))
    }

    /// Queues a sign-up; returns at once.
    public func submit(_ request: Request) {
        continuation.yield(.signUp(request))
    }

    /// Queues a forgotten-password request; returns at once, so the page answers the same,
    /// as fast, for a known address and an unknown one.
    public func forgotPassword(email: String) {
        continuation.yield(.forgotPassword(email: email))
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await work in stream {
                switch work {
                case .signUp(let request): await process(request)
                case .forgotPassword(let email): await mailResetLink(email: email)
                }
                processed?.yield()
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    func process(_ request: Request) async {
        do {
            let account = try await accounts.create(
                email: request.email, name: request.name, role: request.role, password: request.password, language: request.language,
                companyName: request.companyName, confirmed: false, actor: .visitor(source: request.source))
            let token = try await accounts.makeConfirmation(for: account, now: Date())
            mail.enqueue(
                MailMessage(
                    to: request.email,
                    MailTemplates.confirmSignUp(link: "\(publicURL)/signup/confirm?token=\(token)", language: request.language)))
        } catch let error as PlatformError where error.code == .conflict {
            mail.enqueue(
                MailMessage(to: request.email, MailTemplates.alreadyRegistered(signIn: "\(publicURL)/signin", language: request.language)))
        } catch {
            logger.error("sign-up not completed", metadata: ["error": "\(error)"])
        }
    }

    /// Mails a reset link to an address with an account, in the account's language; an
    /// unknown address gets nothing (the page said the same to both).
    func mailResetLink(email: String) async {
        do {
            guard let (account, token) = try await accounts.makePasswordReset(email: email, now: Date()) else { return }
            mail.enqueue(
                MailMessage(
                    to: account.email,
                    MailTemplates.passwordReset(link: "\(publicURL)/password/reset?token=\(token)", language: account.preferredLanguage)))
        } catch {
            logger.error("password reset not mailed", metadata: ["error": "\(error)"])
        }
    }
}
