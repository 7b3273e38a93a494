import Foundation
import Hummingbird
import HummingbirdTesting
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import DeviceAgent
@testable import Platform

/// The public compatibility page says, for each model and firmware of the catalogue, what a
/// device of that model really offers when its password is lost.
@Suite struct CompatibilityTests {
    /// The modes a device shows on its "Forgot password" page, as the page's methods.
    static func offered(by device: Device) async -> Set<RecoveryMethod> {
        let modes = await device.recoveryModes.supported
        var methods: Set<RecoveryMethod> = []
        if modes.contains(.guidFile) { methods.insert(.guidFile) }
        if modes.contains(.securityQuestions) { methods.insert(.securityQuestions) }
        if modes.contains(.reservedEmail) { methods.insert(.reservedEmail) }
        if modes.contains(.supportKey) && modes.contains(.supportFile) { methods.insert(.supportCase) }
        if modes.contains(.ownerApproval) { methods.insert(.ownerApproval) }
        return methods
    }

    @Test func everyModelIsListedWithWhatItsDevicesOffer() async throws {
        // Real devices of every model, enrolled and not: the page's "Yes" is what both
        // offer, "Enrolled devices" what only the enrolled one does.
        var offered: [String: (always: Set<RecoveryMethod>, enrolled: Set<RecoveryMethod>)] = [:]
        for model in DeviceModel.catalogue {
            let enrolled = try makeDevice(model: model)
            let alone = try makeDevice(model: model, authority: nil)
            offered[model.name] = (await Self.offered(by: alone), await Self.offered(by: enrolled))
        }
        let devicesOffer = offered
        try await withTestPlatform { platform in
            try await platform.application.test(.router) { client in
                for (language, yes, enrolledOnly) in [("en", "Yes", "Enrolled devices"), ("it", "Sì", "Dispositivi registrati")] {
                    let page = try await client.execute(uri: "/compatibility?lang=\(language)", method: .get)
                    #expect(page.status == .ok)
                    let html = page.text
                    for model in DeviceModel.catalogue {
                        let section = try #require(
                            html.components(separatedBy: "id=\"model-\(model.name)\"").dropFirst().first?.components(
                                separatedBy: "</section>"
                            )
                            .first, "\(model.name) is listed")
                        for release in model.firmwareVersions { #expect(section.contains(release.displayString)) }
                        let devices = try #require(devicesOffer[model.name])
                        for method in RecoveryMethod.allCases {
                            let expected = devices.always.contains(method) ? yes : devices.enrolled.contains(method) ? enrolledOnly : "No"
                            let cells = section.matches(of: try Regex("<td class=\"method-\(method.rawValue)\">([^<]*)</td>"))
                            #expect(cells.count == model.firmwareVersions.count)
                            for cell in cells { #expect(cell.output[1].substring.map(String.init) == expected, "\(model.name) \(method)") }
                        }
                    }
                    if language == "it" {
                        #expect(html.contains("Verifica tramite email riservata") && html.contains("Regole della password"))
                    }
                }
            }
        }
    }
}
