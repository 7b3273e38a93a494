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

    router.post("/ISAPI/Security/recovery/guid") { request, context in
        let path = "/ISAPI/Security/recovery/guid"
        let body = try await request.xmlBody(path: path)
        let newPassword = try await secret(body, "newPassword", context: context, path: path)
        guard let file = body.child("GUIDFile") else {
            throw ISAPIError(DeviceError(.badRequest, "Send the GUID file's content, escaped, in <GUIDFile>."), path: path)
        }
        return try await recovered(path: path, context: context) {
            try await context.device.recover(guidFile: Array(file.text.utf8), newPassword: newPassword, source: context.source)
        }
    }

    router.post("/ISAPI/Security/questionCertification") { request, context in
        let path = "/ISAPI/Security/questionCertification"
        let body = try await request.xmlBody(path: path)
        let newPassword = try await secret(body, "newPassword", context: context, path: path)
        var answers: [Int: String] = [:]
        for question in body.child("QuestionList")?.children(named: "Question") ?? [] {
            if let id = question.int("id") { answers[id] = question.child("answer")?.text ?? "" }
        }
        return try await recovered(path: path, context: context) {
            try await context.device.recover(answers: answers, newPassword: newPassword, source: context.source)
        }
    }

    for (name, kind, element) in [
        ("emailCode", RecoveryCode.Kind.verificationCode, "verificationCode"), ("resetKey", RecoveryCode.Kind.resetKey, "resetKey"),
    ] {
        let path = "/ISAPI/Security/recovery/\(name)"
        router.post(RouterPath(path)) { request, context in
            let body = try await request.xmlBody(path: path)
            let newPassword = try await secret(body, "newPassword", context: context, path: path)
            guard let code = body.value(element) else {
                throw ISAPIError(DeviceError(.badRequest, "Send the code in <\(element)>."), path: path)
            }
            return try await recovered(path: path, context: context) {
                try await context.device.recover(code: code, kind: kind, newPassword: newPassword, source: context.source)
            }
        }
    }

    router.post("/ISAPI/Security/recovery/resetFile") { request, context in
        let path = "/ISAPI/Security/recovery/resetFile"
        let body = try await request.xmlBody(path: path)
        let newPassword = try await secret(body, "newPassword", context: context, path: path)
        guard let file = body.child("ResetFileData") else {
            throw ISAPIError(DeviceError(.badRequest, "Send the reset file's content, escaped, in <ResetFileData>."), path: path)
        }
        return try await recovered(path: path, context: context) {
            try await context.device.recover(resetFile: Array(file.text.utf8), newPassword: newPassword, source: context.source)
        }
    }
}

func recovered(path: String, context: DeviceRequestContext, _ attempt: () async throws -> Void) async throws -> Response {
    try await perform(path, attempt)
    return ISAPI.ok(path: path)
}
