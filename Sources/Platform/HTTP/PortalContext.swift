import Foundation
import Logging
public import Hummingbird
import HTTPTypes
import NIOCore
import ReclaimCore

/// The context of every platform request: where it comes from and who sent it.
public struct PortalContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's IP address: what per-source limits count by.
    public let source: String
    /// The signed-in account, from the session cookie or an API token.
    public var account: Account?
    /// The session cookie's token, when the account came from one.
    public var sessionToken: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        self.source = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Pictures of QR codes are the largest thing anyone sends: a phone photo.
    public var maxUploadSize: Int { 12 * 1024 * 1024 }

    /// How the audit log names whoever sent this request.
    var actor: String { account?.actor ?? "public:\(source)" }
}

/// Who may call a route. Every route is registered with one, and the security test calls
/// every route as every role and as nobody, checking the answer against it.
public enum Access: Sendable, Equatable {
    /// Anyone, signed in or not.
    case anyone
    /// The factory, with its enrollment token.
    case factory
    /// Any signed-in account.
    case signedIn
    /// Signed-in accounts with one of these roles.
    case roles(Set<Role>)

    func allows(_ account: Account?) -> Bool {
        switch self {
        case .anyone: true
        case .factory: false
        case .signedIn: account != nil
        case .roles(let roles): account.map { roles.contains($0.role) } ?? false
        }
    }
}

/// A route as the security test sees it.
public struct RouteSpec: Sendable, Equatable {
    public let method: HTTPRequest.Method
    public let path: String
    public let access: Access
}

/// Registers routes together with who may call them, and enforces it before the handler runs.
struct GuardedRouter {
    let router: Router<PortalContext>
    let services: PlatformServices
    private(set) var specs: [RouteSpec] = []

    mutating func add(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access,
        _ handler: @escaping @Sendable (Request, PortalContext) async throws -> Response
    ) {
        specs.append(RouteSpec(method: method, path: path, access: access))
        let services = services
        let isAPI = path.hasPrefix("/api/")
        router.on(RouterPath(path), method: method) { request, context in
            switch access {
            case .anyone:
                break
            case .factory:
                let presented = request.headers[.authorization].flatMap(Self.bearer) ?? ""
                guard Bytes.constantTimeEqual(presented, services.factoryToken) else {
                    return APIResponse.error(.unauthorized, "Enrollment takes the factory token: Authorization: Bearer TOKEN.")
                }
            case .signedIn, .roles:
                guard let account = context.account else {
                    return isAPI
                        ? APIResponse.error(.unauthorized, "Sign in first: send Authorization: Bearer with an API token.")
                        : Response(status: .seeOther, headers: [.location: "/signin?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")])
                }
                guard access.allows(account) else {
                    return isAPI
                        ? APIResponse.error(.forbidden, "Your account (\(account.role.rawValue)) may not do this.")
                        : PortalPage.forbidden(request: request, context: context)
                }
            }
            return try await handler(request, context)
        }
    }

    static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}

/// Finds the account behind a request: an API token (`Authorization: Bearer rct_…`) or a
/// session cookie. Neither is an error here; the route's `Access` decides.
struct AccountMiddleware: RouterMiddleware {
    let accounts: Accounts
    static let sessionCookie = "reclaim_portal"

    func handle(
        _ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization], let token = GuardedRouter.bearer(header), token.hasPrefix("rct_") {
            context.account = try await accounts.account(apiToken: token)
        } else if let token = request.cookies[Self.sessionCookie]?.value {
            context.account = try await accounts.account(session: token)
            if context.account != nil { context.sessionToken = token }
        }
        return try await next(request, context)
    }
}

/// Counts every answer by route for `/metrics` and logs one line per request.
struct MetricsMiddleware: RouterMiddleware {
    let metrics: PlatformMetrics

    func handle(
        _ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: context.endpointPath ?? "unmatched", status: status, duration: ContinuousClock.now - start)
            throw error
        }
        let elapsed = ContinuousClock.now - start
        metrics.record(route: context.endpointPath ?? "unmatched", status: response.status.code, duration: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "route": "\(context.endpointPath ?? request.uri.path)", "status": "\(response.status.code)",
                "ms": "\(elapsed.components.attoseconds / 1_000_000_000_000_000 + elapsed.components.seconds * 1000)",
                "source": "\(context.source)",
            ])
        return response
    }
}

/// JSON answers of the API.
enum APIResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct ErrorBody: Encodable {
        let error: String
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(ErrorBody(error: message), status: status)
    }
}
