import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// What the LAN tool asks of the platform server (`reclaim-server`).
public struct PlatformClient: Sendable {
    public let baseURL: String

    /// - Parameter url: the server's address, e.g. `https://reclaim.example.com`.
    public init(url: String) throws(LANError) {
        var base = url.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard let parsed = URL(string: base), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw LANError(.badInput, "\(url) is not a server address; give one like https://reclaim.example.com.")
        }
        if base.hasSuffix("/api/v1/recovery/email") { base.removeLast("/api/v1/recovery/email".count) }
        baseURL = base
    }

    /// Hands a reserved-e-mail challenge to the authority, which mails the verification
    /// code to the address sealed inside it. Returns the server's message.
    public func submitEmailChallenge(_ text: String) async throws(LANError) -> String {
        var request = HTTPClientRequest(url: baseURL + "/api/v1/recovery/email")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = (try? JSONSerialization.data(withJSONObject: ["challenge": text])) ?? Data()
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: UInt
        let answer: [String: Any]
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            status = response.status.code
            let bytes = try await response.body.collect(upTo: 64 * 1024)
            answer = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        } catch {
            throw LANError(.noAnswer, "The server at \(baseURL) did not answer (\(error)); check the address and your connection.")
        }
        guard status == 202 else {
            throw LANError(.failed, "The server refused the code: \(answer["detail"] as? String ?? "HTTP \(status)")")
        }
        return answer["message"] as? String ?? "Received."
    }
}
