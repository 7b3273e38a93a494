import Foundation
import Hummingbird
import ReclaimCore
import WebSupport

/// The hardening checklist on the page (flow F9) and the UPnP setting it links to.
extension DevicePage {
    /// The `checklist` template's values for the device as `snapshot` shows it: each item's
    /// title, state in the reader's language, whether done, and a link to the form on the
    /// signed-in home page that fixes it (through sign-in when the reader is not signed in).
    /// Nil before activation.
    func hardening(_ snapshot: DeviceSnapshot, signedIn: Bool = true) -> [String: Any]? {
        guard let checklist = HardeningChecklist(identity: device.identity, state: snapshot.state, modes: snapshot.modes) else {
            return nil
        }
        let items = checklist.items.map { item -> [String: Any] in
            let text = describe(item)
            return [
                "id": text.id, "title": text.title, "state": text.state, "done": item.isDone,
                "status": item.isDone ? t("checkDone") : t("checkToDo"), "fix": text.fix,
                // On the home page itself an anchor. After a recovery, sign-in comes first:
                // `section` takes the reader on to the element once signed in (a fragment
                // alone would not survive the sign-in).
                "href": signedIn ? "/#" + text.anchor : "/?section=\(text.anchor)#\(text.anchor)",
            ]
        }
        let left = checklist.itemsLeft
        return ["items": items, "summary": left == 0 ? t("hardeningAllDone") : page.t("hardeningLeft", count: left)]
    }

    /// The elements of the signed-in home page the checklist's links lead to: where sign-in
    /// may send the reader on to, and nowhere else.
    static let checklistSections: Set<String> = ["password-form", "recovery", "guid-form", "firmware", "upnp-form"]

    /// The checklist's element a request names (`?section=` or the sign-in form's field), if any.
    func section(_ named: String?) -> String? {
        named.flatMap { Self.checklistSections.contains($0) ? $0 : nil }
    }

    /// What the page says of one item, and the element of the home page that fixes it.
    func describe(_ item: HardeningChecklist.Item) -> (id: String, title: String, state: String, fix: String, anchor: String) {
        switch item {
        case .strongPassword(let strength):
            let state =
                switch strength {
                case .strong: t("checkPasswordStrong")
                case .fair: t("checkPasswordFair")
                case .weak: t("checkPasswordWeak")
                case nil: t("checkPasswordUnrated")
                }
            return ("password", t("checkPassword"), state, t("changePassword"), "password-form")
        case .recoveryMethod(let ready, let emailSupported):
            let names = ready.compactMap { mode -> String? in
                switch mode {
                case .guidFile: t("guidTitle")
                case .securityQuestions: t("questionsTitle")
                case .reservedEmail: t("emailTitle")
                default: nil
                }
            }
            let state =
                !names.isEmpty
                ? t("checkRecoverySet", ["methods": names.joined(separator: ", ")])
                : emailSupported ? t("checkRecoveryNone") : t("checkRecoveryNoneLocal")
            return ("recovery", t("checkRecovery"), state, t("fixRecovery"), "recovery")
        case .freshGUIDFile(let exportedAt):
            let state = exportedAt.map { t("checkGuidFresh", ["time": page.language.dateTime($0)]) } ?? t("checkGuidNone")
            return ("guid", t("checkGuid"), state, t("exportGuid"), "guid-form")
        case .currentFirmware(let installed, let status):
            let state =
                switch status {
                case .current: t("checkFirmwareCurrent", ["installed": installed.displayString])
                case .outdated(let latest):
                    t("checkFirmwareOutdated", ["installed": installed.displayString, "latest": latest.displayString])
                case .unknown: t("checkFirmwareUnknown")
                }
            return ("firmware", t("checkFirmware"), state, t("fixFirmware"), "firmware")
        case .upnpOff(let enabled):
            return ("upnp", t("checkUpnp"), enabled ? t("checkUpnpOn") : t("checkUpnpOff"), t("fixUpnp"), "upnp-form")
        }
    }

    /// The UPnP form's values on the home page.
    func upnpValues(_ settings: DeviceSettings) -> [String: Any] {
        [
            "upnpEnabled": settings.upnpEnabled,
            "upnpState": settings.upnpEnabled ? t("upnpStateOn") : t("upnpStateOff"),
            "upnpAction": settings.upnpEnabled ? t("upnpTurnOff") : t("upnpTurnOn"),
        ]
    }

    /// `POST /setup/upnp`: turns UPnP port mapping on or off. A plain setting, like the
    /// lock-out limits: the session is enough, no password again.
    func saveUPnP() async throws -> Response {
        try await signedIn { form throws(DeviceError) in
            guard let enabled = Bool(form["enabled"]) else {
                throw DeviceError(.badRequest, "Choose whether UPnP is on or off.", localized: LocalizedReason("form.upnpChoice"))
            }
            try await device.updateSettings { $0.upnpEnabled = enabled }
            return page.redirect(enabled ? "/?done=upnpOn" : "/?done=upnpOff")
        }
    }
}
