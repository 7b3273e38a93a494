import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// A support case as `reclaim case` reads it from the platform.
public struct CaseSummary: Sendable, Codable, Equatable {
    public struct Review: Sendable, Codable, Equatable {
        public let reason: String
        public let expectedBy: Date?
    }

    public let id: String
    public let state: String
    public let channel: String
    public let serial: String
    public let model: String
    public let result: String
    public let createdAt: Date
    public let review: Review?
    public let rejectReason: String?
    public let rejectText: String?
    public let closeReason: String?
    public let resultExpiresAt: Date?
    public let resetKey: String?
    public let resetFile: String?

    /// Decided: the key or file is ready, or the case is rejected or closed.
    public var isDecided: Bool { state != "in-progress" }
    /// Waiting for a person on the reviewer desk.
    public var awaitsReview: Bool { state == "in-progress" && review != nil }
}

/// Support cases on the platform, with an API token (`Authorization: Bearer rct_…`).
public struct CaseClient: Sendable {
    public let platform: PlatformClient
    let token: String

    public init(platform: PlatformClient, token: String) {
        self.platform = platform
        self.token = token.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What identifies the device: its challenge's text, or a picture of its QR code.
    public enum Challenge: Sendable {
        case text(String)
        case qrPicture([UInt8])
    }

    public func open(channel: String, challenge: Challenge, photo: [UInt8]) async throws(LANError) -> CaseSummary {
        var fields = ["channel": channel, "acknowledged": "true"]
        var files = ["photo": photo]
        switch challenge {
        case .text(let text): fields["challenge"] = text
        case .qrPicture(let bytes): files["qr"] = bytes
        }
        let boundary = "reclaim-" + UUID().uuidString
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, bytes) in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(name)\"\r\n\r\n".utf8))
            body.append(contentsOf: bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let bytes = try await send(.POST, "/api/v1/cases", body: body, type: "multipart/form-data; boundary=\(boundary)", expect: 201)
        return try decode(bytes)
    }

    public func status(_ id: String) async throws(LANError) -> CaseSummary {
        try decode(try await send(.GET, "/api/v1/cases/\(Self.escaped(id))"))
    }

    public func list(state: String?) async throws(LANError) -> [CaseSummary] {
        struct Page: Decodable { let cases: [CaseSummary] }
        let query = state.map { "?perPage=100&state=\(Self.escaped($0))" } ?? "?perPage=100"
        let page: Page = try decode(try await send(.GET, "/api/v1/cases" + query))
        return page.cases
    }

    public func resetFile(_ id: String) async throws(LANError) -> [UInt8] {
        try await send(.GET, "/api/v1/cases/\(Self.escaped(id))/reset-file")
    }

    public func close(_ id: String) async throws(LANError) -> CaseSummary {
        try decode(try await send(.POST, "/api/v1/cases/\(Self.escaped(id))/close"))
    }

    static func escaped(_ part: String) -> String {
        part.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "_-"))) ?? part
    }

    private func decode<T: Decodable>(_ bytes: [UInt8]) throws(LANError) -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(bytes))
        } catch {
            throw LANError(.failed, "The server at \(platform.baseURL) answered with something that is not a case; is it a Reclaim server?")
        }
    }

    private func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, type: String? = nil, expect: UInt = 200)
        async throws(LANError) -> [UInt8]
    {
        var request = HTTPClientRequest(url: platform.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let type { request.headers.add(name: "Content-Type", value: type) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let status: UInt
        let bytes: [UInt8]
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            status = response.status.code
            bytes = Array(try await response.body.collect(upTo: 16 * 1024 * 1024).readableBytesView)
        } catch {
            throw LANError(.noAnswer, "The server at \(platform.baseURL) did not answer (\(error)); check the address and your connection.")
        }
        guard status == expect else {
            let problem = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
            let detail = problem?["detail"] as? String ?? "HTTP \(status)"
            if status == 401 { throw LANError(.failed, "The server refused the token: \(detail) Make a new one in the portal.") }
            throw LANError(.failed, detail)
        }
        return bytes
    }
}
