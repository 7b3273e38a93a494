import Foundation
import Hummingbird
import NIOCore
import ReclaimCore

/// Building ISAPI responses: XML documents in the device namespace, `ResponseStatus`
/// bodies, and the one place where a ``DeviceError`` becomes an HTTP status.
enum ISAPI {
    static let namespace = "http://www.hikvision.com/ver20/XMLSchema"

    /// A root element in the ISAPI namespace.
    static func document(_ name: String, _ children: [XMLElement]) -> XMLElement {
        XMLElement(name, attributes: ["version": "2.0", "xmlns": namespace], children: children)
    }

    static func xml(_ element: XMLElement, status: HTTPResponse.Status = .ok) -> Response {
        xml(element.document(), status: status)
    }

    static func xml(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/xml; charset=\"UTF-8\""
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=\"UTF-8\""], body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// `<ResponseStatus>` as real devices send it, with Reclaim's `errorMsg` saying what to do.
    static func responseStatus(
        path: String, statusCode: Int, statusString: String, subStatusCode: String, message: String? = nil, extra: [XMLElement] = []
    ) -> XMLElement {
        var children: [XMLElement] = [
            .leaf("requestURL", path), .leaf("statusCode", String(statusCode)), .leaf("statusString", statusString),
            .leaf("subStatusCode", subStatusCode),
        ]
        if let message { children.append(.leaf("errorMsg", message)) }
        return document("ResponseStatus", children + extra)
    }

    static func ok(path: String, extra: [XMLElement] = []) -> Response {
        xml(responseStatus(path: path, statusCode: 1, statusString: "OK", subStatusCode: "ok", extra: extra))
    }

    /// Lock-out fields real clients read: attempts left, or the lock and its remaining time.
    static func lockFields(_ error: DeviceError) -> [XMLElement] {
        if let lock = error.lock {
            let seconds = String(error.lockSecondsLeft ?? 1)
            return [
                .leaf("lockStatus", "lock"), .leaf("unlockTime", seconds), .leaf("resLockTime", seconds),
                .leaf("lockScope", lock.scope.rawValue), .leaf("retryTimes", "0"),
            ]
        }
        if let left = error.attemptsLeft {
            return [.leaf("lockStatus", "unlock"), .leaf("retryLoginTime", String(left)), .leaf("retryTimes", String(left))]
        }
        return []
    }
}

/// A ``DeviceError`` raised while answering an ISAPI request; rendered as `ResponseStatus`.
struct ISAPIError: HTTPResponseError {
    let error: DeviceError
    let path: String

    init(_ error: DeviceError, path: String) {
        self.error = error
        self.path = path
    }

    var status: HTTPResponse.Status {
        switch error.code {
        case .notActivated: .unauthorized
        case .passwordRule, .badRequest: .badRequest
        case .alreadyActivated, .wrongCredential, .locked, .modeUnavailable, .challengeExpired, .unknownChallenge: .forbidden
        case .storage: .internalServerError
        }
    }

    var subStatusCode: String {
        switch error.code {
        case .notActivated: "notActivated"
        case .alreadyActivated: "activated"
        case .passwordRule: "riskPassword"
        case .wrongCredential: "badAuthorization"
        case .locked: error.lock?.scope == .guidMode ? "guidModeLocked" : "userLocked"
        case .modeUnavailable: "notSupport"
        case .badRequest: "badXmlContent"
        case .challengeExpired: "challengeExpired"
        case .unknownChallenge: "challengeUnknown"
        case .storage: "deviceError"
        }
    }

    var statusCode: (Int, String) {
        switch error.code {
        case .storage: (3, "Device Error")
        case .badRequest, .passwordRule: (6, "Invalid Content")
        default: (4, "Invalid Operation")
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var extra = ISAPI.lockFields(error)
        if error.code == .notActivated { extra.append(.leaf("isActivated", "false")) }
        extra += error.violations.map { .leaf("passwordRule", $0.description) }
        let body = ISAPI.responseStatus(
            path: path, statusCode: statusCode.0, statusString: statusCode.1, subStatusCode: subStatusCode, message: error.reason,
            extra: extra)
        return ISAPI.xml(body, status: status)
    }
}

extension Request {
    /// The body as bytes, refusing more than `limit`.
    func bodyBytes(limit: Int = 64 * 1024) async throws -> [UInt8] {
        var buffer = try await body.collect(upTo: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// The body as an XML document, or a 400 that says why not.
    func xmlBody(path: String) async throws -> XMLElement {
        let bytes = try await bodyBytes()
        do {
            return try XML.parse(bytes)
        } catch {
            throw ISAPIError(DeviceError(.badRequest, error.reason), path: path)
        }
    }
}
