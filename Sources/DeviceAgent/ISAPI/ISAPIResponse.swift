import Foundation
import Hummingbird
import NIOCore
import ReclaimCore

/// Building ISAPI responses: XML documents in the device namespace and `ResponseStatus`
/// bodies. How a refusal maps to a status is said once, in `DeviceError+Surfaces.swift`.
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

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
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

    /// A refusal as `ResponseStatus`, with the lock-out fields and the broken password rules.
    static func refusal(_ error: DeviceError, path: String) -> XMLElement {
        var extra = lockFields(error)
        if error.code == .notActivated { extra.append(.leaf("isActivated", "false")) }
        extra += error.violations.map { .leaf("passwordRule", $0.description) }
        let status = error.code.isapiStatus
        return responseStatus(
            path: path, statusCode: status.code, statusString: status.text, subStatusCode: error.isapiSubStatus, message: error.reason,
            extra: extra)
    }

    /// A refusal as the JSON that JSON-speaking ISAPI resources answer with.
    struct JSONStatus: Encodable {
        let requestURL: String
        let statusCode: Int
        let statusString: String
        let subStatusCode: String
        var errorMsg: String?
        var retryTimes: Int?

        static func ok(_ path: String) -> JSONStatus {
            JSONStatus(requestURL: path, statusCode: 1, statusString: "OK", subStatusCode: "ok")
        }

        init(requestURL: String, statusCode: Int, statusString: String, subStatusCode: String) {
            self.requestURL = requestURL
            self.statusCode = statusCode
            self.statusString = statusString
            self.subStatusCode = subStatusCode
        }

        init(_ error: DeviceError, path: String) {
            let status = error.code.isapiStatus
            self.init(requestURL: path, statusCode: status.code, statusString: status.text, subStatusCode: error.isapiSubStatus)
            errorMsg = error.reason
            retryTimes = error.attemptsLeft
        }
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

/// A request body an ISAPI resource takes, read from its XML into typed values; a body
/// that lacks what the resource needs is a `badRequest` that says what to send.
protocol ISAPIRequestBody: Sendable {
    init(xml: XMLElement) throws(DeviceError)
}

extension XMLElement {
    /// The whole number in child `name`, if there is one; a value that is not a whole
    /// number, or lies outside `range`, is a `badRequest` that names the range.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(DeviceError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw DeviceError(.badRequest, "<\(name)> takes a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return number
    }
}

extension Request {
    /// The body as bytes, refusing more than `limit`.
    func bodyBytes(limit: Int = 64 * 1024) async throws -> [UInt8] {
        var buffer = try await body.collect(upTo: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// The body as an XML document, or a 400 that says why not.
    func xmlBody() async throws -> XMLElement {
        let bytes = try await bodyBytes()
        do {
            return try XML.parse(bytes)
        } catch {
            throw DeviceError(.badRequest, error.reason)
        }
    }

    /// The body read as `T`.
    func decode<T: ISAPIRequestBody>(_ type: T.Type) async throws -> T {
        try T(xml: try await xmlBody())
    }
}

/// A secret in a request body: a password or answer, plain or sealed with ``SecretTransport``
/// (`<password encryption="reclaim-x25519-chachapoly" exchangeID="…">BASE64</password>`).
struct SecretField: Sendable {
    enum Form: Sendable {
        case plain(String)
        case sealed(exchangeID: String, ciphertext: [UInt8])
    }

    let form: Form

    /// Reads child `name` of `body`; a missing one is a `badRequest` naming it.
    init(_ body: XMLElement, _ name: String) throws(DeviceError) {
        guard let element = body.child(name) else { throw DeviceError(.badRequest, "The request has no <\(name)>.") }
        guard let scheme = element.attributes["encryption"] else {
            form = .plain(element.text)
            return
        }
        guard scheme == SecretTransport.scheme, let id = element.attributes["exchangeID"], let sealed = Bytes.fromBase64(element.text)
        else {
            throw DeviceError(.badRequest, "<\(name)> is sealed with an unknown scheme; use \(SecretTransport.scheme).")
        }
        form = .sealed(exchangeID: id, ciphertext: sealed)
    }

    /// The secret in the clear, opening it with the exchange the caller started if it was sealed.
    func open(on context: DeviceRequestContext) async throws(DeviceError) -> String {
        switch form {
        case .plain(let text): text
        case .sealed(let id, let ciphertext): try await context.device.openSealed(ciphertext, exchangeID: id, source: context.source)
        }
    }
}

/// The child element `name` of a request body, or a 400 that says what to send.
func required(_ body: XMLElement, _ name: String, _ hint: String) throws(DeviceError) -> XMLElement {
    guard let element = body.child(name) else { throw DeviceError(.badRequest, hint) }
    return element
}
