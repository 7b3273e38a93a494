import Foundation
import ReclaimCore

/// One message to one recipient, plain text.
public struct MailMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var body: String

    public init(to: String, subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }

    /// The message as RFC 5322 text with CRLF line ends: UTF-8 body in quoted-printable,
    /// subject encoded per RFC 2047 unless it is plain printable ASCII.
    ///
    /// No header may hold a line break: the recipient must be an address by
    /// ``ReclaimCore/EmailAddress`` (checked here whoever made it, even a device's signed
    /// challenge), and a sender with CR or LF is refused, so no value can write a header or
    /// a body of its own into mail sent in the platform's name.
    func rendered(from: String, date: Date, messageID: String) throws(PlatformError) -> String {
        try checkHeaders(from: from)
        var lines = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.encodedHeader(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
        ]
        lines.append(Self.quotedPrintable(body))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Refuses a recipient that is not an address, and a sender or id that could end a header line.
    func checkHeaders(from: String) throws(PlatformError) {
        guard EmailAddress.isPlausible(to) else {
            throw PlatformError(.mailFailed, "A message was not sent: its recipient is not an e-mail address.")
        }
        guard !from.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw PlatformError(.mailFailed, "A message was not sent: mail.from holds a line break.")
        }
    }

    /// A header value as it may appear on the wire: plain printable ASCII as it is, anything
    /// else (non-ASCII, tabs, line breaks) as one RFC 2047 encoded word, which cannot break a line.
    static func encodedHeader(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E }) else { return text }
        return "=?utf-8?B?" + Bytes.base64(Array(text.utf8)) + "?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// Quoted-printable (RFC 2045): lines of at most 76 characters, CRLF line ends.
    static func quotedPrintable(_ text: String) -> String {
        var output: [String] = []
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded = ""
            var width = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                var piece: String
                if (byte >= 33 && byte <= 126 && byte != 61) || (byte == 32 && !isLast) {
                    piece = String(UnicodeScalar(byte))
                } else {
                    piece = String(format: "=%02X", byte)
                }
                if width + piece.count > 75 {
                    encoded += "=\r\n"
                    width = 0
                }
                encoded += piece
                width += piece.count
            }
            output.append(encoded)
        }
        return output.joined(separator: "\r\n")
    }
}

/// Sends mail. The outbox (files in a folder) is the embedded default; SMTP is for real use.
public protocol Mailer: Sendable {
    func send(_ message: MailMessage) async throws
}

/// Writes each message as an `.eml` file in a folder: what a demo or a test reads instead
/// of a mailbox. Files appear whole (written aside, then renamed).
public struct OutboxMailer: Mailer {
    public let directory: String
    public let from: String

    public init(directory: String, from: String) {
        self.directory = directory
        self.from = from
    }

    public func send(_ message: MailMessage) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let now = Date()
        let id = Bytes.hex(Bytes.random(count: 8))
        let name = String(format: "%.0f", now.timeIntervalSince1970 * 1000) + "-" + id + ".eml"
        let text = try message.rendered(from: from, date: now, messageID: "\(id)@reclaim.outbox")
        let path = (directory as NSString).appendingPathComponent(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
