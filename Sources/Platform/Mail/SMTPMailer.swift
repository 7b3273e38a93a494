import Foundation
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL
import ReclaimCore

/// Sends mail to an SMTP server (RFC 5321): EHLO, STARTTLS (RFC 3207) with the server's
/// certificate checked, AUTH PLAIN (RFC 4954) when a user name is set, one message per
/// connection.
///
/// With `startTLS` on (the default) a server that does not offer STARTTLS is refused
/// rather than sent the password and the message in clear.
public struct SMTPMailer: Mailer {
    public let settings: MailSettings
    /// The name this client gives in EHLO.
    public var clientName = "reclaim.invalid"

    public init(settings: MailSettings) {
        self.settings = settings
    }

    public func send(_ message: MailMessage) async throws {
        // Before any command: an address with a line break would write SMTP commands of its own.
        try message.checkHeaders(from: settings.from)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.smtpHost, port: settings.smtpPort) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let tlsContext = try settings.startTLS ? makeTLSContext() : nil
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(lines: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220)
            var features = try await session.command("EHLO \(clientName)", expect: 250)
            if let tlsContext {
                guard features.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw PlatformError(
                        .mailFailed,
                        "\(settings.smtpHost):\(settings.smtpPort) does not offer STARTTLS; set mail.smtp.starttls=off only for a server on this machine."
                    )
                }
                _ = try await session.command("STARTTLS", expect: 220)
                let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: tlsHostname)
                try await channel.channel.pipeline.addHandler(handler, position: .first).get()
                features = try await session.command("EHLO \(clientName)", expect: 250)
            }
            if let username = settings.username {
                guard features.contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") }) else {
                    throw PlatformError(
                        .mailFailed, "\(settings.smtpHost) does not offer AUTH PLAIN; the server cannot take the configured user.")
                }
                let credentials = Bytes.base64(Array("\0\(username)\0\(settings.password ?? "")".utf8))
                _ = try await session.command("AUTH PLAIN \(credentials)", expect: 235, redacted: "AUTH PLAIN …")
            }
            _ = try await session.command("MAIL FROM:<\(Self.address(in: settings.from))>", expect: 250)
            _ = try await session.command("RCPT TO:<\(Self.address(in: message.to))>", expect: 250)
            _ = try await session.command("DATA", expect: 354)
            let text = try message.rendered(
                from: settings.from, date: Date(), messageID: "\(Bytes.hex(Bytes.random(count: 8)))@\(clientName)")
            try await session.write(Self.dotStuffed(text) + ".\r\n")
            try await session.expect(250)
            _ = try? await session.command("QUIT", expect: 221)
        }
    }

    private var tlsHostname: String? {
        // SNI takes names only; an address is still checked against the certificate.
        settings.smtpHost.first?.isLetter == true ? settings.smtpHost : nil
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile = settings.caFile {
            configuration.trustRoots = .file(caFile)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The bare address of `Name <address>` or `address`.
    static func address(in text: String) -> String {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            return String(text[text.index(after: open)..<close])
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// A line that starts with "." gets another, so it cannot end the message early.
    static func dotStuffed(_ text: String) -> String {
        text.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
    }
}

/// The conversation on one connection: commands out, replies (possibly several lines) in.
private struct SMTPSession {
    var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    mutating func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Sends `line` and reads the reply; returns its text lines after the code.
    @discardableResult
    mutating func command(_ line: String, expect code: Int, redacted: String? = nil) async throws -> [String] {
        try await write(line + "\r\n")
        return try await expect(code, after: redacted ?? line)
    }

    @discardableResult
    mutating func expect(_ code: Int, after command: String = "connecting") async throws -> [String] {
        var texts: [String] = []
        while true {
            guard let buffer = try await lines.next() else {
                throw PlatformError(.mailFailed, "The SMTP server closed the connection after \(command).")
            }
            let line = String(buffer: buffer).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            guard line.count >= 3, let got = Int(line.prefix(3)) else {
                throw PlatformError(.mailFailed, "The SMTP server answered \(command) with something that is not SMTP: \(line.prefix(80))")
            }
            texts.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                guard got == code else {
                    throw PlatformError(
                        .mailFailed, "The SMTP server answered \(command) with \(got) \(texts.joined(separator: " ")) (expected \(code)).")
                }
                return texts
            }
        }
    }
}
