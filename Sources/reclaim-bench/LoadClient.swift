import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import ReclaimCore

/// A closed-loop HTTP/1.1 load generator: each connection sends a request, waits for
/// the answer, sends the next. With a password it answers Digest challenges the way
/// a client library would: one challenge per connection, then a rising nonce count.
enum LoadClient {
    struct Result {
        var completed = 0
        var failed = 0
    }

    static func run(host: String, port: Int, path: String, password: String?, connections: Int, seconds: Double) throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let totals = NIOLockedValueBox(Result())
        let deadline = NIODeadline.now() + .milliseconds(Int64(seconds * 1000))
        let closed = (0..<connections).map { _ -> EventLoopFuture<Void> in
            ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.pipeline.addHTTPClientHandlers().flatMap {
                        channel.pipeline.addHandler(
                            LoadHandler(host: host, path: path, password: password, deadline: deadline, totals: totals))
                    }
                }
                .connect(host: host, port: port)
                .flatMap { $0.closeFuture }
        }
        for future in closed { try? future.wait() }
        return totals.withLockedValue { $0 }
    }
}

final class LoadHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let host: String
    let path: String
    let password: String?
    let deadline: NIODeadline
    let totals: NIOLockedValueBox<LoadClient.Result>
    var challenge: Digest.Challenge?
    var count = 0
    var status: HTTPResponseStatus = .ok
    var completed = 0
    var failed = 0

    init(host: String, path: String, password: String?, deadline: NIODeadline, totals: NIOLockedValueBox<LoadClient.Result>) {
        self.host = host
        self.path = path
        self.password = password
        self.deadline = deadline
        self.totals = totals
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context)
    }

    func send(_ context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("Host", host)])
        if let password, let challenge {
            count += 1
            headers.add(
                name: "Authorization",
                value: challenge.credentials(user: "admin", password: password, method: "GET", uri: path, nonceCount: count).headerValue)
        }
        context.write(wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            if head.status == .unauthorized {
                // Take the MD5 challenge, as most client libraries do, and restart the count.
                challenge = head.headers["WWW-Authenticate"].compactMap(Digest.Challenge.init(header:)).last
                count = 0
            }
        case .body:
            break
        case .end:
            if status == .ok { completed += 1 } else if status != .unauthorized { failed += 1 }
            if NIODeadline.now() < deadline { send(context) } else { context.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let (completed, failed) = (self.completed, self.failed)
        totals.withLockedValue {
            $0.completed += completed
            $0.failed += failed
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
