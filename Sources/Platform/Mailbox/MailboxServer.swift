import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ReclaimCore
public import ServiceLifecycle

/// The recovery mailbox on the network (`mailbox.listen`): an SMTP server on SwiftNIO that
/// runs beside the HTTP server and stops with it. Each connection is one ``SMTPSession``
/// (the rules) fed by one ``SMTPLineReader`` (the framing); this type only moves bytes,
/// asks ``Mailbox`` what the session wants to know, and keeps time.
///
/// Time is kept outside the session because it passes while nothing is read: a client
/// silent for `mailbox.idle-timeout` seconds, or connected for longer than
/// ``sessionLimit``, is told 421 and disconnected, so slow clients can't hold connections.
/// At most ``maxConnections`` are served at once; one more is told 421 at once.
public final class MailboxServer: Service, Sendable {
    let mailbox: Mailbox
    let host: String
    let port: Int
    let policy: SMTPSession.Policy
    let idleTimeout: TimeAmount
    let logger: Logger
    /// The longest a connection is served, however busy the client keeps it.
    static let sessionLimit: TimeAmount = .minutes(10)
    static let maxConnections = 64
    /// The connections being served, to be told of a shutdown.
    private let connections = NIOLockedValueBox([ObjectIdentifier: any Channel]())
    private let boundPort = NIOLockedValueBox<Int?>(nil)

    init(mailbox: Mailbox, settings: ServerSettings, logger: Logger) {
        self.mailbox = mailbox
        let (host, port) = settings.mailboxListen.flatMap(ServerSettings.listenAddress) ?? ("127.0.0.1", 2525)
        self.host = host
        self.port = port
        let domain = settings.mailboxAddress.split(separator: "@").last.map(String.init) ?? "reclaim.invalid"
        policy = SMTPSession.Policy(hostname: domain, mailbox: settings.mailboxAddress, maxMessageBytes: settings.mailboxMaxMessageBytes)
        idleTimeout = .seconds(Int64(settings.mailboxIdleTimeout))
        self.logger = logger
    }

    /// The port the mailbox listens on, once it does (a test may ask for port 0).
    public var listeningPort: Int? { boundPort.withLockedValue { $0 } }

    public func run() async throws {
        let idleTimeout = self.idleTimeout
        let hostname = policy.hostname
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 128)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(MailboxClock(hostname: hostname, limit: Self.sessionLimit))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        boundPort.withLockedValue { $0 = server.channel.localAddress?.port }
        logger.info(
            "recovery mailbox listening",
            metadata: ["address": "\(host):\(listeningPort ?? port)", "mailbox": "\(policy.mailbox)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { clients in
                    for try await client in clients {
                        group.addTask { await self.serve(client) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
            // A client mid-session is told to come back later rather than cut off without a word.
            let goodbye = ByteBuffer(bytes: SMTPReply(421, "4.3.2", "\(hostname) Shutting down; try again later").wire)
            for channel in self.connections.withLockedValue({ Array($0.values) }) {
                // Queued on the channel's loop in this order: the reply goes out before the close.
                channel.writeAndFlush(goodbye, promise: nil)
                channel.close(promise: nil)
            }
        }
    }

    private func serve(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let channel = client.channel
        let id = ObjectIdentifier(channel)
        let admitted = connections.withLockedValue { open in
            guard open.count < Self.maxConnections else { return false }
            open[id] = channel
            return true
        }
        defer { if admitted { connections.withLockedValue { _ = $0.removeValue(forKey: id) } } }
        let source = channel.remoteAddress?.ipAddress ?? "unknown"
        do {
            try await client.executeThenClose { inbound, outbound in
                var session = SMTPSession(policy: policy)
                let start = session.start(refusing: admitted ? nil : "Too many connections; try again later")
                guard try await perform(start, in: &session, outbound, source: source) else { return }
                var reader = SMTPLineReader()
                for try await bytes in inbound {
                    reader.append(bytes.readableBytesView)
                    while let line = reader.next() {
                        let action =
                            switch line {
                            case .line(let text): session.received(line: text)
                            case .tooLong: session.lineTooLong()
                            }
                        guard try await perform(action, in: &session, outbound, source: source) else { return }
                    }
                }
            }
        } catch {
            // A client that went away or was timed out: nothing to tell it.
            logger.debug("mailbox connection ended", metadata: ["source": "\(source)", "error": "\(error)"])
        }
    }

    /// Performs the session's actions until one needs the client again; false when the connection is to close.
    private func perform(
        _ first: SMTPSession.Action, in session: inout SMTPSession, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        source: String
    ) async throws -> Bool {
        var action = first
        while true {
            switch action {
            case .nothing:
                return true
            case .reply(let reply):
                try await outbound.write(ByteBuffer(bytes: reply.wire))
                return true
            case .close(let reply):
                try await outbound.write(ByteBuffer(bytes: reply.wire))
                return false
            case .checkSender:
                action = session.senderChecked(await mailbox.checkSender(source: source))
            case .deliver(let envelope):
                action = session.delivered(await mailbox.deliver(envelope, source: source))
            }
        }
    }
}

/// Tells a client that stopped sending (``IdleStateHandler``'s read event), or whose session
/// ran past its limit, that the connection closes, and closes it.
final class MailboxClock: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let hostname: String
    let limit: TimeAmount
    private var deadline: Scheduled<Void>?

    init(hostname: String, limit: TimeAmount) {
        self.hostname = hostname
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startClock(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startClock(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        hangUp(context)
    }

    private func startClock(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [self] in hangUp(context) }
    }

    private func hangUp(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        // Written before the close on the same loop, so the client reads it first.
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: SMTPSession.timeoutReply(hostname: hostname).wire)), promise: nil)
        context.close(promise: nil)
    }
}
