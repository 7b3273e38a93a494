import Logging
import NIOConcurrencyHelpers
import Prometheus
public import ServiceLifecycle

/// Sends mail in the background, so a request's answer and timing never depend on
/// whether, or how fast, a message goes out (the public recovery page answers the same
/// either way). Retries a failed message three times; on shutdown it sends what is queued.
///
/// Messages wait in memory only: they may carry verification codes, which the platform
/// keeps nowhere. A message lost to a crash is asked for again by handing the QR code in again.
public final class MailQueue: Service, Sendable {
    private let mailer: any Mailer
    private let logger: Logger
    private let stream: AsyncStream<MailMessage>
    private let continuation: AsyncStream<MailMessage>.Continuation
    private let counters = NIOLockedValueBox((sent: 0, failed: 0))
    let metrics: PlatformMetrics?

    init(mailer: any Mailer, logger: Logger, metrics: PlatformMetrics?) {
        self.mailer = mailer
        self.logger = logger
        self.metrics = metrics
        (stream, continuation) = AsyncStream.makeStream(of: MailMessage.self)
    }

    /// Queues a message; returns at once.
    public func enqueue(_ message: MailMessage) {
        continuation.yield(message)
    }

    public var sentCount: Int { counters.withLockedValue { $0.sent } }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await message in stream {
                await deliver(message)
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    private func deliver(_ message: MailMessage) async {
        for attempt in 1...3 {
            do {
                try await mailer.send(message)
                counters.withLockedValue { $0.sent += 1 }
                metrics?.mailSent.increment()
                logger.info("mail sent", metadata: ["subject": "\(message.subject.prefix(40))"])
                return
            } catch {
                logger.warning("mail not sent", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                if attempt < 3 { try? await Task.sleep(for: .seconds(attempt * 2)) }
            }
        }
        counters.withLockedValue { $0.failed += 1 }
        metrics?.mailFailed.increment()
        logger.error("mail given up after 3 attempts", metadata: ["subject": "\(message.subject.prefix(40))"])
    }
}
