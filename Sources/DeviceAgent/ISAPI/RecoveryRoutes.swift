import Foundation
import Hummingbird
import ReclaimCore

/// The "forgot password" API: no sign-in, every attempt counted by the lock-out.
/// Documented in docs/device-api.md.
func addRecoveryRoutes(to router: Router<DeviceRequestContext>) {
    router.get("/ISAPI/Security/recovery/modes") { _, context in
        ISAPI.xml(await context.device.recoveryModesDocument())
    }

    router.get("/ISAPI/Security/recovery/questions") { _, context in
        let questions = await context.device.configuredQuestions
        return ISAPI.xml(
            ISAPI.document(
                "SecurityQuestion",
                [
                    XMLElement(
                        "QuestionList",
                        children: questions.map { question in
                            XMLElement(
                                "Question",
                                children: [
                                    .leaf("id", String(question.id)), .leaf("question", question.english),
                                    .leaf("questionIT", question.italian),
                                ])
                        })
                ]))
    }

    router.post("/ISAPI/Security/recovery/challenge") { request, context in
        let path = "/ISAPI/Security/recovery/challenge"
        let body = try await request.xmlBody(path: path)
        guard let purpose = body.value("purpose").flatMap(ChallengePurpose.init(name:)) else {
            throw ISAPIError(
                DeviceError(.badRequest, "Send <purpose>supportCase</purpose> or <purpose>reservedEmail</purpose>."), path: path)
        }
        do throws(DeviceError) {
            let pending = try await context.device.issueChallenge(purpose: purpose, source: context.source)
            return ISAPI.xml(
                ISAPI.document(
                    "RecoveryChallenge",
                    [
                        .leaf("purpose", purpose.name), .leaf("text", pending.text),
                        .leaf("issuedAt", pending.content.issuedAt.formatted(.iso8601)),
                        .leaf("expiresAt", pending.content.expiresAt.formatted(.iso8601)),
                    ]))
        } catch {
            throw ISAPIError(error, path: path)
        }
    }

    addRecoveryRoute(router, "/ISAPI/Security/recovery/guid") { body, newPassword, context in
        let file = try required(body, "GUIDFile", "Send the GUID file's content, escaped, in <GUIDFile>.")
        try await context.device.recover(guidFile: Array(file.text.utf8), newPassword: newPassword, source: context.source)
    }

    addRecoveryRoute(router, "/ISAPI/Security/questionCertification") { body, newPassword, context in
        var answers: [Int: String] = [:]
        for question in body.child("QuestionList")?.children(named: "Question") ?? [] {
            if let id = question.int("id") { answers[id] = question.child("answer")?.text ?? "" }
        }
        try await context.device.recover(answers: answers, newPassword: newPassword, source: context.source)
    }

    for (name, kind) in [("emailCode", RecoveryCode.Kind.verificationCode), ("resetKey", RecoveryCode.Kind.resetKey)] {
        let element = kind == .resetKey ? "resetKey" : "verificationCode"
        addRecoveryRoute(router, "/ISAPI/Security/recovery/\(name)") { body, newPassword, context in
            let code = try required(body, element, "Send the code in <\(element)>.")
            try await context.device.recover(code: code.text, kind: kind, newPassword: newPassword, source: context.source)
        }
    }

    addRecoveryRoute(router, "/ISAPI/Security/recovery/resetFile") { body, newPassword, context in
        let file = try required(body, "ResetFileData", "Send the reset file's content, escaped, in <ResetFileData>.")
        try await context.device.recover(resetFile: Array(file.text.utf8), newPassword: newPassword, source: context.source)
    }
}

/// A recovery route: reads the XML body and its `newPassword` (plain or sealed), runs
/// `attempt`, and answers OK or the device's refusal.
func addRecoveryRoute(
    _ router: Router<DeviceRequestContext>, _ path: String,
    _ attempt: @escaping @Sendable (XMLElement, String, DeviceRequestContext) async throws -> Void
) {
    router.post(RouterPath(path)) { request, context in
        let body = try await request.xmlBody(path: path)
        let newPassword = try await secret(body, "newPassword", context: context, path: path)
        try await perform(path) { try await attempt(body, newPassword, context) }
        return ISAPI.ok(path: path)
    }
}

/// The child element `name` of a request body, or a 400 that says what to send.
func required(_ body: XMLElement, _ name: String, _ hint: String) throws(DeviceError) -> XMLElement {
    guard let element = body.child(name) else { throw DeviceError(.badRequest, hint) }
    return element
}
