import Foundation
import Hummingbird
import ReclaimCore

/// The "forgot password" resources: no sign-in, every attempt counted by the lock-out.
/// Documented in docs/device-api.md.

/// `/ISAPI/Security/recovery/modes`: which modes the device supports and which are set up.
struct RecoveryModesResource: ISAPIResource {
    static let path = "/ISAPI/Security/recovery/modes"
    static let needsSignIn = false

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in ISAPI.xml(ISAPIDocuments.recoveryModes(await context.device.snapshot)) }
        return routes
    }
}

/// `/ISAPI/Security/recovery/questions`: the configured questions, to answer.
struct RecoveryQuestionsResource: ISAPIResource {
    static let path = "/ISAPI/Security/recovery/questions"
    static let needsSignIn = false

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in
            let questions = await context.device.configuredQuestions
            return ISAPI.xml(
                ISAPI.document(
                    "SecurityQuestion",
                    [ISAPIDocuments.questionList(questions) { [.leaf("question", $0.english), .leaf("questionIT", $0.italian)] }]))
        }
        return routes
    }
}

/// `/ISAPI/Security/recovery/challenge`: a new challenge, sealed for the authority (the QR code's text).
struct RecoveryChallengeResource: ISAPIResource {
    static let path = "/ISAPI/Security/recovery/challenge"
    static let needsSignIn = false

    /// `<RecoveryChallenge><purpose>supportCase|reservedEmail</purpose></RecoveryChallenge>`
    struct Body: ISAPIRequestBody {
        let purpose: ChallengePurpose

        init(xml: XMLElement) throws(DeviceError) {
            guard let purpose = xml.value("purpose").flatMap(ChallengePurpose.init(name:)) else {
                throw DeviceError(.badRequest, "Send <purpose>supportCase</purpose> or <purpose>reservedEmail</purpose>.")
            }
            self.purpose = purpose
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.post { request, context in
            let body = try await request.decode(Body.self)
            let pending = try await context.device.issueChallenge(purpose: body.purpose, source: context.source)
            return ISAPI.xml(
                ISAPI.document(
                    "RecoveryChallenge",
                    [
                        .leaf("purpose", body.purpose.name), .leaf("text", pending.text),
                        .leaf("issuedAt", pending.content.issuedAt.formatted(.iso8601)),
                        .leaf("expiresAt", pending.content.expiresAt.formatted(.iso8601)),
                    ]))
        }
        return routes
    }
}

/// A recovery resource: a proof of some kind and a new password (plain or sealed) in;
/// `ResponseStatus` OK or the device's refusal out.
protocol RecoveryResource: ISAPIResource {
    associatedtype Proof: Sendable
    /// Reads the proof from the request body, or says what to send.
    static func proof(in body: XMLElement) throws(DeviceError) -> Proof
    /// Presents the proof to the device with the new password.
    static func recover(_ proof: Proof, newPassword: String, context: DeviceRequestContext) async throws(DeviceError)
}

extension RecoveryResource {
    static var needsSignIn: Bool { false }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.post { request, context in
            let body = try await request.xmlBody()
            let newPassword = try SecretField(body, "newPassword")
            let proof = try proof(in: body)
            try await recover(proof, newPassword: try await newPassword.open(on: context), context: context)
            return ok
        }
        return routes
    }
}

/// `/ISAPI/Security/recovery/guid`: the GUID file (F2).
struct GUIDRecoveryResource: RecoveryResource {
    static let path = "/ISAPI/Security/recovery/guid"

    static func proof(in body: XMLElement) throws(DeviceError) -> [UInt8] {
        Array(try required(body, "GUIDFile", "Send the GUID file's content, escaped, in <GUIDFile>.").text.utf8)
    }

    static func recover(_ file: [UInt8], newPassword: String, context: DeviceRequestContext) async throws(DeviceError) {
        try await context.device.recover(guidFile: file, newPassword: newPassword, source: context.source)
    }
}

/// `/ISAPI/Security/questionCertification`: the answers to the security questions (F3).
struct QuestionCertificationResource: RecoveryResource {
    static let path = "/ISAPI/Security/questionCertification"

    static func proof(in body: XMLElement) throws(DeviceError) -> [Int: String] {
        var answers: [Int: String] = [:]
        for question in body.child("QuestionList")?.children(named: "Question") ?? [] {
            if let id = question.int("id") { answers[id] = question.child("answer")?.text ?? "" }
        }
        return answers
    }

    static func recover(_ answers: [Int: String], newPassword: String, context: DeviceRequestContext) async throws(DeviceError) {
        try await context.device.recover(answers: answers, newPassword: newPassword, source: context.source)
    }
}

/// A recovery resource whose proof is a typed code: a verification code or a reset key.
protocol CodeRecoveryResource: RecoveryResource where Proof == String {
    static var kind: RecoveryCode.Kind { get }
    /// The element that carries the code.
    static var element: String { get }
}

extension CodeRecoveryResource {
    static func proof(in body: XMLElement) throws(DeviceError) -> String {
        try required(body, element, "Send the code in <\(element)>.").text
    }

    static func recover(_ code: String, newPassword: String, context: DeviceRequestContext) async throws(DeviceError) {
        try await context.device.recover(code: code, kind: kind, newPassword: newPassword, source: context.source)
    }
}

/// `/ISAPI/Security/recovery/emailCode`: the verification code mailed to the reserved address (F4).
struct EmailCodeRecoveryResource: CodeRecoveryResource {
    static let path = "/ISAPI/Security/recovery/emailCode"
    static let kind = RecoveryCode.Kind.verificationCode
    static let element = "verificationCode"
}

/// `/ISAPI/Security/recovery/resetKey`: the reset key of a support case (F5, F6).
struct ResetKeyRecoveryResource: CodeRecoveryResource {
    static let path = "/ISAPI/Security/recovery/resetKey"
    static let kind = RecoveryCode.Kind.resetKey
    static let element = "resetKey"
}

/// `/ISAPI/Security/recovery/resetFile`: the reset file of a support case (F5, F6).
struct ResetFileRecoveryResource: RecoveryResource {
    static let path = "/ISAPI/Security/recovery/resetFile"

    static func proof(in body: XMLElement) throws(DeviceError) -> [UInt8] {
        Array(try required(body, "ResetFileData", "Send the reset file's content, escaped, in <ResetFileData>.").text.utf8)
    }

    static func recover(_ file: [UInt8], newPassword: String, context: DeviceRequestContext) async throws(DeviceError) {
        try await context.device.recover(resetFile: file, newPassword: newPassword, source: context.source)
    }
}
