import DeviceAgent
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import Platform

/// The owner app's forms to add and claim a device: a refusal changes nothing (no empty
/// "new site" is left behind), stays on record, and gives the form back as it was typed.
@Suite struct OwnerFormTests {
    @Test func aRefusedAddOrClaimMakesNoSiteAndTheRefusalStaysOnRecord() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            let serial = device.identity.serial.text, code = device.identity.labelCode
            let sites = platform.services.sites
            let seller = try await platform.account(.owner)
            _ = try await sites.addDevice(serial: serial, labelCode: code, name: nil, into: .new(name: "Negozio"), by: seller)
            #expect(try await sites.sites(of: seller).map(\.name) == ["Negozio"])

            let buyer = try await platform.account(.owner, email: "bruno@example.com")
            let owned = await #expect(throws: PlatformError.self) {
                try await sites.addDevice(serial: serial, labelCode: code, name: nil, into: .new(name: "Casa nuova"), by: buyer)
            }
            #expect(owned?.code == .conflict)
            let notReset = await #expect(throws: PlatformError.self) {
                try await platform.services.claims.claim(serial: serial, labelCode: code, into: .new(name: "Casa nuova"), by: buyer)
            }
            #expect(notReset?.reason.contains("factory settings") == true)
            let unnamed = await #expect(throws: PlatformError.self) {
                try await sites.addDevice(serial: serial, labelCode: code, name: nil, into: .new(name: "  "), by: buyer)
            }
            #expect(unnamed?.reason.contains("name") == true, "the site's name is checked before anything else")
            #expect(try await sites.sites(of: buyer).isEmpty, "no refusal leaves a site behind")
            // The refusal is on record, not rolled back with the device that was not added.
            let refusals = try await platform.services.audit.recent(about: .device(serial: serial)).filter {
                $0.action == "device.add.refused"
            }
            #expect(refusals.count == 1)

            // Added again by its owner into a "new site": it stays where it is, and no empty site appears.
            _ = try await sites.addDevice(serial: serial, labelCode: code, name: nil, into: .new(name: "Altro"), by: seller)
            #expect(try await sites.sites(of: seller).map(\.name) == ["Negozio"])
        }
    }

    @Test func aRefusedFormIsShownAgainWithTheReasonAndWhatWasTyped() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            let serial = device.identity.serial.text, code = device.identity.labelCode
            let seller = try await platform.account(.owner)
            _ = try await platform.services.sites.addDevice(
                serial: serial, labelCode: code, name: nil, into: .new(name: "Negozio"), by: seller)
            let buyer = try await platform.account(.owner, email: "bruno@example.com")
            let session = try await platform.services.accounts.startSession(for: buyer)
            let typed = ["serial": serial, "code": code, "name": "Ingresso", "site": "new", "siteName": "Casa nuova"]
            try await platform.application.test(.router) { client in
                let add = try await CasePageTests.post(client, "/app/devices", session: session, form: typed)
                #expect(add.status == 409)
                #expect(add.html.contains(#"id="error">This device is already in another account."#), "the reason at the top")
                #expect(add.html.contains(#"id="add-serial" autocomplete="off" value="\#(serial)""#))
                #expect(
                    add.html.contains(#"id="add-name" value="Ingresso""#) && add.html.contains(#"id="add-site-name" value="Casa nuova""#))
                #expect(add.html.contains(#"<option value="new" selected>"#), "the new site stays chosen")
                #expect(!add.html.contains(#"id="claim-serial" required autocomplete="off" value="\#(serial)""#), "only that form keeps it")

                let claim = try await CasePageTests.post(client, "/app/claims", session: session, form: typed)
                #expect(claim.status == 409)
                #expect(claim.html.contains(#"id="error">Restore the device&#39;s factory settings"#), "the reason at the top")
                #expect(claim.html.contains(#"id="claim-serial" required autocomplete="off" value="\#(serial)""#))
                #expect(claim.html.contains(#"id="claim-code" required autocomplete="off" value="\#(code)""#))

                // An installer's request accepted into a new site without a name: the page says
                // so, and the request is still there to answer.
                let installer = try await platform.account(.installer, certified: true)
                let asked = try await platform.services.sites.requestAccess(
                    ownerEmail: buyer.email, note: "Manutenzione", mayReset: true, by: installer)
                let accept = try await CasePageTests.post(
                    client, "/app/access/\(asked.id)", session: session, form: ["answer": "accept", "site": "new", "siteName": ""])
                #expect(accept.status == 400)
                #expect(accept.html.contains(#"id="error">Give the site a name"#))
                #expect(accept.html.contains(#"id="access-\#(asked.id)""#))
            }
            #expect(try await platform.services.sites.sites(of: buyer).isEmpty)
        }
    }

    /// A mistyped company code, a reset asked for a device that is offline, an authorisation
    /// request to an unknown address: the same page again, the reason at the top, what was
    /// typed and chosen as it was.
    @Test func aRefusedShareOrResetRequestKeepsWhatWasChosen() async throws {
        try await withTestPlatform { platform in
            let cast = try await OwnerResetTests.cast(platform)
            let serial = cast.device.identity.serial.text
            let site = try #require(try await platform.services.sites.sites(of: cast.owner).first)
            let ownerSession = try await platform.services.accounts.startSession(for: cast.owner)
            let installerSession = try await platform.services.accounts.startSession(for: cast.installer)
            try await platform.application.test(.router) { client in
                let share = try await CasePageTests.post(
                    client, "/app/sites/\(site.id)/shares", session: ownerSession, form: ["company": "IMP-TYPO", "mayReset": "true"])
                #expect(share.status == 404)
                #expect(share.html.contains(#"id="error">No installer company has this code."#))
                #expect(share.html.contains(#"<input name="company" required autocomplete="off" value="IMP-TYPO">"#))
                #expect(try await platform.services.sites.shares(of: site.id).count == 1, "no share was added")

                // The device has no link: the request is refused, on-site stays chosen.
                let ask = try await CasePageTests.post(
                    client, "/sites/devices/\(serial)/reset", session: installerSession, form: ["mode": "on-site"])
                #expect(ask.status == 409)
                #expect(ask.html.contains(#"id="error">The device is offline: an on-site reset needs it online."#), "the reason at the top")
                #expect(ask.html.contains(#"id="mode-on-site" checked "#) && !ask.html.contains(#"id="mode-off-site" checked "#))
                let fresh = try await CasePageTests.get(client, "/sites/devices/\(serial)/reset", session: installerSession)
                #expect(fresh.html.contains(#"id="mode-off-site" checked "#), "off-site is chosen at first")

                // An authorisation request to an address no owner signs in with.
                let asked = try await CasePageTests.post(
                    client, "/sites/access", session: installerSession, form: ["email": "olivia.owner@exmaple.com", "note": "Manutenzione"])
                #expect(asked.status == 404)
                #expect(asked.html.contains(#"id="error">No owner account has this address"#))
                #expect(asked.html.contains(#"id="access-email" required autocomplete="off" value="olivia.owner@exmaple.com""#))
                #expect(asked.html.contains(#"id="access-note" required maxlength="300" value="Manutenzione""#))
                #expect(!asked.html.contains(#"id="access-may-reset" checked"#), "left unticked, it stays unticked")
                let sites = try await CasePageTests.get(client, "/sites", session: installerSession)
                #expect(sites.html.contains(#"id="access-may-reset" checked"#), "ticked at first")
            }
        }
    }
}
