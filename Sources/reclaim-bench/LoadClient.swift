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
    /// What every request on this connection shares, computed once per challenge so the
    /// load generator spends its CPU on sending, not on the server's side of the work.
    var digestParts: (prefix: String, suffix: String, header: String, algorithm: Digest.Algorithm)?
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
            let parts = digestParts ?? makeDigestParts(challenge, password: password)
            digestParts = parts
            let hex = String(UInt32(truncatingIfNeeded: count), radix: 16)
            let nc = String(repeating: "0", count: 8 - hex.count) + hex
            let response = parts.algorithm.hash(parts: [parts.prefix, nc, parts.suffix])
            headers.add(name: "Authorization", value: parts.header + "nc=\(nc), response=\"\(response)\"")
        }
        context.write(wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// `H(HA1:nonce:` … `:cnonce:auth:HA2)` around the nonce count, and the header's fixed part.
    func makeDigestParts(_ challenge: Digest.Challenge, password: String) -> (String, String, String, Digest.Algorithm) {
        let algorithm = challenge.algorithm
        let ha1 = Digest.ha1(algorithm, user: "admin", realm: challenge.realm, password: password)
        let ha2 = algorithm.hash("GET:\(path)")
        let cnonce = Bytes.hex(Bytes.random(count: 8))
        let header =
            "Digest username=\"admin\", realm=\"\(challenge.realm)\", nonce=\"\(challenge.nonce)\", uri=\"\(path)\", "
            + "algorithm=\(algorithm.rawValue), opaque=\"\(challenge.opaque ?? "")\", qop=auth, cnonce=\"\(cnonce)\", "
        return ("\(ha1):\(challenge.nonce):", ":\(cnonce):auth:\(ha2)", header, algorithm)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            if head.status == .unauthorized {
                // Take the MD5 challenge, as most client libraries do, and restart the count.
                challenge = head.headers["WWW-Authenticate"].compactMap(Digest.Challenge.init(header:)).last
                digestParts = nil
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
