import DeviceAgent
import Foundation
import NIOCore
import NIOPosix
import ReclaimCore
import ReclaimQR
import ReclaimTestSupport
import Testing

@testable import Platform

/// The recovery mailbox on a real socket: a client speaks SMTP to the listener, the QR code
/// attached to its message is handed in as on `/recover`, and the code goes to the device's
/// reserved address only.
@Suite struct MailboxTests {
    static let reserved = "owner.reserved@example.com"
    static let sender = "someone@example.net"

    /// A platform whose mailbox listens on a port of its own; `body` gets the port.
    func withMailbox(
        _ adjust: @escaping (inout ServerSettings) -> Void = { _ in }, _ body: @Sendable @escaping (TestPlatform, Int) async throws -> Void
    ) async throws {
        try await withTestPlatform({
            $0.mailboxListen = "127.0.0.1:0"
            adjust(&$0)
        }) { platform in
            try await platform.withBackgroundServices {
                var port: Int?
                for _ in 0..<200 {
                    port = platform.services.mailbox?.listeningPort
                    if port != nil { break }
                    try await Task.sleep(for: .milliseconds(25))
                }
                try await body(platform, try #require(port))
            }
        }
    }

    /// A message with `pictures` attached, in base64 lines as mail clients write them.
    static func message(pictures: [[UInt8]]) -> String {
        var lines = [
            "From: \(sender)", "To: pw_recovery@reclaim.invalid", "Subject: QR", "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"b1\"", "", "--b1", "Content-Type: text/plain", "", "Ecco il codice QR.",
        ]
        for picture in pictures {
            lines += ["--b1", "Content-Type: image/png; name=qr.png", "Content-Transfer-Encoding: base64", ""]
            let encoded = Data(picture).base64EncodedString()
            var index = encoded.startIndex
            while index < encoded.endIndex {
                let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
                lines.append(String(encoded[index..<end]))
                index = end
            }
        }
        lines.append("--b1--")
        return lines.joined(separator: "\r\n")
    }

    @Test func aQRCodeByMailGetsTheCodeMailedToTheReservedAddressOnly() async throws {
        try await withMailbox { platform, port in
            let device = try await enrolledDevice(platform)
            try await device.activate(password: goodPassword, source: "s")
            try await device.setReservedEmail(Self.reserved, password: goodPassword, source: "s")
            let pending = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
            let png = try #require(QRCode(pending.text)).png(scale: 6)

            try await SMTPTestClient.session(port: port) { client in
                #expect(try await client.reply().hasPrefix("220 "))
                let hello = try await client.send("EHLO client.example")
                #expect(hello.contains("250-SIZE ") && !hello.contains("AUTH"))
                #expect(try await client.send("MAIL FROM:<\(Self.sender)>").hasPrefix("250 "))
                #expect(try await client.send("RCPT TO:<friend@elsewhere.example>").hasPrefix("550 5.7.1 Relay refused"))
                #expect(try await client.send("RCPT TO:<pw_recovery@reclaim.invalid>").hasPrefix("250 "))
                #expect(try await client.send("DATA").hasPrefix("354 "))
                // A signature's logo before the QR code: every picture is tried until one holds a code.
                let logo: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("not a picture".utf8)
                let accepted = try await client.send(Self.message(pictures: [logo, png]) + "\r\n.")
                #expect(accepted.hasPrefix("250 2.0.0 Received."), "\(accepted)")
                // A message without a picture is refused with what to do.
                _ = try await client.send("MAIL FROM:<\(Self.sender)>")
                _ = try await client.send("RCPT TO:<pw_recovery@reclaim.invalid>")
                _ = try await client.send("DATA")
                #expect(try await client.send(Self.message(pictures: []) + "\r\n.").hasPrefix("550 5.6.0 No picture"))
                #expect(try await client.send("QUIT").hasPrefix("221 "))
            }
            try await platform.waitUntilProcessed(1)
            try await waitForMail(platform, count: 1)
            #expect(platform.mailer.messages.map(\.to) == [Self.reserved])
            let body = try #require(platform.mailer.messages.first?.body)
            let code = try #require(body.range(of: "Verification code: ").map { String(body[$0.upperBound...].prefix { !$0.isNewline }) })
            try await device.recover(code: code, kind: .verificationCode, newPassword: otherPassword, source: "s")
            try await device.verifyPassword(otherPassword, source: "s")
            // The hand-in is on the audit log like one from /recover, by the sender's address.
            let entries = try await platform.services.audit.entries(limit: 50)
            #expect(entries.contains { $0.action == "email-recovery.code-mailed" && $0.actor == "public:127.0.0.1" })
        }
    }

    @Test func theMailboxAddressDefaultsToTheHostPeopleReach() {
        let named = ServerSettings.defaultMailboxAddress(
            publicURL: "https://Reclaim.Example.com/", from: "Reclaim <no-reply@mail.example.com>")
        #expect(named == "pw_recovery@reclaim.example.com")
        // An IP address is no mail domain: the domain the server mails from is.
        #expect(
            ServerSettings.defaultMailboxAddress(publicURL: "http://127.0.0.1:8080", from: "Reclaim <no-reply@reclaim.invalid>")
                == "pw_recovery@reclaim.invalid")
        #expect(ServerSettings(dataDirectory: "/nowhere").mailboxListen == nil)
    }

    @Test func aSenderOverItsLimitIsToldToComeBackLater() async throws {
        try await withMailbox({ $0.mailboxPerSource = 1 }) { _, port in
            try await SMTPTestClient.session(port: port) { client in
                _ = try await client.reply()
                _ = try await client.send("HELO client.example")
                _ = try await client.send("MAIL FROM:<\(Self.sender)>")
                _ = try await client.send("RCPT TO:<pw_recovery@reclaim.invalid>")
                _ = try await client.send("DATA")
                #expect(try await client.send(Self.message(pictures: []) + "\r\n.").hasPrefix("550 "))
                #expect(try await client.send("MAIL FROM:<\(Self.sender)>").hasPrefix("450 4.7.1 Too many messages"))
            }
        }
    }

    @Test func aClientThatGoesQuietIsDisconnected() async throws {
        try await withMailbox({ $0.mailboxIdleTimeout = 5 }) { _, port in
            try await SMTPTestClient.session(port: port) { client in
                _ = try await client.reply()
                let started = ContinuousClock.now
                #expect(try await client.reply().hasPrefix("421 4.4.2"))
                #expect(ContinuousClock.now - started < .seconds(30))
            }
        }
    }
}

/// An SMTP client over a socket, reading whole (multi-line) replies.
struct SMTPTestClient {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var pending = ""

    static func session(port: Int, _ body: (inout SMTPTestClient) async throws -> Void) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) {
            channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        try await channel.executeThenClose { inbound, outbound in
            var client = SMTPTestClient(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await body(&client)
        }
    }

    /// Sends one line (or several, joined by CRLF) and reads the reply.
    mutating func send(_ line: String) async throws -> String {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        return try await reply()
    }

    /// The next reply, all its lines: the last has a space after its code.
    mutating func reply() async throws -> String {
        var lines: [String] = []
        while true {
            if let end = pending.range(of: "\r\n") {
                let line = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                lines.append(line)
                if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] == " " { return lines.joined(separator: "\n") }
                continue
            }
            guard let buffer = try await inbound.next() else { return lines.joined(separator: "\n") }
            pending += String(buffer: buffer)
        }
    }
}
