import Hummingbird
import ReclaimCore

/// `/SDK/activateStatus`: whether the device has an admin password yet.
struct ActivateStatusResource: ISAPIResource {
    static let path = "/SDK/activateStatus"
    static let needsSignIn = false

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in
            ISAPI.xml(ISAPI.document("ActivateStatus", [.leaf("Activated", await context.device.isActivated ? "true" : "false")]))
        }
        return routes
    }
}

/// `/ISAPI/Security/challenge`: starts a secret-transport exchange, so passwords travel sealed.
struct SecretExchangeResource: ISAPIResource {
    static let path = "/ISAPI/Security/challenge"
    static let needsSignIn = false

    /// `<PublicKey><key>BASE64 X25519 public key</key></PublicKey>`
    struct Body: ISAPIRequestBody {
        let clientKey: [UInt8]

        init(xml: XMLElement) throws(DeviceError) {
            guard let key = xml.value("key").flatMap({ Bytes.fromBase64($0) }) else {
                throw DeviceError(.badRequest, "Send <PublicKey><key>BASE64 X25519 public key</key></PublicKey>.")
            }
            clientKey = key
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.post { request, context in
            let body = try await request.decode(Body.self)
            let side = try await context.device.startExchange(clientPublicKey: body.clientKey, source: context.source)
            return ISAPI.xml(
                ISAPI.document(
                    "Challenge",
                    [.leaf("key", Bytes.base64(side.publicKey)), .leaf("exchangeID", side.id), .leaf("scheme", SecretTransport.scheme)]))
        }
        return routes
    }
}

/// `/ISAPI/System/activate`: the first admin password (F1).
struct ActivateResource: ISAPIResource {
    static let path = "/ISAPI/System/activate"
    static let needsSignIn = false

    /// `<ActivateInfo><password>…</password></ActivateInfo>`, the password plain or sealed.
    struct Body: ISAPIRequestBody {
        let password: SecretField
        init(xml: XMLElement) throws(DeviceError) { password = try SecretField(xml, "password") }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            try await context.device.activate(password: try await body.password.open(on: context), source: context.source)
            return ok
        }
        return routes
    }
}

/// `/ISAPI/Security/extern/capabilities`: which recovery modes the firmware has.
struct ExternCapabilitiesResource: ISAPIResource {
    static let path = "/ISAPI/Security/extern/capabilities"
    static let needsSignIn = false

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in ISAPI.xml(ISAPIDocuments.externCapabilities(await context.device.snapshot)) }
        return routes
    }
}
