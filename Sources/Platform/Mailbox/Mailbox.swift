import Foundation
import Logging
import Prometheus
import ReclaimCore
import WebSupport

/// The recovery mailbox's side of flow F4: the vendors' guides' "send the QR code to pw_recovery@… as
/// an attachment". A message's first picture that holds a Reclaim code is handed in exactly
/// as a picture uploaded on `/recover` (``EmailRecovery``): the same limits, the same audit
/// entries, and the verification code mailed to the reserved address sealed in the code,
/// never to the sender. The sender learns only the SMTP reply, the same for every genuine,
/// forged or expired code, as `/recover`'s "received".
///
/// Before a message is taken, its sender's address must be under the mailbox's own limit
/// (`limits.mailbox.per-source` messages per window), which counts every message, picture or
/// not; the hand-in then counts against the `/recover` limits of the same address.
struct Mailbox: Sendable {
    let recovery: EmailRecovery
    let throttle: Throttle
    let settings: ServerSettings
    let metrics: PlatformMetrics
    let logger: Logger

    /// Whether `source` may send another message now.
    func checkSender(source: String, now: Date = Date()) async -> SMTPSession.SenderVerdict {
        let window = settings.emailRecoveryWindow
        do {
            guard try await throttle.count(.mailboxSource, source, window: window, now: now) >= settings.mailboxPerSource else {
                return .allowed
            }
            let until = try await throttle.windowEnd(.mailboxSource, source, window: window) ?? now.addingTimeInterval(Double(window))
            return .limited("Too many messages from your address; try again after \(until.inReason)")
        } catch {
            logger.error("mailbox limit not read", metadata: ["error": "\(error)"])
            return .limited("The mailbox cannot take messages right now; try again later")
        }
    }

    /// Reads a received message and hands its picture in; the reply says how it went.
    func deliver(_ envelope: SMTPSession.Envelope, source: String, now: Date = Date()) async -> SMTPReply {
        metrics.mailboxMessages.increment()
        _ = try? await throttle.hit(.mailboxSource, source, window: settings.emailRecoveryWindow, now: now)
        let content = envelope.content
        let read: Result<[MIMEPicture], MIMEError>
        do {
            // A message may be megabytes of MIME: read off the threads that answer requests.
            read = try await HeavyWork.run { () -> Result<[MIMEPicture], MIMEError> in
                do throws(MIMEError) {
                    return .success(try MIMEParser().parse(content).pictures(limit: Self.picturesTried))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            return SMTPReply(451, "4.3.0", "The message could not be read right now; try again later")
        }
        let pictures: [MIMEPicture]
        switch read {
        case .success(let found): pictures = found
        case .failure(let error): return outcome(SMTPReply(550, "5.6.0", "The message could not be read: \(error)"), source: source)
        }
        guard !pictures.isEmpty else { return outcome(Self.noPicture, source: source) }
        do {
            try await recovery.handIn(pictures: pictures.map(\.bytes), source: source, now: now)
        } catch let error as PlatformError {
            return outcome(Self.reply(to: error), source: source)
        } catch {
            logger.error("mailbox hand-in failed", metadata: ["error": "\(error)"])
            return outcome(Self.unavailable, source: source)
        }
        return outcome(Self.received, source: source)
    }

    /// Pictures of one message tried at most: each costs a decode.
    static let picturesTried = 4

    static let received = SMTPReply(
        250, "2.0.0",
        "Received. If the QR code is a valid recovery request from an enrolled device, a verification code is on its way to the device's reserved e-mail address (not to you). Enter it on the device with a new password."
    )

    static let unavailable = SMTPReply(451, "4.3.0", "The recovery service cannot take the code right now; try again later")

    static let noPicture = SMTPReply(
        550, "5.6.0",
        "No picture in this message: attach the PNG or JPEG of the QR code the device exported for reserved e-mail recovery")

    /// A refused hand-in as SMTP says it: 4xx where trying later may work, 5xx where the
    /// message itself must change.
    static func reply(to error: PlatformError) -> SMTPReply {
        switch error.code {
        case .unreadableUpload: SMTPReply(550, "5.6.0", error.reason)
        case .uploadTooLarge: SMTPReply(552, "5.3.4", error.reason)
        case .throttled: SMTPReply(450, "4.7.1", error.reason)
        default: unavailable
        }
    }

    private func outcome(_ reply: SMTPReply, source: String) -> SMTPReply {
        logger.info("mailbox message", metadata: ["source": "\(source)", "reply": "\(reply.code)"])
        return reply
    }
}
