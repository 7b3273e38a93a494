import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReclaimCore
import ReclaimQR
import WebSupport

/// The device web page at `/`: activation, sign-in, "forgot password" with every mode
/// the device supports, and once signed in recovery set-up, the hardening checklist and the
/// settings it links to (`DevicePage+Hardening.swift`, `DevicePage+Firmware.swift`). English
/// and Italian.
///
/// Built on the shared page layer (``Page``): forms carry a CSRF token that must match a
/// `SameSite=Strict`, `HttpOnly` cookie; sign-in sessions live in another such cookie and
/// end when the password changes.
func addWebRoutes(to router: Router<DeviceRequestContext>) {
    func on(
        _ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (DevicePage) async throws -> Response
    ) {
        router.on(RouterPath(path), method: method) { request, context in
            try await handler(await DevicePage(request: request, context: context))
        }
    }
    on(.get, "/") { await $0.home() }
    on(.post, "/activate") { try await $0.activate() }
    on(.post, "/signin") { try await $0.signIn() }
    on(.post, "/signout") { try await $0.signOut() }

    on(.get, "/forgot") { await $0.forgot() }
    on(.get, "/forgot/guid") { await $0.forgotGUID() }
    on(.post, "/forgot/guid") { try await $0.recoverWithGUID() }
    on(.get, "/forgot/questions") { await $0.forgotQuestions() }
    on(.post, "/forgot/questions") { try await $0.recoverWithAnswers() }
    on(.get, "/forgot/email") { await $0.forgotEmail() }
    on(.post, "/forgot/email/qr") { try await $0.emailChallenge() }
    on(.post, "/forgot/email") { try await $0.recoverWithEmailCode() }
    on(.get, "/forgot/support") { await $0.forgotSupport() }
    on(.post, "/forgot/support/qr") { try await $0.supportChallenge() }
    on(.post, "/forgot/support/key") { try await $0.recoverWithKey() }
    on(.post, "/forgot/support/file") { try await $0.recoverWithFile() }

    on(.post, "/setup/guid") { try await $0.exportGUID() }
    on(.post, "/setup/questions") { try await $0.saveQuestions() }
    on(.post, "/setup/email") { try await $0.saveEmail() }
    on(.post, "/setup/password") { try await $0.changePassword() }
    on(.post, "/setup/lockout") { try await $0.saveLockout() }
    on(.post, "/setup/upnp") { try await $0.saveUPnP() }
    on(.post, "/setup/firmware") { try await $0.updateFirmware() }
}

/// The device web page as a surface of the shared page layer.
enum DeviceWeb {
    static let surface = WebSurface(name: "device", strings: DeviceStrings.catalog, templates: DeviceTemplates.templates)
}

/// One request to the web page: the shared page (language, CSRF, header), the device,
/// the caller's address and session.
struct DevicePage {
    static let sessionCookie = "reclaim_session"

    let page: Page
    let device: Device
    let source: String
    let session: WebSession?

    init(request: Request, context: DeviceRequestContext) async {
        let identity = context.device.identity
        page = Page(
            request: request, surface: DeviceWeb.surface, chrome: PageChrome(title: identity.modelName, detail: identity.serial.text))
        device = context.device
        source = context.source
        if let token = request.cookies[Self.sessionCookie]?.value {
            session = await context.device.session(token)
        } else {
            session = nil
        }
    }

    func t(_ key: String, _ values: [String: String] = [:]) -> String { page.t(key, values) }

    // MARK: Rendering

    /// Renders a page of the device, with the password rules every form with a new password shows.
    func render(
        _ template: String, title: String, status: HTTPResponse.Status = .ok, error: String? = nil, notice: String? = nil,
        _ values: [String: Any] = [:]
    ) -> Response {
        var values = values
        let identity = device.identity
        values["model"] = identity.modelName
        values["serial"] = identity.serial.text
        values["rules"] = t("passwordRules", ["rules": identity.passwordPolicy.summary(language: page.language)])
        return page.render(template, title: title, status: status, error: error, notice: notice, values)
    }

    func sessionCookie(_ token: String, maxAge: Int? = nil) -> Cookie {
        page.cookie(Self.sessionCookie, token, maxAge: maxAge, sameSite: .strict)
    }

    /// The form, or nil when its CSRF token does not match (the caller answers `form.expired`).
    func form(fileFields: Set<String> = []) async throws -> SubmittedForm? {
        try await page.form(limit: device.maxUploadSize, fileFields: fileFields)
    }

    // MARK: Home, activation, sign-in

    func home(error: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok, section: String? = nil) async -> Response {
        guard await device.isActivated else {
            return render("activate", title: t("activateTitle"), status: status, error: error)
        }
        guard session != nil else {
            let section = self.section(section ?? page.request.uri.queryParameters["section"].map(String.init))
            return render("signin", title: t("signInTitle"), status: status, error: error, notice: notice, ["section": section ?? ""])
        }
        return await dashboard(error: error, notice: notice, status: status)
    }

    func failure(_ error: DeviceError) async -> Response {
        await home(error: page.message(error), status: error.httpStatus)
    }

    func dashboard(error: String?, notice: String?, status: HTTPResponse.Status) async -> Response {
        let identity = device.identity
        let snapshot = await device.snapshot
        let setup = snapshot.state.recovery
        let settings = snapshot.state.settings
        let configured = (setup.questions ?? []).map(\.questionID)
        let slots: [[String: Any]] = (1...SecurityQuestions.requiredCount).map { slot in
            let chosen = configured.count >= slot ? configured[slot - 1] : slot
            return [
                "slot": slot, "label": t("questionN", ["n": String(slot)]),
                "options": SecurityQuestions.catalogue.map { question in
                    ["id": question.id, "text": question.text(page.language), "selected": question.id == chosen] as [String: Any]
                },
            ]
        }
        var values: [String: Any] = [
            "firmware": snapshot.state.installedFirmware(identity).displayString, "mac": identity.mac.description,
            "guidState": setup.guid.map { t("guidExported", ["time": page.language.dateTime($0.exportedAt)]) } ?? t("guidNone"),
            "questionsState": setup.questions == nil ? t("notConfigured") : t("configured"),
            "questionSlots": slots,
            "emailSupported": identity.authority != nil,
            "emailState": setup.reservedEmail == nil ? t("notConfigured") : t("configured"),
            "email": setup.reservedEmail ?? "",
            "maxFailures": settings.lockout.maxFailuresPerSource,
            "lockMinutes": Int(settings.lockout.lockDuration / 60),
        ]
        values.merge(upnpValues(settings)) { _, new in new }
        values.merge(firmwareValues(snapshot.state.installedFirmware(identity))) { _, new in new }
        if let hardening = hardening(snapshot) { values["hardening"] = hardening }
        return render("home", title: identity.modelName, status: status, error: error, notice: notice, values)
    }

    func activate() async throws -> Response {
        guard let form = try await form() else { return await home(error: t("form.expired"), status: .forbidden) }
        guard form["password"] == form["confirm"] else { return await home(error: t("form.mismatch"), status: .badRequest) }
        do {
            try await device.activate(password: form["password"], source: source)
        } catch {
            return await failure(error)
        }
        // Activation signs the admin in, so the page can go straight to recovery set-up.
        guard let session = await device.openSession() else { return page.redirect("/") }
        return page.redirect("/?done=activated", cookies: [sessionCookie(session.token)])
    }

    func signIn() async throws -> Response {
        guard let form = try await form() else { return await home(error: t("form.expired"), status: .forbidden) }
        do {
            try await device.verifyPassword(form["password"], source: source)
        } catch {
            return await home(error: page.message(error), status: error.httpStatus, section: form["section"])
        }
        // On to the checklist's element the reader came for, if they came from its link.
        let next = section(form["section"]).map { "/#" + $0 } ?? "/"
        guard let session = await device.openSession() else { return page.redirect(next) }
        return page.redirect(next, cookies: [sessionCookie(session.token)])
    }

    func signOut() async throws -> Response {
        if try await form() != nil, let session { await device.closeSession(session.token) }
        return page.redirect("/", cookies: [sessionCookie("", maxAge: 0)])
    }

    // MARK: Forgot password

    func forgot() async -> Response {
        let snapshot = await device.snapshot
        guard snapshot.state.isActivated else { return page.redirect("/") }
        let modes = snapshot.modes
        let email = snapshot.maskedReservedEmail ?? ""
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
        return render("forgot", title: t("forgotTitle"), ["modes": entries])
    }

    /// The page of one mode, or the mode list when that mode isn't ready.
    func modePage(
        _ mode: RecoveryModes.Mode, template: String, title: String, status: HTTPResponse.Status = .ok, error: String? = nil,
        _ values: [String: Any] = [:]
    ) async -> Response {
        let snapshot = await device.snapshot
        guard snapshot.state.isActivated, snapshot.modes.ready.contains(mode) else { return page.redirect("/forgot") }
        return render(template, title: title, status: status, error: error, values)
    }

    func forgotGUID(error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        await modePage(.guidFile, template: "forgot-guid", title: t("modeGuidFile"), status: status, error: error)
    }

    func forgotQuestions(error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        let questions = await device.configuredQuestions.map { ["id": $0.id, "text": $0.text(page.language)] as [String: Any] }
        return await modePage(
            .securityQuestions, template: "forgot-questions", title: t("modeSecurityQuestions"), status: status, error: error,
            ["questions": questions])
    }

    func forgotEmail(challenge: PendingChallenge? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        let email = await device.maskedReservedEmail ?? ""
        var values: [String: Any] = ["emailHelp": t("modeReservedEmailHelp", ["email": email])]
        if let challenge { values["challenge"] = challengeValues(challenge, intro: t("qrIntroEmail", ["email": email])) }
        return await modePage(.reservedEmail, template: "forgot-email", title: t("modeReservedEmail"), status: status, error: error, values)
    }

    func forgotSupport(challenge: PendingChallenge? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        var values: [String: Any] = [:]
        if let challenge { values["challenge"] = challengeValues(challenge, intro: t("qrIntroSupport")) }
        return await modePage(.supportKey, template: "forgot-support", title: t("modeSupport"), status: status, error: error, values)
    }

    func challengeValues(_ challenge: PendingChallenge, intro: String) -> [String: Any] {
        [
            "intro": intro, "text": challenge.text,
            "svg": QRCode(challenge.text)?.svg(title: t("qrText")) ?? "",
            "expires": t("qrExpires", ["time": page.language.dateTime(challenge.content.expiresAt)]),
        ]
    }

    /// Checks the form and the new password pair, then runs a recovery attempt; answers
    /// with the mode's page and the refusal, or with the success page.
    func recover(
        fileFields: Set<String> = [], failure: (String, HTTPResponse.Status) async -> Response,
        _ attempt: (SubmittedForm) async throws(DeviceError) -> Void
    ) async throws -> Response {
        guard let form = try await form(fileFields: fileFields) else { return await failure(t("form.expired"), .forbidden) }
        guard form["password"] == form["confirm"] else { return await failure(t("form.mismatch"), .badRequest) }
        do {
            try await attempt(form)
        } catch {
            return await failure(page.message(error), error.httpStatus)
        }
        // The checklist of the device as the recovery left it: the GUID file is used up, the password new.
        var values: [String: Any] = ["message": t("successText")]
        if let hardening = hardening(await device.snapshot, signedIn: false) { values["hardening"] = hardening }
        return render("recovered", title: t("successTitle"), values)
    }

    /// A file field's content, or a refusal asking for the file.
    func file(_ form: SubmittedForm, _ name: String) throws(DeviceError) -> [UInt8] {
        let bytes = form.files[name] ?? Array(form[name].utf8)
        guard !bytes.isEmpty else { throw DeviceError(.badRequest, "Choose a file.", localized: LocalizedReason("form.fileMissing")) }
        return bytes
    }

    func recoverWithGUID() async throws -> Response {
        try await recover(fileFields: ["file"], failure: { await forgotGUID(error: $0, status: $1) }) { form throws(DeviceError) in
            try await device.recover(guidFile: try file(form, "file"), newPassword: form["password"], source: source)
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
        guard try await form() != nil else { return await forgotEmail(error: t("form.expired"), status: .forbidden) }
        do {
            return await forgotEmail(challenge: try await device.issueChallenge(purpose: .reservedEmail, source: source))
        } catch {
            return await forgotEmail(error: page.message(error), status: error.httpStatus)
        }
    }

    func recoverWithEmailCode() async throws -> Response {
        try await recover(failure: { await forgotEmail(error: $0, status: $1) }) { form throws(DeviceError) in
            try await device.recover(code: form["code"], kind: .verificationCode, newPassword: form["password"], source: source)
        }
    }

    func supportChallenge() async throws -> Response {
        guard try await form() != nil else { return await forgotSupport(error: t("form.expired"), status: .forbidden) }
        do {
            return await forgotSupport(challenge: try await device.issueChallenge(purpose: .supportCase, source: source))
        } catch {
            return await forgotSupport(error: page.message(error), status: error.httpStatus)
        }
    }

    func recoverWithKey() async throws -> Response {
        try await recover(failure: { await forgotSupport(error: $0, status: $1) }) { form throws(DeviceError) in
            try await device.recover(code: form["key"], kind: .resetKey, newPassword: form["password"], source: source)
        }
    }

    func recoverWithFile() async throws -> Response {
        try await recover(fileFields: ["file"], failure: { await forgotSupport(error: $0, status: $1) }) { form throws(DeviceError) in
            try await device.recover(resetFile: try file(form, "file"), newPassword: form["password"], source: source)
        }
    }

    // MARK: Set-up (signed in)

    /// Runs a signed-in change and returns to the dashboard.
    func signedIn(_ change: (SubmittedForm) async throws(DeviceError) -> Response?) async throws -> Response {
        guard session != nil else { return await home(error: t("form.signInFirst"), status: .unauthorized) }
        guard let form = try await form() else { return await home(error: t("form.expired"), status: .forbidden) }
        do {
            return try await change(form) ?? page.redirect("/?done=saved")
        } catch {
            return await failure(error)
        }
    }

    func exportGUID() async throws -> Response {
        try await signedIn { form throws(DeviceError) in
            try await device.verifyPassword(form["password"], source: source)
            let file = try await device.exportGUID()
            var response = Response(
                status: .ok,
                headers: [
                    .contentType: "application/xml", .contentDisposition: "attachment; filename=\"\(file.suggestedFileName)\"",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(string: file.xml)))
            PageHeaders.apply(to: &response)
            return response
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
            guard form["password"] == form["confirm"] else {
                throw DeviceError(.badRequest, "The two passwords differ.", localized: LocalizedReason("form.mismatch"))
            }
            try await device.changePassword(current: form["current"], new: form["password"], source: source)
            return page.redirect("/?done=passwordChanged")
        }
    }

    func saveLockout() async throws -> Response {
        try await signedIn { form throws(DeviceError) in
            let lockout = try LockoutForm(form)
            try await device.setLockoutSettings(
                maxFailuresPerSource: lockout.maxFailures, maxFailuresPerDevice: nil, lockDuration: lockout.lockDuration)
            return nil
        }
    }
}

/// The lock-out form's numbers. Whole numbers of any size are read without overflow (one
/// too large to hold reads as out of range); the machine refuses what is out of range.
struct LockoutForm {
    let maxFailures: Int
    let lockDuration: TimeInterval

    init(_ form: SubmittedForm) throws(DeviceError) {
        guard let failures = Double(form["maxFailures"]), let minutes = Double(form["lockMinutes"]),
            [failures, minutes].allSatisfy({ $0.isFinite && $0 == $0.rounded() })
        else {
            throw DeviceError(.badRequest, "Write the limits as whole numbers.", localized: LocalizedReason("form.wholeNumbers"))
        }
        maxFailures = Int(exactly: failures) ?? .max
        lockDuration = minutes * 60
    }
}

extension Device {
    /// Uploads are GUID and reset files of a few kilobytes; anything larger is refused.
    nonisolated var maxUploadSize: Int { 64 * 1024 }
}
