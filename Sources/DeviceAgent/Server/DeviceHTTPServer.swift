import Hummingbird
import HummingbirdCore
public import Logging
public import NIOCore
import NIOHTTPTypes
public import NIOPosix
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

    /// One server service per binding. `onRunning` is called with each bound address.
    public func services(
        for bindings: [Fleet.Member], eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onRunning: @escaping @Sendable (Fleet.Member, SocketAddress?) async -> Void
    ) throws -> [any Service] {
        let responder = self.responder
        let serverName = "Reclaim-Device"
        return try bindings.map { binding in
            let logger = self.logger
            let device = binding.device
            return try HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(90))).buildServer(
                configuration: .init(address: .hostname(binding.host, port: binding.port), serverName: serverName, backlog: 64),
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
                onServerRunning: { channel in await onRunning(binding, channel.localAddress) })
        }
    }
}
