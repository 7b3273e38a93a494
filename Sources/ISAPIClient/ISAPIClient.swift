public import AsyncHTTPClient
public import Foundation
import NIOConcurrencyHelpers
public import NIOCore
public import NIOHTTP1
public import ReclaimCore

/// A client of a device's ISAPI API, speaking HTTP Digest as real devices require.
///
/// It keeps the last Digest challenge and counts nonce uses, so after the first
/// request every call is one round trip; a stale nonce is answered by retrying once.
public final class ISAPIClient: Sendable {
    public let baseURL: String
    public let user: String
    let password: NIOLockedValueBox<String?>
    let httpClient: HTTPClient
    let digest = NIOLockedValueBox<(challenge: Digest.Challenge, count: Int)?>(nil)
    public let timeout: TimeAmount

    /// - Parameters:
    ///   - baseURL: `http://host:port`, without a trailing slash.
    ///   - password: the admin password; nil for the calls that need none.
    public init(
        baseURL: String, user: String = "admin", password: String?, httpClient: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)
    ) {
        self.baseURL = baseURL
        self.user = user
        self.password = NIOLockedValueBox(password)
        self.httpClient = httpClient
        self.timeout = timeout
    }

    /// Uses `password` from now on (after an activation or a reset).
    public func setPassword(_ password: String?) {
        self.password.withLockedValue { $0 = password }
        digest.withLockedValue { $0 = nil }
    }

    /// A device's answer.
    public struct Reply: Sendable {
        public let status: HTTPResponseStatus
        public let headers: HTTPHeaders
        public let body: [UInt8]

        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as XML, if it is XML.
        public var xml: XMLElement? { try? XML.parse(body) }
        /// `errorMsg` of a `ResponseStatus` body: what the device says to do.
        public var errorMessage: String? { xml?.value("errorMsg") }
        public var subStatusCode: String? { xml?.value("subStatusCode") }

        public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    public func get(_ path: String) async throws -> Reply {
        try await send(.GET, path)
    }

    public func put(_ path: String, xml: XMLElement) async throws -> Reply {
        try await send(.PUT, path, body: Array(xml.document().utf8), contentType: "application/xml")
    }

    public func post(_ path: String, xml: XMLElement) async throws -> Reply {
        try await send(.POST, path, body: Array(xml.document().utf8), contentType: "application/xml")
    }

    /// Sends a request, authenticating with Digest when the device asks for it.
    public func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = nil) async throws -> Reply {
        let authorization = nextAuthorization(method, path)
        let reply = try await perform(method, path, body: body, contentType: contentType, authorization: authorization)
        guard reply.status == .unauthorized, password.withLockedValue({ $0 }) != nil,
            let challenge = reply.headers["WWW-Authenticate"].compactMap(Digest.Challenge.init(header:)).first
        else { return reply }
        digest.withLockedValue { $0 = (challenge, 0) }
        // A refusal the device counted (it reports attempts left or a lock) means the
        // password is wrong: retrying would only count another failure.
        let counted = reply.xml.map { $0.first(named: "retryTimes") != nil || $0.first(named: "lockStatus") != nil } ?? false
        guard authorization == nil || challenge.stale || !counted else { return reply }
        return try await perform(method, path, body: body, contentType: contentType, authorization: nextAuthorization(method, path))
    }

    /// The `Authorization` value for the next request, answering the last challenge
    /// with the next nonce count; nil before the device has sent a challenge.
    public func authorizationHeader(method: HTTPMethod, path: String) -> String? {
        nextAuthorization(method, path)
    }

    func nextAuthorization(_ method: HTTPMethod, _ path: String) -> String? {
        guard let password = password.withLockedValue({ $0 }) else { return nil }
        return digest.withLockedValue { state -> String? in
            guard var current = state else { return nil }
            current.count += 1
            state = current
            return current.challenge.credentials(
                user: user, password: password, method: method.rawValue, uri: path, nonceCount: current.count
            )
            .headerValue
        }
    }

    func perform(_ method: HTTPMethod, _ path: String, body: [UInt8]?, contentType: String?, authorization: String?) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await httpClient.execute(request, timeout: timeout)
        var buffer = try await response.body.collect(upTo: 4 * 1024 * 1024)
        return Reply(status: response.status, headers: response.headers, body: buffer.readBytes(length: buffer.readableBytes) ?? [])
    }
}
