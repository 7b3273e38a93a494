import Foundation
import Hummingbird
import ReclaimCore

/// The admin account, the lock-out and the recovery set-up, for a signed-in admin.

/// `/ISAPI/Security/users`: the one user, admin.
struct UsersResource: ISAPIResource {
    static let path = "/ISAPI/Security/users"

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, _ in ISAPI.xml(ISAPIDocuments.users()) }
        return routes
    }
}

/// `/ISAPI/Security/users/1`: changing admin's password, with the current one.
struct AdminUserResource: ISAPIResource {
    static let path = "/ISAPI/Security/users/1"

    /// `<User><userName>admin</userName><password>new</password><loginPassword>current</loginPassword></User>`
    struct Body: ISAPIRequestBody {
        let new: SecretField
        let current: SecretField

        init(xml: XMLElement) throws(DeviceError) {
            if let user = xml.value("userName"), user != AdminAccount.userName {
                throw DeviceError(.badRequest, "User 1 is admin; its name cannot change.")
            }
            new = try SecretField(xml, "password")
            guard xml.child("loginPassword") != nil else {
                throw DeviceError(.badRequest, "Send the current password as <loginPassword> to change it.")
            }
            current = try SecretField(xml, "loginPassword")
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            let device = context.device
            let new = try await body.new.open(on: context)
            let current = try await body.current.open(on: context)
            try await device.changePassword(current: current, new: new, source: context.source)
            return ok
        }
        return routes
    }
}

/// `/ISAPI/Security/userCheck`: whether the password is a default or a risky one.
struct UserCheckResource: ISAPIResource {
    static let path = "/ISAPI/Security/userCheck"

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in
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
        return routes
    }
}

/// `/ISAPI/Security/capabilities`: the password policy and the recovery features.
struct SecurityCapabilitiesResource: ISAPIResource {
    static let path = "/ISAPI/Security/capabilities"

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in ISAPI.xml(ISAPIDocuments.securityCapabilities(context.device.identity)) }
        return routes
    }
}

/// `/ISAPI/Security/illegalLoginLock`: the lock-out limits; tunable, never off.
struct IllegalLoginLockResource: ISAPIResource {
    static let path = "/ISAPI/Security/illegalLoginLock"

    /// `<IllegalLoginLock><maxIllegalLoginTimes>…</maxIllegalLoginTimes>…</IllegalLoginLock>`
    struct Body: ISAPIRequestBody {
        let maxFailuresPerSource: Int?
        let maxFailuresPerDevice: Int?
        let lockDuration: TimeInterval?

        init(xml: XMLElement) throws(DeviceError) {
            if xml.bool("enabled") == false {
                throw DeviceError(.badRequest, "Lock-out cannot be switched off on this device; raise maxIllegalLoginTimes instead.")
            }
            let limits = LockoutSettings.failureLimits, durations = LockoutSettings.durationLimits
            maxFailuresPerSource = try xml.integer("maxIllegalLoginTimes", in: limits)
            maxFailuresPerDevice = try xml.integer("maxIllegalLoginTimesPerDevice", in: limits)
            lockDuration = try xml.integer("maxIllegalLoginLockTime", in: Int(durations.lowerBound)...Int(durations.upperBound))
                .map(TimeInterval.init)
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in ISAPI.xml(ISAPIDocuments.illegalLoginLock(await context.device.snapshot)) }
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            try await context.device.setLockoutSettings(
                maxFailuresPerSource: body.maxFailuresPerSource, maxFailuresPerDevice: body.maxFailuresPerDevice,
                lockDuration: body.lockDuration)
            return ok
        }
        return routes
    }
}

/// `/ISAPI/Security/questionConfiguration`: the three security questions (F3 set-up).
struct QuestionConfigurationResource: ISAPIResource {
    static let path = "/ISAPI/Security/questionConfiguration"

    /// `<SecurityQuestion><QuestionList><Question><id/><answer/></Question>…</QuestionList><password/></SecurityQuestion>`
    struct Body: ISAPIRequestBody {
        let password: SecretField
        let choices: [SecurityQuestions.Choice]

        init(xml: XMLElement) throws(DeviceError) {
            password = try SecretField(xml, "password")
            choices = (xml.child("QuestionList")?.children(named: "Question") ?? []).map { question in
                SecurityQuestions.Choice(questionID: question.int("id") ?? 0, answer: question.child("answer")?.text ?? "")
            }
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in
            let questions = await context.device.configuredQuestions
            return ISAPI.xml(
                ISAPI.document(
                    "SecurityQuestion",
                    [
                        .leaf("configured", questions.isEmpty ? "false" : "true"),
                        ISAPIDocuments.questionList(questions) { [.leaf("question", $0.english), .leaf("mark", "true")] },
                    ]))
        }
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            let password = try await body.password.open(on: context)
            try await context.device.setSecurityQuestions(body.choices, password: password, source: context.source)
            return ok
        }
        return routes
    }
}

/// `/ISAPI/Security/GUIDFileData`: exports a new GUID file (F2 set-up).
///
/// A GUID file resets the password, so Digest sign-in is not enough: the admin password
/// is asked again, and when it comes sealed (a secret-transport exchange) the file goes
/// back sealed under the same exchange, so it never crosses the network in the clear.
struct GUIDFileDataResource: ISAPIResource {
    static let path = "/ISAPI/Security/GUIDFileData"

    /// `<GUIDFileExport><password>…</password></GUIDFileExport>`, the password plain or sealed.
    struct Body: ISAPIRequestBody {
        let password: SecretField
        init(xml: XMLElement) throws(DeviceError) { password = try SecretField(xml, "password") }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, _ -> Response in
            throw DeviceError(
                .badRequest,
                "Exporting a GUID file takes the admin password again: POST <GUIDFileExport><password>…</password></GUIDFileExport>, sealed to get the file back sealed."
            )
        }
        routes.post { request, context in
            let body = try await request.decode(Body.self)
            let device = context.device
            let password: String
            var exchange: SecretTransport.DeviceSide?
            switch body.password.form {
            case .plain(let text):
                password = text
            case .sealed(let id, let ciphertext):
                guard let side = await device.takeExchange(id, source: context.source) else {
                    throw DeviceError(.badRequest, "The password was sealed for an exchange this device no longer knows; start a new one.")
                }
                do throws(ReclaimError) {
                    password = try side.open(ciphertext)
                } catch {
                    throw DeviceError(.badRequest, error.reason)
                }
                exchange = side
            }
            try await device.verifyPassword(password, source: context.source)
            let file = try await device.exportGUID()
            guard let exchange else {
                return ISAPI.xml(file.xml, headers: [.contentDisposition: "attachment; filename=\"\(file.suggestedFileName)\""])
            }
            let sealed = exchange.sealReply(file.xml)
            return ISAPI.xml(
                ISAPI.document(
                    "GUIDFileData",
                    [
                        .leaf("fileName", file.suggestedFileName),
                        XMLElement(
                            "GUIDFile", attributes: ["encryption": SecretTransport.scheme, "exchangeID": exchange.id],
                            children: [], text: Bytes.base64(sealed)),
                    ]))
        }
        return routes
    }
}

/// `/ISAPI/Security/securityEmail`: the reserved e-mail address (F4 set-up), in JSON as
/// real devices speak it.
struct SecurityEmailResource: ISAPIResource {
    static let path = "/ISAPI/Security/securityEmail"

    /// `{"SecurityEmail": {"SecurityInformation": [{"emailAddress": "…"}], "password": "…"}}`
    struct Body: Codable {
        struct SecurityEmail: Codable {
            struct Information: Codable {
                var emailAddress: String?
            }

            var SecurityInformation: [Information]?
            var password: String?
        }

        var SecurityEmail: SecurityEmail
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in
            let address = await context.device.recoverySetup.reservedEmail
            return ISAPI.json(
                Body(SecurityEmail: .init(SecurityInformation: address.map { [.init(emailAddress: $0)] } ?? [], password: nil)))
        }
        routes.put { request, context in
            do throws(DeviceError) {
                let bytes = (try? await request.bodyBytes()) ?? []
                guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)), let password = body.SecurityEmail.password else {
                    throw DeviceError(
                        .badRequest,
                        "Send {\"SecurityEmail\":{\"SecurityInformation\":[{\"emailAddress\":\"…\"}],\"password\":\"admin password\"}}.")
                }
                let address = body.SecurityEmail.SecurityInformation?.first?.emailAddress
                try await context.device.setReservedEmail(address, password: password, source: context.source)
                return ISAPI.json(ISAPI.JSONStatus.ok(path))
            } catch {
                return ISAPI.json(ISAPI.JSONStatus(error, path: request.uri.path), status: error.httpStatus)
            }
        }
        return routes
    }
}

/// `/ISAPI/Security/recovery/configuration`: how long exported challenges stay valid.
struct RecoveryConfigurationResource: ISAPIResource {
    static let path = "/ISAPI/Security/recovery/configuration"

    /// `<RecoveryConfiguration><challengeLifetime>seconds</challengeLifetime></RecoveryConfiguration>`
    struct Body: ISAPIRequestBody {
        let lifetime: TimeInterval

        init(xml: XMLElement) throws(DeviceError) {
            guard let lifetime = try xml.integer("challengeLifetime", in: DeviceMachine.challengeLifetimes) else {
                throw DeviceError(.badRequest, "Send <challengeLifetime> in seconds.")
            }
            self.lifetime = TimeInterval(lifetime)
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in
            let lifetime = await context.device.settings.challengeLifetime
            return ISAPI.xml(ISAPI.document("RecoveryConfiguration", [.leaf("challengeLifetime", String(Int(lifetime)))]))
        }
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            try await context.device.setChallengeLifetime(body.lifetime)
            return ok
        }
        return routes
    }
}
