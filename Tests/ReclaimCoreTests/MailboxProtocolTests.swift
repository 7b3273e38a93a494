import Foundation
import Testing

@testable import ReclaimCore

/// The recovery mailbox's SMTP rules and its MIME reader, driven by hand: no sockets.
@Suite struct SMTPSessionTests {
    static let mailbox = "pw_recovery@reclaim.test"
    let policy = SMTPSession.Policy(hostname: "reclaim.test", mailbox: Self.mailbox, maxMessageBytes: 1000, maxRecipients: 3)

    /// Feeds one command line; the action it gave.
    func send(_ line: String, _ session: inout SMTPSession) -> SMTPSession.Action {
        session.received(line: Array(line.utf8))
    }

    func code(_ action: SMTPSession.Action) -> Int? {
        switch action {
        case .reply(let reply), .close(let reply): reply.code
        default: nil
        }
    }

    /// A session greeted and with a sender taken.
    func addressed() -> SMTPSession {
        var session = SMTPSession(policy: policy)
        _ = session.start()
        _ = send("EHLO client.example", &session)
        #expect(send("MAIL FROM:<someone@example.net>", &session) == .checkSender)
        #expect(code(session.senderChecked(.allowed)) == 250)
        return session
    }

    @Test func aMessageToTheMailboxIsDeliveredDotUnstuffed() {
        var session = SMTPSession(policy: policy)
        guard case .reply(let greeting) = session.start() else { Issue.record("no greeting"); return }
        #expect(greeting.code == 220)
        guard case .reply(let hello) = send("ehlo client.example", &session) else { Issue.record("no EHLO reply"); return }
        #expect(hello.lines.contains("SIZE 1000") && hello.lines.contains("ENHANCEDSTATUSCODES"))
        #expect(!hello.lines.contains { $0.hasPrefix("AUTH") || $0.hasPrefix("STARTTLS") })
        #expect(String(decoding: hello.wire, as: UTF8.self).hasPrefix("250-reclaim.test Hello client.example\r\n250-SIZE"))
        #expect(send("MAIL FROM: <someone@example.net> SIZE=200 BODY=8BITMIME", &session) == .checkSender)
        #expect(code(session.senderChecked(.allowed)) == 250)
        #expect(code(send("RCPT TO:<PW_Recovery@Reclaim.Test>", &session)) == 250)
        #expect(code(send("DATA", &session)) == 354)
        for line in ["Subject: qr", "", "..leading dot", "plain"] { #expect(send(line, &session) == .nothing) }
        guard case .deliver(let envelope) = send(".", &session) else { Issue.record("not delivered"); return }
        #expect(envelope.sender == "someone@example.net" && envelope.recipients == ["PW_Recovery@Reclaim.Test"])
        #expect(String(decoding: envelope.content, as: UTF8.self) == "Subject: qr\r\n\r\n.leading dot\r\nplain\r\n")
        #expect(envelope.clientName == "client.example")
        // Until the shell says how delivery went, nothing is read; then the next message may start.
        #expect(code(session.delivered(SMTPReply(250, "2.0.0", "Received"))) == 250)
        #expect(send("MAIL FROM:<>", &session) == .checkSender)
        #expect(code(session.senderChecked(.allowed)) == 250)
        #expect(code(send("QUIT", &session)) == 221)
        #expect(session.isClosed)
    }

    @Test func otherAddressesAreRefusedAndNothingIsRelayed() {
        var session = addressed()
        guard case .reply(let relay) = send("RCPT TO:<victim@elsewhere.example>", &session) else { Issue.record("no reply"); return }
        #expect(relay.code == 550 && relay.status == "5.7.1" && relay.lines[0].contains("Relay refused"))
        guard case .reply(let unknown) = send("RCPT TO:<admin@reclaim.test>", &session) else { Issue.record("no reply"); return }
        #expect(unknown.code == 550 && unknown.status == "5.1.1")
        // No accepted recipient: no data.
        #expect(code(send("DATA", &session)) == 554)
        #expect(code(send("RCPT TO:<pw_recovery@reclaim.test>", &session)) == 250)
        // Refused recipients count towards the limit, so addresses can't be probed by the thousand.
        #expect(code(send("RCPT TO:<pw_recovery@reclaim.test>", &session)) == 452)
    }

    @Test func commandsOutOfOrderAndUnknownOnesAreRefusedUntilTheSessionCloses() {
        var session = SMTPSession(policy: .init(hostname: "reclaim.test", mailbox: Self.mailbox, maxRefusals: 12))
        _ = session.start()
        #expect(code(send("MAIL FROM:<a@b.example>", &session)) == 503)
        _ = send("HELO client", &session)
        #expect(code(send("RCPT TO:<pw_recovery@reclaim.test>", &session)) == 503)
        #expect(code(send("DATA", &session)) == 503)
        #expect(code(send("AUTH PLAIN AGZvbwBiYXI=", &session)) == 502)
        #expect(code(send("STARTTLS", &session)) == 502)
        #expect(code(send("MAIL FROM:a@b.example", &session)) == 501)
        #expect(code(send("MAIL FROM:<a@b.example> AUTH=<>", &session)) == 555)
        #expect(code(send("XYZZY", &session)) == 500)
        #expect(code(send("VRFY pw_recovery", &session)) == 252)
        #expect(code(send("NOOP", &session)) == 250)
        #expect(code(send("RSET", &session)) == 250)
        #expect(code(session.received(line: [0x4D, 0x41, 0x49, 0x4C, 0x00])) == 501)
        #expect(code(send(String(repeating: "N", count: 600), &session)) == 500)
        #expect(code(session.lineTooLong()) == 500)
        // The twelfth refusal ends the session.
        guard case .close(let last) = send("XYZZY", &session) else { Issue.record("not closed"); return }
        #expect(last.code == 421 && session.isClosed)
        #expect(send("NOOP", &session) == .nothing)
    }

    @Test func aMessageOverTheSizeIsRefusedBeforeOrAfterItsData() {
        var session = SMTPSession(policy: policy)
        _ = session.start()
        _ = send("EHLO c", &session)
        // Declared too large: refused before a byte is sent.
        #expect(code(send("MAIL FROM:<a@b.example> SIZE=1001", &session)) == 552)
        session = addressed()
        _ = send("RCPT TO:<pw_recovery@reclaim.test>", &session)
        _ = send("DATA", &session)
        for _ in 0..<20 { _ = send(String(repeating: "A", count: 76), &session) }
        guard case .reply(let reply) = send(".", &session) else { Issue.record("no reply"); return }
        #expect(reply.code == 552 && reply.status == "5.3.4")
        // The session goes on: the next message may be smaller.
        #expect(send("MAIL FROM:<a@b.example>", &session) == .checkSender)
    }

    @Test func aLineTooLongInTheDataRefusesTheMessage() {
        var session = addressed()
        _ = send("RCPT TO:<pw_recovery@reclaim.test>", &session)
        _ = send("DATA", &session)
        #expect(session.lineTooLong() == .nothing)
        guard case .reply(let reply) = send(".", &session) else { Issue.record("no reply"); return }
        #expect(reply.code == 500)
    }

    @Test func aSenderOverItsLimitIsToldToComeBackLater() {
        var session = SMTPSession(policy: policy)
        _ = session.start()
        _ = send("EHLO c", &session)
        _ = send("MAIL FROM:<a@b.example>", &session)
        guard case .reply(let reply) = session.senderChecked(.limited("Too many messages from your address")) else {
            Issue.record("no reply")
            return
        }
        #expect(reply.code == 450 && reply.status == "4.7.1" && reply.lines == ["Too many messages from your address"])
        #expect(code(send("RCPT TO:<pw_recovery@reclaim.test>", &session)) == 503)
    }

    @Test func aBusyServerSaysSoAndCloses() {
        var session = SMTPSession(policy: policy)
        guard case .close(let reply) = session.start(refusing: "Too many connections") else { Issue.record("not closed"); return }
        #expect(reply.code == 421 && session.isClosed)
    }

    @Test func repliesStayOnTheirLines() {
        let reply = SMTPReply(550, "5.6.0", "bad\r\nRCPT TO:<x@y> 4000×3000")
        #expect(String(decoding: reply.wire, as: UTF8.self) == "550 5.6.0 bad??RCPT TO:<x@y> 4000x3000\r\n")
        let long = SMTPReply(550, "5.6.0", String(repeating: "word ", count: 200))
        #expect(long.lines.count == 3 && long.lines.allSatisfy { $0.count <= 400 })
    }
}

@Suite struct SMTPLineReaderTests {
    @Test func linesArriveWholeWhateverTheirPieces() {
        var reader = SMTPLineReader(limit: 10)
        reader.append(Array("HELO a\r".utf8))
        #expect(reader.next() == nil)
        reader.append(Array("\nNOOP\nQU".utf8))
        #expect(reader.next() == .line(Array("HELO a".utf8)))
        #expect(reader.next() == .line(Array("NOOP".utf8)))
        #expect(reader.next() == nil)
        reader.append(Array("IT\r\n".utf8))
        #expect(reader.next() == .line(Array("QUIT".utf8)))
    }

    @Test func aLineOverTheLimitIsReportedOnceAndDropped() {
        var reader = SMTPLineReader(limit: 10)
        reader.append(Array(repeating: UInt8(ascii: "x"), count: 30))
        #expect(reader.next() == .tooLong)
        reader.append(Array(repeating: UInt8(ascii: "x"), count: 30))
        #expect(reader.next() == nil)
        reader.append(Array("xx\r\nNOOP\r\n0123456789AB\r\n".utf8))
        #expect(reader.next() == .line(Array("NOOP".utf8)))
        #expect(reader.next() == .tooLong)
        #expect(reader.next() == nil)
    }
}

@Suite struct MIMEParserTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 250, 251]

    func message(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }

    @Test func aPictureInANestedMultipartIsFoundAndDecoded() throws {
        let base64 = Data(Self.png).base64EncodedString()
        let bytes = message([
            "From: a@b.example", "Content-Type: multipart/mixed;", "\tboundary=\"outer b\"", "", "preamble",
            "--outer b", "Content-Type: multipart/alternative; boundary=inner", "",
            "--inner", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
            "Ecco il codice =C3=A8 qui=", "sotto", "--inner--", "",
            "--outer b", "Content-Type: image/png; name=\"qr.png\"", "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"codice qr.png\"", "",
            String(base64.prefix(8)), String(base64.dropFirst(8)), "--outer b--", "epilogue",
        ])
        let entity = try MIMEParser().parse(bytes)
        #expect(entity.mediaType == "multipart/mixed" && entity.parts.count == 2)
        #expect(String(decoding: entity.parts[0].parts[0].body, as: UTF8.self) == "Ecco il codice è quisotto")
        let pictures = entity.pictures()
        #expect(pictures == [MIMEPicture(mediaType: "image/png", filename: "codice qr.png", bytes: Self.png)])
    }

    @Test func picturesAreFoundByTheirBytesTooButNeverInText() throws {
        let octets = message([
            "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: application/octet-stream",
            "Content-Transfer-Encoding: base64", "", Data(Self.png).base64EncodedString(), "--b",
            "Content-Type: text/plain", "", String(decoding: Self.png, as: UTF8.self), "--b--",
        ])
        #expect(try MIMEParser().parse(octets).pictures().count == 1)
        #expect(try MIMEParser().parse(message(["Subject: nothing", "", "hello"])).pictures().isEmpty)
    }

    @Test func anAttachedMessageIsReadAndAMessageCutShortKeepsItsLastPart() throws {
        let forwarded = message([
            "Content-Type: message/rfc822", "", "Content-Type: multipart/mixed; boundary=x", "", "--x",
            "Content-Type: image/png", "Content-Transfer-Encoding: base64", "", Data(Self.png).base64EncodedString(),
        ])
        #expect(try MIMEParser().parse(forwarded).pictures().first?.bytes == Self.png)
    }

    @Test func transferEncodingsAreReadAsMailCarriesThem() {
        #expect(MIMEParser.base64(Array("aGVsbG8".utf8)[...]) == Array("hello".utf8))
        #expect(MIMEParser.base64(Array("aGVs\r\nbG8=\r\n!!".utf8)[...]) == Array("hello".utf8))
        #expect(MIMEParser.quotedPrintable(Array("a=3Db= \r\nc=ZZ=".utf8)[...]) == Array("a=bc=ZZ".utf8))
        #expect(MIMEParser.contentType("Image/PNG ; Name=\"a \\\"b\\\";c\"; x=1") == ("image/png", ["name": "a \"b\";c", "x": "1"]))
    }

    @Test func depthPartsAndHeadersAreBounded() {
        var nested: [String] = []
        for level in 0..<12 { nested += ["Content-Type: multipart/mixed; boundary=l\(level)", "", "--l\(level)"] }
        #expect(throws: MIMEError.self) { try MIMEParser().parse(message(nested)) }
        var many = ["Content-Type: multipart/mixed; boundary=b", ""]
        for _ in 0..<150 { many += ["--b", "", "x"] }
        #expect(throws: MIMEError.self) { try MIMEParser().parse(message(many)) }
        let header = Array(("X-Long: " + String(repeating: "a", count: 70_000) + "\r\n\r\nbody").utf8)
        #expect(throws: MIMEError.self) { try MIMEParser().parse(header) }
    }
}
