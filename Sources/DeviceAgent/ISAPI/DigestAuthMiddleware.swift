import Foundation
import HTTPTypes
import Hummingbird
import ReclaimCore

/// Lets a request through only with valid HTTP Digest credentials for `admin`.
///
/// No credentials, Basic credentials and stale nonces get a 401 with a fresh challenge
/// and are not counted; wrong credentials are counted by the device's lock-out. There
/// is no other way in: no query parameter, header or cookie is ever taken as a
/// credential (`?auth=…` from old firmware authenticates nothing).
struct DigestAuthMiddleware: RouterMiddleware {
    typealias Context = DeviceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let device = context.device
        let authorization = Digest.Authorization(header: request.headers[.authorization])
        let uri = request.head.path ?? "/"
        let result = await device.authenticate(authorization, method: request.method.rawValue, uri: uri, source: context.source)
        if case .authenticated = result { return try await next(request, context) }
        let path = request.uri.path
        let isUserCheck = path.lowercased() == "/isapi/security/usercheck"
        switch result {
        case .authenticated:
            return try await next(request, context)
        case .challenge(let stale):
            return unauthorized(device: device, stale: stale, path: path, isUserCheck: isUserCheck, error: nil)
        case .notActivated:
            return unauthorized(
                device: device, stale: false, path: path, isUserCheck: isUserCheck,
                error: DeviceError(.notActivated, "The device is not activated: set the admin password with PUT /ISAPI/System/activate."))
        case .refused(let error), .locked(let error):
            return unauthorized(device: device, stale: false, path: path, isUserCheck: isUserCheck, error: error)
        case .badRequest:
            return ISAPI.xml(
                ISAPI.responseStatus(
                    path: path, statusCode: 4, statusString: "Invalid Operation", subStatusCode: "badURI",
                    message: "The Digest uri does not match the request."), status: .badRequest)
        }
    }

    func unauthorized(device: Device, stale: Bool, path: String, isUserCheck: Bool, error: DeviceError?) -> Response {
        var headers = HTTPFields()
        for value in Digest.challengeHeaders(
            realm: device.identity.realm, nonce: device.nonces.make(now: device.configuration.clock()), opaque: device.opaque,
            stale: stale)
        {
            headers.append(HTTPField(name: .wwwAuthenticate, value: value))
        }
        let fields = error.map(ISAPI.lockFields) ?? []
        let activated = error?.code != .notActivated
        let body: XMLElement
        if isUserCheck {
            body = ISAPI.document(
                "userCheck",
                [.leaf("statusValue", "401"), .leaf("statusString", "Unauthorized"), .leaf("isActivated", activated ? "true" : "false")]
                    + fields)
        } else if let error {
            body = ISAPI.refusal(error, path: path)
        } else {
            body = ISAPI.responseStatus(
                path: path, statusCode: 4, statusString: "Invalid Operation", subStatusCode: "badAuthorization",
                message: "Sign in with HTTP Digest as admin.")
        }
        return ISAPI.xml(body.document(), status: .unauthorized, headers: headers)
    }
}
