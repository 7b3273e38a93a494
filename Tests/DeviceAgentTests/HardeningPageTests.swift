import DeviceAgent
import Foundation
import NIOHTTP1
import ReclaimCore
import ReclaimTestSupport
import Testing

/// The hardening checklist and the UPnP setting on the device page, over real HTTP as a
/// browser posts the forms (`WebPageTests.Browser`).
@Suite struct HardeningPageTests {
    typealias Browser = WebPageTests.Browser

    /// 1 when the test device (whose firmware the factory picks) runs an older release, for
    /// counts of what is left.
    func firmwareLeft(_ device: Device) -> Int {
        device.identity.firmware == device.identity.model.firmwareVersions.last! ? 0 : 1
    }

    func signedIn(_ base: String, language: String = "en") async throws -> Browser {
        let browser = Browser(base: base)
        try await browser.get("/?lang=\(language)")
        try await browser.post("/signin", ["password": goodPassword])
        return browser
    }

    @Test func theHomePageShowsEachItemWithItsStateAndWhereToFixIt() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let browser = try await signedIn(base)
            #expect(browser.element("hardening-summary") == "\(2 + firmwareLeft(device)) items left to do.")
            #expect(browser.element("check-password-status") == "Done")
            #expect(browser.element("check-password-state") == "Strong.")
            #expect(browser.element("check-recovery-status") == "To do")
            #expect(
                browser.element("check-recovery-state") == "None: set security questions or a reserved e-mail, or export a GUID file.")
            #expect(browser.element("check-guid-status") == "To do")
            #expect(browser.element("check-upnp-status") == "Done")
            // Each link names an element of this page that fixes the item.
            for (item, anchor) in [
                ("password", "password-form"), ("recovery", "recovery"), ("guid", "guid-form"), ("firmware", "firmware"),
                ("upnp", "upnp-form"),
            ] {
                #expect(browser.page.contains("href=\"/#\(anchor)\" id=\"fix-\(item)\""), "\(item)")
                #expect(browser.page.contains("id=\"\(anchor)\""), "\(anchor) is on the page")
            }
        }
    }

    @Test func settingUpRecoveryAndAGUIDFileTicksTheirItems() async throws {
        let device = try await makeActivatedDevice()
        try await device.setSecurityQuestions(
            [.init(questionID: 1, answer: "Rossi"), .init(questionID: 2, answer: "Fido"), .init(questionID: 3, answer: "Torino")],
            password: goodPassword, source: "t")
        _ = try await device.exportGUID()
        try await withLiveDevice(device) { base in
            let browser = try await signedIn(base)
            #expect(browser.element("check-recovery-state") == "Set up: GUID file, Security questions.")
            #expect(browser.element("check-guid-status") == "Done")
            #expect(browser.element("check-guid-state")?.hasPrefix("Exported on ") == true)
            #expect(browser.element("hardening-summary") == (firmwareLeft(device) == 0 ? "All done." : "1 item left to do."))
        }
    }

    @Test func upnpIsTurnedOffFromThePageAndTheChecklistFollows() async throws {
        let device = try await makeActivatedDevice()
        try await device.updateSettings { $0.upnpEnabled = true }
        try await withLiveDevice(device) { base in
            let browser = try await signedIn(base)
            #expect(browser.element("upnp-state") == "UPnP is on: the device asks the router to open ports to it.")
            #expect(browser.element("upnp-toggle") == "Turn UPnP off")
            #expect(browser.element("check-upnp-status") == "To do")
            #expect(
                browser.element("check-upnp-state") == "On: it can open ports on the router. Turn it off unless remote access needs it.")

            try await browser.post("/setup/upnp", ["enabled": "false"])
            #expect(browser.element("notice") == "UPnP is off: the device no longer asks the router to open ports.")
            #expect(browser.element("upnp-state") == "UPnP is off.")
            #expect(browser.element("check-upnp-status") == "Done")
            #expect(await device.settings.upnpEnabled == false)

            try await browser.post("/setup/upnp", ["enabled": "true"])
            #expect(browser.element("notice") == "UPnP is on.")
            #expect(browser.element("upnp-toggle") == "Turn UPnP off")
            #expect(await device.settings.upnpEnabled == true)
            try await browser.post("/setup/upnp", ["enabled": "maybe"])
            #expect(browser.status == .badRequest)
            #expect(browser.element("error") == "Choose whether UPnP is on or off.")
            #expect(await device.settings.upnpEnabled == true)
        }
    }

    @Test func upnpCannotBeChangedWithoutSigningIn() async throws {
        let device = try await makeActivatedDevice()
        try await device.updateSettings { $0.upnpEnabled = true }
        try await withLiveDevice(device) { base in
            let stranger = Browser(base: base)
            try await stranger.get("/")
            try await stranger.post("/setup/upnp", ["enabled": "false"])
            #expect(stranger.status == .unauthorized)
            #expect(await device.settings.upnpEnabled == true)
        }
    }

    /// After a recovery the GUID file is used up and the password new: the page that says
    /// so shows the checklist as the recovery left the device.
    @Test func theRecoveryPageShowsTheChecklistOfTheDeviceAsItIsNow() async throws {
        let device = try await makeActivatedDevice()
        _ = try await device.exportGUID()
        try await device.setSecurityQuestions(
            [.init(questionID: 1, answer: "Rossi"), .init(questionID: 2, answer: "Fido"), .init(questionID: 3, answer: "Torino")],
            password: goodPassword, source: "t")
        try await withLiveDevice(device) { base in
            let browser = Browser(base: base)
            try await browser.get("/forgot/questions")
            try await browser.post(
                "/forgot/questions",
                ["answer1": "rossi", "answer2": "fido", "answer3": "torino", "password": "tramvianord7", "confirm": "tramvianord7"])
            #expect(browser.element("message")?.contains("new admin password is set") == true)
            #expect(browser.element("check-password-state")?.hasPrefix("Fair: it only just meets the rules.") == true)
            #expect(browser.element("check-guid-status") == "To do", "the recovery voided the GUID file")
            #expect(browser.element("check-recovery-state") == "Set up: Security questions.")
            #expect(browser.page.contains("id=\"fix-guid\""))
        }
    }

    @Test func theChecklistInItalian() async throws {
        let device = try await makeActivatedDevice()
        try await device.updateSettings { $0.upnpEnabled = true }
        try await withLiveDevice(device) { base in
            let browser = try await signedIn(base, language: "it")
            #expect(browser.page.contains("<h2>Checklist di messa in sicurezza</h2>"))
            #expect(browser.element("hardening-summary") == "Ti restano \(3 + firmwareLeft(device)) voci da completare.")
            #expect(browser.element("check-password-status") == "Fatto")
            #expect(browser.element("check-password-state") == "Robusta.")
            #expect(browser.element("check-upnp-status") == "Da fare")
            #expect(browser.element("check-recovery-state")?.hasPrefix("Nessuno: imposta le domande di sicurezza") == true)
            #expect(browser.element("fix-upnp") == "Impostazione UPnP")
            #expect(browser.element("upnp-toggle") == "Disattiva UPnP")
        }
    }
}
