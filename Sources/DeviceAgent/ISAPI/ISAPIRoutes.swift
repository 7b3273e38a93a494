import Foundation
public import Hummingbird
import NIOCore
import ReclaimCore

/// The router every device shares: the ISAPI API, the recovery routes and the web page.
/// Paths are matched without regard to case, as real devices do.
public func buildDeviceRouter() -> Router<DeviceRequestContext> {
    let router = Router(context: DeviceRequestContext.self, options: [.caseInsensitive])
    addPublicISAPIRoutes(to: router)
    addRecoveryRoutes(to: router)
    addAuthenticatedISAPIRoutes(to: router.group().add(middleware: DigestAuthMiddleware()))
    addWebRoutes(to: router)
    return router
}

/// What works without signing in: activation state, activation, and the secret-transport exchange.
func addPublicISAPIRoutes(to router: Router<DeviceRequestContext>) {
    router.get("/SDK/activateStatus") { _, context in
        ISAPI.xml(ISAPI.document("ActivateStatus", [.leaf("Activated", await context.device.isActivated ? "true" : "false")]))
    }

    router.post("/ISAPI/Security/challenge") { request, context in
        let path = "/ISAPI/Security/challenge"
        let body = try await request.xmlBody(path: path)
        guard let key = body.value("key").flatMap({ Bytes.fromBase64($0) }) else {
            throw ISAPIError(DeviceError(.badRequest, "Send <PublicKey><key>BASE64 X25519 public key</key></PublicKey>."), path: path)
        }
        do throws(ReclaimError) {
            let side = try await context.device.startExchange(clientPublicKey: key)
            return ISAPI.xml(
                ISAPI.document(
                    "Challenge",
                    [.leaf("key", Bytes.base64(side.publicKey)), .leaf("exchangeID", side.id), .leaf("scheme", SecretTransport.scheme)]))
        } catch {
            throw ISAPIError(DeviceError(.badRequest, error.reason), path: path)
        }
    }

    router.put("/ISAPI/System/activate") { request, context in
        let path = "/ISAPI/System/activate"
        let body = try await request.xmlBody(path: path)
        let password = try await secret(body, "password", context: context, path: path)
        try await perform(path) {
            try await context.device.activate(password: password, source: context.source)
        }
        return ISAPI.ok(path: path)
    }

    router.get("/ISAPI/Security/extern/capabilities") { _, context in
        ISAPI.xml(await context.device.externCapabilities())
    }
}

/// Reads a password element, plain or sealed with ``SecretTransport``
/// (`<password encryption="reclaim-x25519-chachapoly" exchangeID="…">BASE64</password>`).
func secret(_ body: XMLElement, _ name: String, context: DeviceRequestContext, path: String) async throws -> String {
    guard let element = body.child(name) else {
        throw ISAPIError(DeviceError(.badRequest, "The request has no <\(name)>."), path: path)
    }
    guard let scheme = element.attributes["encryption"] else { return element.text }
    guard scheme == SecretTransport.scheme, let id = element.attributes["exchangeID"],
        let sealed = Bytes.fromBase64(element.text)
    else {
        throw ISAPIError(DeviceError(.badRequest, "<\(name)> is sealed with an unknown scheme; use \(SecretTransport.scheme)."), path: path)
    }
    return try await perform(path) {
        try await context.device.openSealed(sealed, exchangeID: id)
    }
}

/// What a signed-in admin (HTTP Digest) can read and change.
func addAuthenticatedISAPIRoutes(to router: RouterGroup<DeviceRequestContext>) {
    router.get("/ISAPI/System/deviceInfo") { _, context in
        if let cached = context.device.cachedDeviceInfoDocument { return ISAPI.xml(cached) }
        return ISAPI.xml(await context.device.deviceInfoDocument())
    }
    router.put("/ISAPI/System/deviceInfo") { request, context in
        let path = "/ISAPI/System/deviceInfo"
        let body = try await request.xmlBody(path: path)
        guard let name = body.value("deviceName"), !name.isEmpty, name.count <= 64 else {
            throw ISAPIError(DeviceError(.badRequest, "Send a <deviceName> of 1 to 64 characters."), path: path)
        }
        try await settings(context, path: path) { $0.deviceName = name }
        return ISAPI.ok(path: path)
    }
    router.get("/ISAPI/System/status") { _, context in ISAPI.xml(await context.device.statusDocument()) }
    router.get("/ISAPI/System/time") { _, context in ISAPI.xml(await context.device.timeDocument()) }
    router.put("/ISAPI/System/time") { request, context in
        let path = "/ISAPI/System/time"
        let body = try await request.xmlBody(path: path)
        guard let zone = body.value("timeZone"), zone.count <= 32, !zone.isEmpty else {
            throw ISAPIError(DeviceError(.badRequest, "Send a <timeZone> such as CST-1:00:00."), path: path)
        }
        try await settings(context, path: path) { $0.timeZone = zone }
        return ISAPI.ok(path: path)
    }
    router.get("/ISAPI/Event/triggers") { _, context in ISAPI.xml(context.device.triggersDocument()) }

    let motionPath = "/ISAPI/System/Video/inputs/channels/1/motionDetection"
    router.get(RouterPath(motionPath)) { _, context in ISAPI.xml(await context.device.motionDetectionDocument()) }
    router.put(RouterPath(motionPath)) { request, context in
        let body = try await request.xmlBody(path: motionPath)
        let enabled = body.bool("enabled")
        let sensitivity = body.first(named: "sensitivityLevel").flatMap { Int($0.text.trimmingCharacters(in: .whitespaces)) }
        guard enabled != nil || sensitivity != nil, (sensitivity ?? 50) >= 0, (sensitivity ?? 50) <= 100 else {
            throw ISAPIError(
                DeviceError(.badRequest, "Send <enabled>true|false</enabled> and/or a <sensitivityLevel> of 0–100."), path: motionPath)
        }
        try await settings(context, path: motionPath) { settings in
            if let enabled { settings.motionDetectionEnabled = enabled }
            if let sensitivity { settings.motionSensitivity = sensitivity }
        }
        return ISAPI.ok(path: motionPath)
    }

    router.get("/ISAPI/Security/users") { _, context in ISAPI.xml(context.device.usersDocument()) }
    router.put("/ISAPI/Security/users/1") { request, context in
        let path = "/ISAPI/Security/users/1"
        let body = try await request.xmlBody(path: path)
        if let user = body.value("userName"), user != AdminAccount.userName {
            throw ISAPIError(DeviceError(.badRequest, "User 1 is admin; its name cannot change."), path: path)
        }
        let new = try await secret(body, "password", context: context, path: path)
        guard body.child("loginPassword") != nil else {
            throw ISAPIError(DeviceError(.badRequest, "Send the current password as <loginPassword> to change it."), path: path)
        }
        let current = try await secret(body, "loginPassword", context: context, path: path)
        try await perform(path) {
            try await context.device.changePassword(current: current, new: new, source: context.source)
        }
        return ISAPI.ok(path: path)
    }
    router.get("/ISAPI/Security/userCheck") { _, context in
        let strength = await context.device.admin?.strength
        return ISAPI.xml(
            ISAPI.document(
                "userCheck",
                [
                    .leaf("statusValue", "200"), .leaf("statusString", "OK"), .leaf("isDefaultPassword", "false"),
                    .leaf("isRiskPassword", strength == .weak ? "true" : "false"), .leaf("isActivated", "true"),
                    // Reclaim: the strength class judged when the password was set, for the hardening check.
                    .leaf("passwordStrength", strength?.rawValue ?? "unknown"),
                ]))
    }

    let upnpPath = "/ISAPI/System/Network/UPnP"
    router.get(RouterPath(upnpPath)) { _, context in
        ISAPI.xml(ISAPI.document("UPnP", [.leaf("enabled", await context.device.settings.upnpEnabled ? "true" : "false")]))
    }
    router.put(RouterPath(upnpPath)) { request, context in
        let body = try await request.xmlBody(path: upnpPath)
        guard let enabled = body.bool("enabled") else {
            throw ISAPIError(DeviceError(.badRequest, "Send <UPnP><enabled>true|false</enabled></UPnP>."), path: upnpPath)
        }
        try await settings(context, path: upnpPath) { $0.upnpEnabled = enabled }
        return ISAPI.ok(path: upnpPath)
    }

    router.get("/ISAPI/Security/capabilities") { _, context in ISAPI.xml(context.device.securityCapabilities()) }

    router.get("/ISAPI/Security/illegalLoginLock") { _, context in ISAPI.xml(await context.device.illegalLoginLockDocument()) }
    router.put("/ISAPI/Security/illegalLoginLock") { request, context in
        let path = "/ISAPI/Security/illegalLoginLock"
        let body = try await request.xmlBody(path: path)
        if body.bool("enabled") == false {
            throw ISAPIError(
                DeviceError(.badRequest, "Lock-out cannot be switched off on this device; raise maxIllegalLoginTimes instead."), path: path)
        }
        try await perform(path) {
            try await context.device.setLockoutSettings(
                maxFailuresPerSource: body.int("maxIllegalLoginTimes"), maxFailuresPerDevice: body.int("maxIllegalLoginTimesPerDevice"),
                lockDuration: body.int("maxIllegalLoginLockTime").map(TimeInterval.init))
        }
        return ISAPI.ok(path: path)
    }

    router.get("/ISAPI/Security/questionConfiguration") { _, context in
        let questions = await context.device.configuredQuestions
        return ISAPI.xml(
            ISAPI.document(
                "SecurityQuestion",
                [
                    .leaf("configured", questions.isEmpty ? "false" : "true"),
                    XMLElement(
                        "QuestionList",
                        children: questions.map { question in
                            XMLElement(
                                "Question",
                                children: [.leaf("id", String(question.id)), .leaf("question", question.english), .leaf("mark", "true")])
                        }),
                ]))
    }
    router.put("/ISAPI/Security/questionConfiguration") { request, context in
        let path = "/ISAPI/Security/questionConfiguration"
        let body = try await request.xmlBody(path: path)
        let password = try await secret(body, "password", context: context, path: path)
        let choices = (body.child("QuestionList")?.children(named: "Question") ?? []).map { question in
            SecurityQuestions.Choice(questionID: question.int("id") ?? 0, answer: question.child("answer")?.text ?? "")
        }
        try await perform(path) {
            try await context.device.setSecurityQuestions(choices, password: password, source: context.source)
        }
        return ISAPI.ok(path: path)
    }

    router.get("/ISAPI/Security/GUIDFileData") { _, context in
        let path = "/ISAPI/Security/GUIDFileData"
        let file = try await perform(path) { try await context.device.exportGUID() }
        return ISAPI.xml(file.xml, headers: [.contentDisposition: "attachment; filename=\"\(file.suggestedFileName)\""])
    }

    router.get("/ISAPI/Security/securityEmail") { _, context in
        let address = await context.device.recoverySetup.reservedEmail
        return ISAPI.json(["SecurityEmail": ["SecurityInformation": address.map { [["emailAddress": $0]] } ?? []]])
    }
    router.put("/ISAPI/Security/securityEmail") { request, context in
        let path = "/ISAPI/Security/securityEmail"
        let bytes = try await request.bodyBytes()
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let email = object["SecurityEmail"] as? [String: Any], let password = email["password"] as? String
        else {
            return ISAPI.json(
                jsonStatus(
                    path: path,
                    DeviceError(
                        .badRequest,
                        "Send {\"SecurityEmail\":{\"SecurityInformation\":[{\"emailAddress\":\"…\"}],\"password\":\"admin password\"}}.")),
                status: .badRequest)
        }
        let address = ((email["SecurityInformation"] as? [[String: Any]])?.first?["emailAddress"] as? String)
        do throws(DeviceError) {
            try await context.device.setReservedEmail(address, password: password, source: context.source)
        } catch {
            let rendered = ISAPIError(error, path: path)
            return ISAPI.json(jsonStatus(path: path, error), status: rendered.status)
        }
        return ISAPI.json(["requestURL": path, "statusCode": 1, "statusString": "OK", "subStatusCode": "ok"])
    }

    router.get("/ISAPI/Security/recovery/configuration") { _, context in
        let lifetime = await context.device.settings.challengeLifetime
        return ISAPI.xml(ISAPI.document("RecoveryConfiguration", [.leaf("challengeLifetime", String(Int(lifetime)))]))
    }
    router.put("/ISAPI/Security/recovery/configuration") { request, context in
        let path = "/ISAPI/Security/recovery/configuration"
        let body = try await request.xmlBody(path: path)
        guard let lifetime = body.int("challengeLifetime") else {
            throw ISAPIError(DeviceError(.badRequest, "Send <challengeLifetime> in seconds."), path: path)
        }
        try await perform(path) {
            try await context.device.setChallengeLifetime(TimeInterval(lifetime))
        }
        return ISAPI.ok(path: path)
    }
}

/// A JSON error body with the same fields as `ResponseStatus`.
func jsonStatus(path: String, _ error: DeviceError) -> [String: Any] {
    let rendered = ISAPIError(error, path: path)
    var object: [String: Any] = [
        "requestURL": path, "statusCode": rendered.statusCode.0, "statusString": rendered.statusCode.1,
        "subStatusCode": rendered.subStatusCode, "errorMsg": error.reason,
    ]
    if let left = error.attemptsLeft { object["retryTimes"] = left }
    return object
}

func settings(_ context: DeviceRequestContext, path: String, _ change: @escaping @Sendable (inout DeviceSettings) -> Void) async throws {
    try await perform(path) { try await context.device.updateSettings(change) }
}

/// Runs a device operation, turning its refusal into an ISAPI error response.
func perform<T>(_ path: String, _ operation: () async throws -> T) async throws -> T {
    do {
        return try await operation()
    } catch let error as DeviceError {
        throw ISAPIError(error, path: path)
    }
}
