import Foundation
public import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Prometheus
import ReclaimCore
import ServiceLifecycle

/// Builds the platform's HTTP application; `reclaim-server serve` runs it and the tests
/// call it too. The mail queue and reserved-e-mail recovery run as services beside the
/// HTTP server and stop with it, after finishing what they hold.
public func buildPlatformApplication(services: PlatformServices) -> some ApplicationProtocol {
    let (router, _) = buildPlatformRouter(services: services)
    return Application(
        router: router,
        // The cloud link is a WebSocket on the same port; a link that stops answering
        // pings within 30 seconds is closed, and its device shown offline.
        server: .http1WebSocketUpgrade(
            webSocketRouter: buildLinkRouter(services: services),
            configuration: .init(ws: .init(maxFrameSize: LinkMessage.maximumSize, autoPing: .enabled(timePeriod: .seconds(30))))),
        configuration: .init(address: .hostname(services.settings.host, port: services.settings.port), serverName: "reclaim-server"),
        services: services.backgroundServices,
        logger: services.logger)
}

/// The router and the table of its routes with who may call each (for the security test).
public func buildPlatformRouter(services: PlatformServices) -> (Router<PortalContext>, [RouteSpec]) {
    let router = Router(context: PortalContext.self)
    router.add(middleware: ClientAddressMiddleware(trusted: services.settings.trustedProxies))
    router.add(middleware: MetricsMiddleware(metrics: services.metrics))
    router.add(middleware: AccountMiddleware(accounts: services.accounts))
    var guarded = GuardedRouter(router: router, services: services)

    guarded.add(.get, "/health", .anyone) { _, _ in
        struct Health: Encodable {
            let status: String
            let database: String
            let schema: Int
        }
        do {
            try await services.database.check()
            let schema = try await Migrations.currentVersion(of: services.database)
            return APIResponse.json(Health(status: "ok", database: services.database.dialect.rawValue, schema: schema))
        } catch {
            return APIResponse.json(
                Health(status: "database unavailable", database: services.database.dialect.rawValue, schema: 0), status: .serviceUnavailable
            )
        }
    }
    guarded.add(.get, "/metrics", .monitoring) { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: services.metrics.registry.emitToString())))
    }
    guarded.add(.get, "/openapi.yaml", .anyone) { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
    }
    guarded.addAPIRoutes()
    guarded.addCaseRoutes()
    guarded.addDeviceRoutes()
    guarded.addOwnerRoutes()
    guarded.addPortalPages()
    guarded.addCompanyPages()
    guarded.addTicketPages()
    guarded.addCasePages()
    guarded.addOwnerPages()
    guarded.addOwnerAccessPages()
    guarded.add(.get, "/static/portal.js", .anyone) { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: PortalScript.text)))
    }
    return (router, guarded.specs)
}

/// The OpenAPI 3.1 document of the JSON API, shipped as a resource.
public enum OpenAPIDocument {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "openapi: 3.1.0\n" }
        return text
    }()
}
