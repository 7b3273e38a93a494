/// One SMTP conversation of the recovery mailbox as a value: a line in, what to do out.
/// No sockets, clock or storage of its own, so the tests walk every path by hand; the
/// mailbox's listener performs the actions (`Platform/Mailbox/MailboxServer.swift`).
///
/// ```
///  start ─220→ greeted ─EHLO→ ready ─MAIL→ checking sender ─allowed→ addressed ─RCPT…→ ─DATA→ data
///                               ↑                   └─limited (450)─┘                          │ "."
///                               └───────────────── delivered (250 / 5xx / 4xx) ←─ delivering ←┘
/// ```
///
/// It takes mail for one address only (``Policy/mailbox``), never relays, offers no AUTH,
/// and bounds what a client can make it hold: the message size (advertised as SIZE), the
/// recipients of a message, the length of a command, and how many refusals a session gets
/// before it is closed.
public struct SMTPSession: Sendable {
    public struct Policy: Sendable, Hashable {
        /// The name the mailbox greets with.
        public var hostname: String
        /// The one address mail is taken for, e.g. `pw_recovery@reclaim.example.com`.
        public var mailbox: String
        /// The largest message taken, in bytes after dot-unstuffing.
        public var maxMessageBytes: Int
        /// RCPT commands a message may carry, refused ones included, so a client can't probe
        /// addresses by the thousand in one session.
        public var maxRecipients: Int
        /// RFC 5321's limit for a command line (512 with its CRLF).
        public var maxCommandLength: Int
        /// Refused commands before the session is closed.
        public var maxRefusals: Int

        public init(
            hostname: String, mailbox: String, maxMessageBytes: Int = 10 * 1024 * 1024, maxRecipients: Int = 5,
            maxCommandLength: Int = 510, maxRefusals: Int = 10
        ) {
            self.hostname = hostname
            self.mailbox = mailbox
            self.maxMessageBytes = maxMessageBytes
            self.maxRecipients = maxRecipients
            self.maxCommandLength = maxCommandLength
            self.maxRefusals = maxRefusals
        }

        var mailboxDomain: Substring { mailbox.split(separator: "@").last ?? "" }
    }

    /// A message as it was received, for the shell to deliver.
    public struct Envelope: Sendable, Hashable {
        /// The reverse path; empty for the null sender.
        public let sender: String
        public let recipients: [String]
        /// The message, headers and body, lines ended with CRLF, dots unstuffed.
        public let content: [UInt8]
        /// The name the client gave in EHLO or HELO.
        public let clientName: String
    }

    /// What the shell says of a sender's address before a message is taken from it.
    public enum SenderVerdict: Sendable, Hashable {
        case allowed
        /// Over a limit: the reason, and the reply is 450 (try again later).
        case limited(String)
    }

    public enum Action: Sendable, Hashable {
        case reply(SMTPReply)
        /// Send the reply, then close the connection.
        case close(SMTPReply)
        /// Check the client's limits, then call ``senderChecked(_:)``; no line is fed meanwhile.
        case checkSender
        /// Deliver the message, then call ``delivered(_:)`` with the reply; no line is fed meanwhile.
        case deliver(Envelope)
        case nothing
    }

    enum State: Sendable, Hashable {
        case new
        /// Greeted; waiting for EHLO or HELO.
        case greeted
        case ready(client: String)
        case checkingSender(client: String, sender: String)
        case addressed(client: String, Transaction)
        case data(client: String, Transaction, Body)
        case delivering(client: String)
        case closed
    }

    struct Transaction: Sendable, Hashable {
        var sender: String
        var recipients: [String] = []
        /// RCPT commands seen, refused ones included.
        var attempts = 0
    }

    struct Body: Sendable, Hashable {
        var bytes: [UInt8] = []
        var size = 0
        var overflowed = false
        var lineTooLong = false
    }

    public let policy: Policy
    private(set) var state: State = .new
    /// Commands refused so far in this session.
    public private(set) var refusals = 0

    public init(policy: Policy) {
        self.policy = policy
    }

    public var isClosed: Bool { state == .closed }

    /// The connection is open. `refusing`: why it can't be served (too many connections);
    /// the client is told and the connection closed.
    public mutating func start(refusing reason: String? = nil) -> Action {
        guard state == .new else { return .nothing }
        if let reason {
            state = .closed
            return .close(SMTPReply(421, nil, "\(policy.hostname) \(reason)"))
        }
        state = .greeted
        return .reply(SMTPReply(220, nil, "\(policy.hostname) ESMTP Reclaim recovery mailbox"))
    }

    /// A line the client sent, without its CRLF.
    public mutating func received(line: [UInt8]) -> Action {
        switch state {
        case .data(let client, let transaction, var body):
            if line == [UInt8(ascii: ".")] { return endOfData(client: client, transaction, body) }
            // A leading dot was doubled by the client (RFC 5321 4.5.2).
            let content = line.first == UInt8(ascii: ".") ? line.dropFirst() : line[...]
            body.size += content.count + 2
            if body.size > policy.maxMessageBytes {
                // Counted on, no longer kept: the client is told at the end of the data.
                body.overflowed = true
                body.bytes = []
            } else {
                body.bytes.append(contentsOf: content)
                body.bytes.append(contentsOf: [13, 10])
            }
            state = .data(client: client, transaction, body)
            return .nothing
        case .new, .closed:
            return .nothing
        case .checkingSender, .delivering:
            // The shell feeds nothing while it checks or delivers; a line now is a slip of the shell.
            state = .closed
            return .close(SMTPReply(421, "4.3.0", "\(policy.hostname) Out of turn; closing"))
        case .greeted, .ready, .addressed:
            guard line.count <= policy.maxCommandLength else {
                return refuse(SMTPReply(500, "5.5.2", "Line too long: a command takes at most \(policy.maxCommandLength) characters"))
            }
            do {
                return command(try SMTPCommand(line: line))
            } catch {
                return refuse(SMTPReply(501, "5.5.4", error.usage))
            }
        }
    }

    /// The line reader dropped a line longer than any SMTP line.
    public mutating func lineTooLong() -> Action {
        switch state {
        case .data(let client, let transaction, var body):
            body.lineTooLong = true
            body.bytes = []
            state = .data(client: client, transaction, body)
            return .nothing
        case .greeted, .ready, .addressed:
            return refuse(SMTPReply(500, "5.5.2", "Line too long: a command takes at most \(policy.maxCommandLength) characters"))
        default:
            return .nothing
        }
    }

    /// What the shell found of the sender's limits.
    public mutating func senderChecked(_ verdict: SenderVerdict) -> Action {
        guard case .checkingSender(let client, let sender) = state else { return .nothing }
        switch verdict {
        case .allowed:
            state = .addressed(client: client, Transaction(sender: sender))
            return .reply(SMTPReply(250, "2.1.0", "Sender OK"))
        case .limited(let reason):
            state = .ready(client: client)
            return .reply(SMTPReply(450, "4.7.1", reason))
        }
    }

    /// The shell's reply to the message it delivered; the session is ready for the next one.
    public mutating func delivered(_ reply: SMTPReply) -> Action {
        guard case .delivering(let client) = state else { return .nothing }
        state = .ready(client: client)
        return .reply(reply)
    }

    /// What a client that went quiet, or stayed too long, is told before the connection
    /// closes; the listener keeps the time, since it passes while no line arrives.
    public static func timeoutReply(hostname: String) -> SMTPReply {
        SMTPReply(421, "4.4.2", "\(hostname) Timeout: nothing received for too long; closing")
    }

    private mutating func command(_ command: SMTPCommand) -> Action {
        switch (command, state) {
        case (.quit, _):
            state = .closed
            return .close(SMTPReply(221, "2.0.0", "\(policy.hostname) Bye"))
        case (.noop, _):
            return .reply(SMTPReply(250, "2.0.0", "OK"))
        case (.help, _):
            return .reply(
                SMTPReply(
                    214, "2.0.0",
                    lines: [
                        "This mailbox takes the QR code a device exports for reserved e-mail recovery.",
                        "Attach the PNG or JPEG of the QR code and send it to \(policy.mailbox).",
                        "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT HELP",
                    ]))
        case (.verify, _):
            return .reply(SMTPReply(252, "2.1.5", "Send the message and it will be read"))
        case (.notOffered(let verb), _):
            return refuse(SMTPReply(502, "5.5.1", "\(verb) is not offered here: this mailbox only takes mail for \(policy.mailbox)"))
        case (.unknown, _):
            return refuse(SMTPReply(500, "5.5.1", "Command not recognised"))
        case (.hello(let extended, let domain), _):
            // A new greeting also ends any message under way (RFC 5321 4.1.4).
            state = .ready(client: domain)
            guard extended else { return .reply(SMTPReply(250, nil, "\(policy.hostname) Hello \(domain)")) }
            return .reply(
                SMTPReply(
                    250, nil,
                    lines: ["\(policy.hostname) Hello \(domain)", "SIZE \(policy.maxMessageBytes)", "8BITMIME", "ENHANCEDSTATUSCODES"]))
        case (_, .greeted):
            return refuse(SMTPReply(503, "5.5.1", "Say EHLO first"))
        case (.reset, .ready(let client)), (.reset, .addressed(let client, _)):
            state = .ready(client: client)
            return .reply(SMTPReply(250, "2.0.0", "OK"))
        case (.mail(let sender, let parameters), .ready(let client)):
            if let refusal = refusal(ofMailParameters: parameters) { return refuse(refusal) }
            state = .checkingSender(client: client, sender: sender)
            return .checkSender
        case (.mail, .addressed):
            return refuse(SMTPReply(503, "5.5.1", "A message is under way; RSET first"))
        case (.recipient, .ready):
            return refuse(SMTPReply(503, "5.5.1", "MAIL FROM first"))
        case (.recipient(let address, _), .addressed(let client, var transaction)):
            transaction.attempts += 1
            state = .addressed(client: client, transaction)
            guard transaction.attempts <= policy.maxRecipients else {
                return refuse(SMTPReply(452, "4.5.3", "Too many recipients"))
            }
            guard address.lowercased() == policy.mailbox.lowercased() else {
                let domain = address.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
                if domain.lowercased() == policy.mailboxDomain.lowercased() {
                    return refuse(SMTPReply(550, "5.1.1", "No such mailbox: mail the QR code to \(policy.mailbox)"))
                }
                return refuse(SMTPReply(550, "5.7.1", "Relay refused: this server only takes mail for \(policy.mailbox)"))
            }
            if !transaction.recipients.contains(where: { $0.lowercased() == address.lowercased() }) {
                transaction.recipients.append(address)
            }
            state = .addressed(client: client, transaction)
            return .reply(SMTPReply(250, "2.1.5", "Recipient OK"))
        case (.data, .ready):
            return refuse(SMTPReply(503, "5.5.1", "MAIL FROM and RCPT TO first"))
        case (.data, .addressed(let client, let transaction)):
            guard !transaction.recipients.isEmpty else { return refuse(SMTPReply(554, "5.5.1", "No valid recipients")) }
            state = .data(client: client, transaction, Body())
            return .reply(SMTPReply(354, nil, "Send the message; end with <CRLF>.<CRLF>"))
        default:
            return refuse(SMTPReply(503, "5.5.1", "Bad sequence of commands"))
        }
    }

    /// MAIL FROM takes SIZE (refused at once when over the limit) and BODY; nothing else.
    private func refusal(ofMailParameters parameters: [String: String]) -> SMTPReply? {
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "SIZE":
                guard value.count <= 18, let size = Int(value), size >= 0 else { return SMTPReply(501, "5.5.4", "SIZE takes a number") }
                if size > policy.maxMessageBytes {
                    return SMTPReply(552, "5.3.4", "Message too large: this mailbox takes up to \(policy.maxMessageBytes) bytes")
                }
            case "BODY":
                guard ["7BIT", "8BITMIME"].contains(value.uppercased()) else {
                    return SMTPReply(501, "5.5.4", "BODY takes 7BIT or 8BITMIME")
                }
            default:
                return SMTPReply(555, "5.5.4", "Parameter \(key.prefix(20)) is not offered here")
            }
        }
        return nil
    }

    private mutating func endOfData(client: String, _ transaction: Transaction, _ body: Body) -> Action {
        if body.overflowed {
            state = .ready(client: client)
            return .reply(SMTPReply(552, "5.3.4", "Message too large: this mailbox takes up to \(policy.maxMessageBytes) bytes"))
        }
        if body.lineTooLong {
            state = .ready(client: client)
            return .reply(
                SMTPReply(500, "5.5.2", "A line of the message was longer than \(SMTPLineReader.defaultLimit) characters; message refused"))
        }
        state = .delivering(client: client)
        return .deliver(Envelope(sender: transaction.sender, recipients: transaction.recipients, content: body.bytes, clientName: client))
    }

    /// A refused command: counted, and past the limit the session ends.
    private mutating func refuse(_ reply: SMTPReply) -> Action {
        refusals += 1
        guard refusals < policy.maxRefusals else {
            state = .closed
            return .close(SMTPReply(421, "4.7.0", "\(policy.hostname) Too many errors; closing"))
        }
        return .reply(reply)
    }
}
