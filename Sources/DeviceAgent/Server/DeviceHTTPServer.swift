import Hummingbird
import HummingbirdCore
public import Logging
public import NIOCore
import NIOHTTPTypes
public import NIOPosix
import ReclaimCore
public import ServiceLifecycle

/// Serves the HTTP side of one or many devices: each device listens on its own
/// address, and all of them share one router, built once.
///
/// A farm of a thousand devices is a thousand listening sockets and one router, not a
/// thousand applications; that is what keeps a device to a few kilobytes.
public struct DeviceHTTPServer: Sendable {
    let responder: RouterResponder<DeviceRequestContext>
    let logger: Logger

    public init(logger: Logger) {
        self.responder = buildDeviceRouter().buildResponder()
        // One line per listening device is noise for a farm: the ready line says it once.
        var logger = logger
        logger.logLevel = max(logger.logLevel, .warning)
        self.logger = logger
    }

    /// One service per device. `onRunning` is called with each device's bound address,
    /// the first time it listens.
    public func services(
        for bindings: [Fleet.Member], eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onRunning: @escaping @Sendable (Fleet.Member, SocketAddress?) async -> Void
    ) throws -> [any Service] {
        bindings.map { DeviceHTTPEndpoint(member: $0, server: self, eventLoopGroup: eventLoopGroup, onRunning: onRunning) }
    }

    func buildServer(
        for member: Fleet.Member, host: String, port: Int, eventLoopGroup: any EventLoopGroup,
        onServerRunning: (@Sendable (any Channel) async -> Void)?
    ) throws -> any Service {
        let responder = self.responder
        let serverName = "Reclaim-Device"
        let logger = self.logger
        let device = member.device
        return try HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(90))).buildServer(
            configuration: .init(address: .hostname(host, port: port), serverName: serverName, backlog: 64),
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            responder: { (request, responseWriter: consuming ResponseWriter, channel) in
                let context = DeviceRequestContext(source: DeviceContextSource(channel: channel, logger: logger, device: device))
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch {
                    logger.error("request failed", metadata: ["error": "\(error)"])
                    response = Response(status: .internalServerError)
                }
                response.headers[.server] = serverName
                try await responseWriter.write(response: response.head, body: response.body)
            },
            onServerRunning: onServerRunning)
    }
}

/// One device's HTTP listener. It moves when the device is given another address or
/// port (discovery's `update`): the old socket closes, a new one opens.
struct DeviceHTTPEndpoint: Service {
    let member: Fleet.Member
    let server: DeviceHTTPServer
    let eventLoopGroup: any EventLoopGroup
    let onRunning: @Sendable (Fleet.Member, SocketAddress?) async -> Void

    func run() async throws {
        let changes = member.device.endpointChanges()
        var endpoint = await member.endpoint
        var first = true
        while true {
            let member = self.member, onRunning = self.onRunning
            let announce = first
            let service = try server.buildServer(
                for: member, host: endpoint.host, port: endpoint.port, eventLoopGroup: eventLoopGroup,
                onServerRunning: { channel in if announce { await onRunning(member, channel.localAddress) } })
            first = false
            // Serve until shut down (nil) or until the device moves (its new endpoint).
            let moved: (host: String, port: Int)? = try await withThrowingTaskGroup(of: (host: String, port: Int)?.self) { tasks in
                tasks.addTask {
                    try await service.run()
                    return nil
                }
                tasks.addTask {
                    for await _ in changes { return await member.endpoint }
                    return nil
                }
                let result = try await tasks.next() ?? nil
                tasks.cancelAll()
                return result
            }
            guard let moved else { return }
            server.logger.notice(
                "moved", metadata: ["device": .string(member.device.identity.serial.text), "address": .string(moved.host)])
            endpoint = moved
        }
    }
}
