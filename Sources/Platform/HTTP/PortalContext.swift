import Foundation
public import HTTPTypes
public import Hummingbird
import Logging
import NIOCore
import ReclaimCore
import WebSupport

/// The context of every platform request: where it comes from and who sent it.
public struct PortalContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's IP address: what per-source limits count by. The TCP peer, or behind a
    /// trusted proxy the client it names (``ClientAddressMiddleware``).
    public internal(set) var source: String
    /// The signed-in account, from the session cookie or an API token, if any. Routes that
    /// need one get a ``SignedIn`` instead, whose account is never missing.
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
    var actor: AuditActor { account?.actor ?? .visitor(source: source) }
}

/// A request from a signed-in account: what every route behind ``Access/signedIn`` or
/// ``Access/roles(_:)`` is handed, so no handler has to unwrap the account.
struct SignedIn: Sendable {
    let account: Account
    let context: PortalContext

    var actor: AuditActor { account.actor }
    var source: String { context.source }
    var parameters: Parameters { context.parameters }
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
    /// The operator's monitoring: with the metrics token (`metrics.token`), or without one
    /// from this machine only.
    case monitoring

    func allows(_ account: Account) -> Bool {
        switch self {
        case .anyone, .signedIn: true
        case .factory, .monitoring: false
        case .roles(let roles): roles.contains(account.role)
        }
    }
}

/// A route as the security tests see it.
public struct RouteSpec: Sendable, Equatable {
    public let method: HTTPRequest.Method
    public let path: String
    public let access: Access
    /// The kind of object the path names and the caller must be allowed to see (`company`),
    /// if any: the ownership test asks for another company's.
    public let owned: String?
}

/// An object a route's path names, and who may see it. A route declares one, and the
/// router finds the object and checks the caller before the handler runs; an object the
/// caller may not see answers exactly as one that does not exist (404), so its existence
/// does not leak.
struct OwnedObject<Object: Sendable>: Sendable {
    /// What the audit log and the tests call it.
    let kind: String
    /// The path parameter that holds its id.
    let parameter: String
    let find: @Sendable (String, PlatformServices) async throws -> Object?
    let isVisible: @Sendable (Object, Account) -> Bool
}

extension OwnedObject where Object == Company {
    /// An installer company: seen by its own members, by reviewers and by administrators.
    static let company = OwnedObject(
        kind: "company", parameter: "id", find: { id, services in try await services.accounts.company(id: id) },
        isVisible: { company, account in account.companyId == company.id || account.role == .reviewer || account.role == .admin })
}

/// Registers routes together with who may call them, enforces it before the handler runs,
/// and renders every error a handler throws, once: problem details on the API, an error
/// page on the portal (see `PlatformError+Surfaces.swift`).
struct GuardedRouter {
    let router: Router<PortalContext>
    let services: PlatformServices
    private(set) var specs: [RouteSpec] = []

    /// A route open to anyone (``Access/anyone``), or to the factory (``Access/factory``).
    mutating func add(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access,
        _ handler: @escaping @Sendable (Request, PortalContext) async throws -> Response
    ) {
        precondition(access == .anyone || access == .factory || access == .monitoring, "signed-in routes take a SignedIn handler")
        let services = services
        register(method, path, access, owned: nil) { request, context in
            let presented = request.headers[.authorization].flatMap(Self.bearer) ?? ""
            switch access {
            case .factory:
                guard Bytes.constantTimeEqual(presented, services.factoryToken) else {
                    throw PlatformError(.unauthorized, "Enrollment takes the factory token: Authorization: Bearer TOKEN.")
                }
            case .monitoring:
                if let token = services.settings.metricsToken {
                    guard Bytes.constantTimeEqual(presented, token) else {
                        throw PlatformError(.unauthorized, "Metrics take the metrics token: Authorization: Bearer TOKEN.")
                    }
                } else {
                    guard Self.isLoopback(context.source) else {
                        throw PlatformError(
                            .forbidden, "Metrics answer on this machine only; set metrics.token to read them from elsewhere.")
                    }
                }
            default:
                break
            }
            return try await handler(request, context)
        }
    }

    /// A route for signed-in accounts (``Access/signedIn`` or ``Access/roles(_:)``).
    mutating func add(
        _ method: HTTPRequest.Method, _ path: String, signedIn access: Access,
        _ handler: @escaping @Sendable (Request, SignedIn) async throws -> Response
    ) {
        register(method, path, access, owned: nil) { request, context in
            try await handler(request, try Self.signedIn(request, context, access))
        }
    }

    /// A route for signed-in accounts about one object its path names, which the caller
    /// must be allowed to see.
    mutating func add<Object>(
        _ method: HTTPRequest.Method, _ path: String, signedIn access: Access, owning object: OwnedObject<Object>,
        _ handler: @escaping @Sendable (Request, SignedIn, Object) async throws -> Response
    ) {
        let services = services
        register(method, path, access, owned: object.kind) { request, context in
            let caller = try Self.signedIn(request, context, access)
            let id = context.parameters.get(object.parameter) ?? ""
            guard let found = try await object.find(id, services), object.isVisible(found, caller.account) else {
                throw PlatformError(.notFound, "No \(object.kind) \(id) here.", localized: .init("error.notFound"))
            }
            return try await handler(request, caller, found)
        }
    }

    private mutating func register(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access, owned: String?,
        _ handler: @escaping @Sendable (Request, PortalContext) async throws -> Response
    ) {
        specs.append(RouteSpec(method: method, path: path, access: access, owned: owned))
        let services = services
        router.on(RouterPath(path), method: method) { request, context in
            do {
                return try await handler(request, context)
            } catch let redirect as SignInFirst {
                return redirect.response
            } catch {
                return Self.answer(error, to: request, context: context, services: services)
            }
        }
    }

    /// The caller as a ``SignedIn``, or the refusal: an API answers 401/403; a page sends a
    /// stranger to sign in and answers an account without the role with 403.
    static func signedIn(_ request: Request, _ context: PortalContext, _ access: Access) throws -> SignedIn {
        guard let account = context.account else {
            if isAPI(request) { throw PlatformError(.unauthorized, "Sign in first: send Authorization: Bearer with an API token.") }
            throw SignInFirst(path: request.uri.path)
        }
        guard access.allows(account) else {
            throw PlatformError(
                .forbidden, "Your account (\(account.role.rawValue)) may not do this.", localized: .init("page.forbidden"))
        }
        return SignedIn(account: account, context: context)
    }

    /// The one place a platform error becomes an answer.
    static func answer(_ error: any Error, to request: Request, context: PortalContext, services: PlatformServices) -> Response {
        let failure = PlatformFailure(error)
        if failure.httpStatus.code >= 500 {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
        }
        if isAPI(request) { return APIResponse.problem(failure) }
        return PortalPage(request: request, context: context, services: services).page.failure(failure)
    }

    static func isAPI(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasPrefix("/api/") || path == "/health" || path == "/metrics"
    }

    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}

/// A page that needs a signed-in account, asked for by a stranger: off to sign in, and back.
struct SignInFirst: Error {
    let path: String

    var response: Response {
        Response(
            status: .seeOther,
            headers: [.location: "/signin?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")])
    }
}

/// Behind a reverse proxy every request comes from the proxy; the client is in the
/// `Forwarded` (RFC 7239) or `X-Forwarded-For` header the proxy adds. Those headers are
/// believed only from a peer listed in `http.trusted-proxies`; from anyone else they are
/// ignored, or a client could pick the address its attempts are counted against.
struct ClientAddressMiddleware: RouterMiddleware {
    let trusted: Set<String>

    func handle(
        _ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response
    ) async throws -> Response {
        guard !trusted.isEmpty, trusted.contains(context.source) else { return try await next(request, context) }
        var context = context
        context.source =
            Self.client(
                forwarded: request.headers[HTTPField.Name("Forwarded")!], forwardedFor: request.headers[HTTPField.Name("X-Forwarded-For")!],
                trusted: trusted) ?? context.source
        return try await next(request, context)
    }

    /// The nearest address in the chain that is not a trusted proxy: proxies append, so the
    /// chain is read from the right, and anything left of the first untrusted hop is the
    /// client's own claim.
    static func client(forwarded: String?, forwardedFor: String?, trusted: Set<String>) -> String? {
        var chain: [String] = []
        if let forwarded {
            for element in forwarded.split(separator: ",") {
                for pair in element.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, parts[0].lowercased() == "for" else { continue }
                    var value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    if value.hasPrefix("["), let end = value.firstIndex(of: "]") {
                        value = String(value[value.index(after: value.startIndex)..<end])
                    } else if value.filter({ $0 == ":" }).count == 1 {
                        value = String(value.split(separator: ":")[0])
                    }
                    chain.append(value)
                }
            }
        } else if let forwardedFor {
            chain = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return chain.reversed().first { !trusted.contains($0) && !$0.isEmpty }
    }
}

/// Finds the account behind a request: an API token (`Authorization: Bearer rct_…`) or a
/// session cookie. Neither is an error here; the route's `Access` decides.
struct AccountMiddleware: RouterMiddleware {
    let accounts: Accounts
    static let sessionCookie = "reclaim_portal"

    /// The session cookie signs in pages, and API reads (the desk shows a case's photo);
    /// an API call that changes something takes a token, never the cookie, so no other
    /// site's form can make a signed-in browser do it (portal forms carry CSRF tokens).
    static func cookieMaySignIn(_ request: Request) -> Bool {
        !request.uri.path.hasPrefix("/api/") || request.method == .get || request.method == .head
    }

    func handle(
        _ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization], let token = GuardedRouter.bearer(header), token.hasPrefix("rct_") {
            context.account = try await accounts.account(apiToken: token)
        } else if let token = request.cookies[Self.sessionCookie]?.value, Self.cookieMaySignIn(request) {
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

    /// A failure as `application/problem+json` (RFC 9457), with `Retry-After` when it says when.
    static func problem(_ failure: PlatformFailure) -> Response {
        var response = json(failure.problemDetails, status: failure.httpStatus)
        response.headers[.contentType] = "application/problem+json; charset=utf-8"
        if let retryAfter = failure.retryAfter {
            response.headers[.retryAfter] = "\(max(1, Int(retryAfter.timeIntervalSinceNow.rounded(.up))))"
        }
        return response
    }
}
