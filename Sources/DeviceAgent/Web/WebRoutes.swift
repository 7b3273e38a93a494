import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReclaimCore
import ReclaimQR
import WebSupport

/// The device web page at `/`: activation, sign-in, "forgot password" with every mode
/// the device supports, and recovery set-up once signed in. English and Italian.
///
/// Forms carry a CSRF token that must match a `SameSite=Strict`, `HttpOnly` cookie;
/// sign-in sessions live in another such cookie and end when the password changes.
func addWebRoutes(to router: Router<DeviceRequestContext>) {
    router.get("/") { request, context in
        let page = await WebPage(request: request, context: context)
        return await page.home()
    }
    router.post("/activate") { request, context in try await WebPage(request: request, context: context).activate() }
    router.post("/signin") { request, context in try await WebPage(request: request, context: context).signIn() }
    router.post("/signout") { request, context in try await WebPage(request: request, context: context).signOut() }

    router.get("/forgot") { request, context in await WebPage(request: request, context: context).forgot() }
    router.get("/forgot/guid") { request, context in await WebPage(request: request, context: context).forgotGUID() }
    router.post("/forgot/guid") { request, context in try await WebPage(request: request, context: context).recoverWithGUID() }
    router.get("/forgot/questions") { request, context in await WebPage(request: request, context: context).forgotQuestions() }
    router.post("/forgot/questions") { request, context in try await WebPage(request: request, context: context).recoverWithAnswers() }
    router.get("/forgot/email") { request, context in await WebPage(request: request, context: context).forgotEmail() }
    router.post("/forgot/email/qr") { request, context in try await WebPage(request: request, context: context).emailChallenge() }
    router.post("/forgot/email") { request, context in try await WebPage(request: request, context: context).recoverWithEmailCode() }
    router.get("/forgot/support") { request, context in await WebPage(request: request, context: context).forgotSupport() }
    router.post("/forgot/support/qr") { request, context in try await WebPage(request: request, context: context).supportChallenge() }
    router.post("/forgot/support/key") { request, context in try await WebPage(request: request, context: context).recoverWithKey() }
    router.post("/forgot/support/file") { request, context in try await WebPage(request: request, context: context).recoverWithFile() }

    router.post("/setup/guid") { request, context in try await WebPage(request: request, context: context).exportGUID() }
    router.post("/setup/questions") { request, context in try await WebPage(request: request, context: context).saveQuestions() }
    router.post("/setup/email") { request, context in try await WebPage(request: request, context: context).saveEmail() }
    router.post("/setup/password") { request, context in try await WebPage(request: request, context: context).changePassword() }
    router.post("/setup/lockout") { request, context in try await WebPage(request: request, context: context).saveLockout() }
}

/// One request to the web page: its language, its CSRF token, its session.
struct WebPage {
    static let sessionCookie = "reclaim_session"

    let request: Request
    let device: Device
    let source: String
    let language: Language
    /// Set when the request chose a language with `?lang=`; saved in a cookie.
    let chosenLanguage: Language?
    let csrf: String
    let csrfIsNew: Bool
    let session: WebSession?

    init(request: Request, context: DeviceRequestContext) async {
        self.request = request
        self.device = context.device
        self.source = context.source
        let pageLanguage = PageLanguage(request: request)
        language = pageLanguage.language
        chosenLanguage = pageLanguage.chosen
        let token = CSRFToken(request: request)
        csrf = token.value
        csrfIsNew = token.isNew
        if let token = request.cookies[Self.sessionCookie]?.value {
            session = await context.device.session(token)
        } else {
            session = nil
        }
    }

    func t(_ key: String, _ values: [String: String] = [:]) -> String { WebStrings.text(key, language, values) }

    // MARK: Rendering

    func render(
        _ template: String, title: String, here: String, status: HTTPResponse.Status = .ok, error: String? = nil,
        notice: String? = nil, _ values: [String: Any] = [:]
    ) -> Response {
        let identity = device.identity
        var context: [String: Any] = [
            "t": WebStrings.table(language), "lang": language.rawValue, "title": title, "here": here, "csrf": csrf,
            "model": identity.modelName, "serial": identity.serial.text,
            "rules": t("passwordRules", ["rules": identity.passwordPolicy.summary(language: language)]),
        ]
        if let error { context["error"] = error }
        if let notice { context["notice"] = notice }
        context.merge(values) { _, new in new }
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: WebTemplates.render(template, context))))
        decorate(&response)
        return response
    }

    /// Cookies and headers every page answer carries.
    func decorate(_ response: inout Response) {
        if csrfIsNew { response.setCookie(CSRFToken.cookie(csrf)) }
        if let chosenLanguage {
            response.setCookie(
                Cookie(name: PageLanguage.cookieName, value: chosenLanguage.rawValue, path: "/", httpOnly: true, sameSite: .strict))
        }
        PageHeaders.apply(to: &response)
    }

    func redirect(_ location: String, setting cookie: Cookie? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        decorate(&response)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// The form, if its CSRF token matches the cookie.
    func form() async throws -> SubmittedForm? {
        let form = try await SubmittedForm.read(request, limit: 64 * 1024)
        guard !csrfIsNew, Bytes.constantTimeEqual(Array(form["csrf"].utf8), Array(csrf.utf8)) else { return nil }
        return form
    }

    func message(_ error: DeviceError) -> String { WebStrings.message(for: error, language: language) }

    func status(of error: DeviceError) -> HTTPResponse.Status {
        switch error.code {
        case .wrongCredential, .locked: .forbidden
        case .storage: .internalServerError
        default: .badRequest
        }
    }

    // MARK: Home, activation, sign-in

    func home(error: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        guard await device.isActivated else {
            return render("activate", title: t("activateTitle"), here: "/", status: status, error: error)
        }
        guard session != nil else {
            let done = request.uri.queryParameters["done"].map(String.init)
            let notice = notice ?? (done == "recovered" ? t("successText") : done == "passwordChanged" ? t("successTitle") : nil)
            return render("signin", title: t("signInTitle"), here: "/", status: status, error: error, notice: notice)
        }
        return await dashboard(error: error, notice: notice, status: status)
    }

    func dashboard(error: String?, notice: String?, status: HTTPResponse.Status) async -> Response {
        let identity = device.identity
        let setup = await device.recoverySetup
        let settings = await device.settings
        let configured = (setup.questions ?? []).map(\.questionID)
        let slots: [[String: Any]] = (1...SecurityQuestions.requiredCount).map { slot in
            let chosen = configured.count >= slot ? configured[slot - 1] : slot
            return [
                "slot": slot, "label": t("questionN", ["n": String(slot)]),
                "options": SecurityQuestions.catalogue.map { question in
                    ["id": question.id, "text": question.text(language), "selected": question.id == chosen] as [String: Any]
                },
            ]
        }
        let done = request.uri.queryParameters["done"].map(String.init)
        let notice =
            notice
            ?? (done == "activated" ? t("activatedText") : done == "saved" ? t("saved") : nil)
        return render(
            "home", title: identity.modelName, here: "/", status: status, error: error, notice: notice,
            [
                "firmware": identity.firmware.displayString, "mac": identity.mac.description,
                "guidState": setup.guid.map { t("guidExported", ["time": $0.exportedAt.formatted(.iso8601)]) } ?? t("guidNone"),
                "questionsState": setup.questions == nil ? t("notConfigured") : t("configured"),
                "questionSlots": slots,
                "emailSupported": identity.authority != nil,
                "emailState": setup.reservedEmail == nil ? t("notConfigured") : t("configured"),
                "email": setup.reservedEmail ?? "",
                "maxFailures": settings.lockout.maxFailuresPerSource,
                "lockMinutes": Int(settings.lockout.lockDuration / 60),
            ])
    }

    func activate() async throws -> Response {
        guard let form = try await form() else { return await home(error: t("errForm"), status: .forbidden) }
        guard form["password"] == form["confirm"] else { return await home(error: t("errMismatch"), status: .badRequest) }
        do {
            try await device.activate(password: form["password"], source: source)
        } catch {
            return await home(error: message(error), status: status(of: error))
        }
        // Activation signs the admin in, so the page can go straight to recovery set-up.
        guard let session = await device.openSession() else { return redirect("/") }
        return redirect("/?done=activated", setting: sessionCookie(session))
    }

    func sessionCookie(_ session: WebSession) -> Cookie {
        Cookie(name: Self.sessionCookie, value: session.token, path: "/", httpOnly: true, sameSite: .strict)
    }

    func signIn() async throws -> Response {
        guard let form = try await form() else { return await home(error: t("errForm"), status: .forbidden) }
        do {
            try await device.verifyPassword(form["password"], source: source)
        } catch {
            return await home(error: message(error), status: status(of: error))
        }
        guard let session = await device.openSession() else { return redirect("/") }
        return redirect("/", setting: sessionCookie(session))
    }

    func signOut() async throws -> Response {
        if try await form() != nil, let session { await device.closeSession(session.token) }
        return redirect("/", setting: Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
    }

    // MARK: Forgot password

    func forgot() async -> Response {
        guard await device.isActivated else { return redirect("/") }
        let modes = await device.recoveryModes
        let email = await device.maskedReservedEmail ?? ""
        func entry(_ id: String, _ name: String, _ help: String, _ href: String, _ mode: RecoveryModes.Mode) -> [String: Any] {
            let supported = modes.supported.contains(mode)
            let ready = modes.ready.contains(mode)
            return [
                "id": id, "name": name, "href": href, "ready": ready,
                "help": ready ? help : supported ? t("notReady") : t("notSupported"),
            ]
        }
        var entries = [
            entry("guid", t("modeGuidFile"), t("modeGuidFileHelp"), "/forgot/guid", .guidFile),
            entry("questions", t("modeSecurityQuestions"), t("modeSecurityQuestionsHelp"), "/forgot/questions", .securityQuestions),
        ]
        if modes.supported.contains(.reservedEmail) {
            entries.append(
                entry("email", t("modeReservedEmail"), t("modeReservedEmailHelp", ["email": email]), "/forgot/email", .reservedEmail))
            entries.append(entry("support", t("modeSupport"), t("modeSupportHelp"), "/forgot/support", .supportKey))
        }
        return render("forgot", title: t("forgotTitle"), here: "/forgot", ["modes": entries])
    }

    /// The page of one mode, or the mode list when that mode isn't ready.
    func modePage(
        _ mode: RecoveryModes.Mode, template: String, title: String, here: String, status: HTTPResponse.Status = .ok,
        error: String? = nil, _ values: [String: Any] = [:]
    ) async -> Response {
        guard await device.isActivated, await device.recoveryModes.ready.contains(mode) else { return redirect("/forgot") }
        return render(template, title: title, here: here, status: status, error: error, values)
    }

    func forgotGUID(error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        await modePage(.guidFile, template: "forgot-guid", title: t("modeGuidFile"), here: "/forgot/guid", status: status, error: error)
    }

    func forgotQuestions(error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        let questions = await device.configuredQuestions.map { ["id": $0.id, "text": $0.text(language)] as [String: Any] }
        return await modePage(
            .securityQuestions, template: "forgot-questions", title: t("modeSecurityQuestions"), here: "/forgot/questions", status: status,
            error: error, ["questions": questions])
    }

    func forgotEmail(challenge: PendingChallenge? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        let email = await device.maskedReservedEmail ?? ""
        var values: [String: Any] = ["emailHelp": t("modeReservedEmailHelp", ["email": email])]
        if let challenge { values["challenge"] = challengeValues(challenge, intro: t("qrIntroEmail", ["email": email])) }
        return await modePage(
            .reservedEmail, template: "forgot-email", title: t("modeReservedEmail"), here: "/forgot/email", status: status, error: error,
            values)
    }

    func forgotSupport(challenge: PendingChallenge? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        var values: [String: Any] = [:]
        if let challenge { values["challenge"] = challengeValues(challenge, intro: t("qrIntroSupport")) }
        return await modePage(
            .supportKey, template: "forgot-support", title: t("modeSupport"), here: "/forgot/support", status: status, error: error, values)
    }

    func challengeValues(_ challenge: PendingChallenge, intro: String) -> [String: Any] {
        [
            "intro": intro, "text": challenge.text,
            "svg": QRCode(challenge.text)?.svg(title: t("qrText")) ?? "",
            "expires": t("qrExpires", ["time": challenge.content.expiresAt.formatted(.iso8601)]),
        ]
    }

    /// Checks the form and the new password pair, then runs a recovery attempt.
    func recover(
        failure: (String, HTTPResponse.Status) async -> Response, _ attempt: (SubmittedForm) async throws(DeviceError) -> Void
    ) async throws -> Response {
        guard let form = try await form() else { return await failure(t("errForm"), .forbidden) }
        guard form["password"] == form["confirm"] else { return await failure(t("errMismatch"), .badRequest) }
        do {
            try await attempt(form)
        } catch {
            return await failure(message(error), status(of: error))
        }
        return render("message", title: t("successTitle"), here: "/", ["message": t("successText"), "next": "/"])
    }

    func recoverWithGUID() async throws -> Response {
        try await recover(failure: { await forgotGUID(error: $0, status: $1) }) { form throws(DeviceError) in
            guard !form["file"].isEmpty else { throw DeviceError(.badRequest, t("errFileMissing")) }
            try await device.recover(guidFile: Array(form["file"].utf8), newPassword: form["password"], source: source)
        }
    }

    func recoverWithAnswers() async throws -> Response {
        let ids = await device.configuredQuestions.map(\.id)
        return try await recover(failure: { await forgotQuestions(error: $0, status: $1) }) { form throws(DeviceError) in
            let answers = Dictionary(uniqueKeysWithValues: ids.map { ($0, form["answer\($0)"]) })
            try await device.recover(answers: answers, newPassword: form["password"], source: source)
        }
    }

    func emailChallenge() async throws -> Response {
        guard try await form() != nil else { return await forgotEmail(error: t("errForm"), status: .forbidden) }
        do {
            return await forgotEmail(challenge: try await device.issueChallenge(purpose: .reservedEmail, source: source))
        } catch {
            return await forgotEmail(error: message(error), status: status(of: error))
        }
    }

    func recoverWithEmailCode() async throws -> Response {
        try await recover(failure: { await forgotEmail(error: $0, status: $1) }) { form throws(DeviceError) in
            try await device.recover(code: form["code"], kind: .verificationCode, newPassword: form["password"], source: source)
        }
    }

    func supportChallenge() async throws -> Response {
        guard try await form() != nil else { return await forgotSupport(error: t("errForm"), status: .forbidden) }
        do {
            return await forgotSupport(challenge: try await device.issueChallenge(purpose: .supportCase, source: source))
        } catch {
            return await forgotSupport(error: message(error), status: status(of: error))
        }
    }

    func recoverWithKey() async throws -> Response {
        try await recover(failure: { await forgotSupport(error: $0, status: $1) }) { form throws(DeviceError) in
            try await device.recover(code: form["key"], kind: .resetKey, newPassword: form["password"], source: source)
        }
    }

    func recoverWithFile() async throws -> Response {
        try await recover(failure: { await forgotSupport(error: $0, status: $1) }) { form throws(DeviceError) in
            guard !form["file"].isEmpty else { throw DeviceError(.badRequest, t("errFileMissing")) }
            try await device.recover(resetFile: Array(form["file"].utf8), newPassword: form["password"], source: source)
        }
    }

    // MARK: Set-up (signed in)

    /// Runs a signed-in change and returns to the dashboard.
    func signedIn(_ change: (SubmittedForm) async throws(DeviceError) -> Response?) async throws -> Response {
        guard session != nil else { return await home(error: t("errSignInFirst"), status: .unauthorized) }
        guard let form = try await form() else { return await home(error: t("errForm"), status: .forbidden) }
        do {
            return try await change(form) ?? redirect("/?done=saved")
        } catch {
            return await home(error: message(error), status: status(of: error))
        }
    }

    func exportGUID() async throws -> Response {
        try await signedIn { form throws(DeviceError) in
            try await device.verifyPassword(form["password"], source: source)
            let file = try await device.exportGUID()
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/xml", .contentDisposition: "attachment; filename=\"\(file.suggestedFileName)\"",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(string: file.xml)))
        }
    }

    func saveQuestions() async throws -> Response {
        try await signedIn { form throws(DeviceError) in
            let choices = (1...SecurityQuestions.requiredCount).map {
                SecurityQuestions.Choice(questionID: Int(form["question\($0)"]) ?? 0, answer: form["answer\($0)"])
            }
            try await device.setSecurityQuestions(choices, password: form["password"], source: source)
            return nil
        }
    }

    func saveEmail() async throws -> Response {
        try await signedIn { form throws(DeviceError) in
            try await device.setReservedEmail(
                form["email"].trimmingCharacters(in: .whitespaces), password: form["password"], source: source)
            return nil
        }
    }

    func changePassword() async throws -> Response {
        try await signedIn { form throws(DeviceError) in
            guard form["password"] == form["confirm"] else { throw DeviceError(.badRequest, t("errMismatch")) }
            try await device.changePassword(current: form["current"], new: form["password"], source: source)
            return redirect("/?done=passwordChanged")
        }
    }

    func saveLockout() async throws -> Response {
        try await signedIn { form throws(DeviceError) in
            try await device.setLockoutSettings(
                maxFailuresPerSource: Int(form["maxFailures"]), maxFailuresPerDevice: nil,
                lockDuration: Int(form["lockMinutes"]).map { TimeInterval($0 * 60) })
            return nil
        }
    }
}
