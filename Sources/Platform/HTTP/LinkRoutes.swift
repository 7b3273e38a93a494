import Foundation
import HTTPTypes
public import Hummingbird
public import HummingbirdWebSocket
import Logging
import NIOCore

/// The context of a cloud-link upgrade request: only where it comes from. The device
/// proves who it is inside the link (``LinkHub``), never with a cookie or token.
public struct LinkContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The TCP peer, or behind a trusted proxy the client it names.
    public var source: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        self.source = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// The router that answers WebSocket upgrades: `GET /api/v1/link`, the cloud link.
/// Every other request goes to the platform's main router.
func buildLinkRouter(services: PlatformServices) -> Router<LinkContext> {
    let router = Router(context: LinkContext.self)
    let trusted = services.settings.trustedProxies
    router.ws("/api/v1/link") { _, _ in
        .upgrade([:])
    } onUpgrade: { inbound, outbound, context in
        var source = context.requestContext.source
        if !trusted.isEmpty, trusted.contains(source) {
            source =
                ClientAddressMiddleware.client(
                    forwarded: context.request.headers[HTTPField.Name("Forwarded")!],
                    forwardedFor: context.request.headers[HTTPField.Name("X-Forwarded-For")!], trusted: trusted) ?? source
        }
        await services.links.serve(inbound: inbound, outbound: outbound, remoteAddress: source)
    }
    return router
}
