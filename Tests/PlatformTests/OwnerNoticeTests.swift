import DeviceAgent
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Platform
import ReclaimCore
import ReclaimTestSupport
import SQLKit
import Testing

/// The owner is told of every way into their device; installers ask owners for access;
/// second-hand devices change hands after a grace period.
@Suite struct OwnerNoticeTests {
    /// Waits (at most 10 s) for the device's history to show the event.
    static func waitForHistory(
        _ platform: TestPlatform, _ serial: String, _ owner: Account, has kind: DeviceEvent.Kind, _ method: String, from source: String
    ) async throws -> Bool {
        for _ in 0..<100 {
            if try await history(platform, serial, owner, has: kind, method, from: source) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func history(
        _ platform: TestPlatform, _ serial: String, _ owner: Account, has kind: DeviceEvent.Kind, _ method: String, from source: String
    )
        async throws -> Bool
    {
        try await platform.services.history.history(serial: serial, owner: owner).contains {
            $0.kind == kind && $0.method == method && $0.source == source
        }
    }

    @Test func theOwnerIsToldOfAGUIDFileResetMadeOnTheLANAndSeesItInTheHistory() async throws {
        try await withTestPlatform { platform in
            let cast = try await OwnerResetTests.cast(platform)
            let serial = cast.device.identity.serial.text
            let owner = cast.owner
            try await platform.application.test(.live) { client in
                try await withServices([CloudLinkTests.link(cast.device, port: client.port!)]) {
                    #expect(try await eventually { try await platform.services.links.link(serial: serial)?.online == true })
                    let guid = try await cast.device.exportGUID()
                    try await cast.device.recover(guidFile: Array(guid.xml.utf8), newPassword: otherPassword, source: "192.168.1.20")
                    let told = try await Self.waitForHistory(platform, serial, owner, has: .recovered, "guidFile", from: "192.168.1.20")
                    #expect(told, "the GUID-file reset reached the device's history")
                }
            }
            #expect(try await platform.services.cases.notifications(for: cast.owner).contains { $0.event == "device.recovered" })
            try await platform.waitForMail(2)
            let mail = platform.mailer.messages.first { $0.to == cast.owner.email && $0.body.contains("GUID file") }
            #expect(mail?.body.contains("192.168.1.20") == true, "\(platform.mailer.messages.map(\.body))")
            // The history is the owner's: an installer of the shared company does not read it.
            #expect(try await platform.services.history.history(serial: serial, owner: cast.installer).isEmpty)
        }
    }

    /// A firmware installed on the LAN reaches the owner too: the history, the message
    /// centre, a mail with the version, and the audit log.
    @Test func theOwnerIsToldOfAFirmwareInstalledOnTheLAN() async throws {
        try await withTestPlatform { platform in
            let camera = DeviceModel.catalogue[0]
            let (older, latest) = (camera.firmwareVersions[0], camera.firmwareVersions[camera.firmwareVersions.count - 1])
            let key = ReleaseSigningKey.generate()
            let device = try await enrolledDevice(platform, model: camera, firmware: older, releaseKeys: [key.publicKey])
            try await device.activate(password: goodPassword, source: "192.0.2.1")
            let owner = try await platform.account(.owner)
            let site = try await platform.services.sites.createSite(name: "Casa", by: owner)
            _ = try await platform.services.sites.addDevice(
                serial: device.identity.serial.text, labelCode: device.identity.labelCode, name: nil, site: site.id, by: owner)
            let package = try FirmwarePackage.sign(models: [camera.name], firmware: latest, payload: Array("lab image".utf8), with: key)
            let serial = device.identity.serial.text
            try await platform.application.test(.live) { client in
                try await withServices([CloudLinkTests.link(device, port: client.port!)]) {
                    #expect(try await eventually { try await platform.services.links.link(serial: serial)?.online == true })
                    _ = try await device.installFirmware(package.bytes, source: "192.168.1.30")
                    let told = try await Self.waitForHistory(
                        platform, serial, owner, has: .firmwareInstalled, latest.displayString, from: "192.168.1.30")
                    #expect(told, "the firmware reached the device's history")
                }
            }
            #expect(try await platform.services.cases.notifications(for: owner).contains { $0.event == "device.firmware-installed" })
            try await platform.waitForMail(1)
            let mail = platform.mailer.messages.first { $0.to == owner.email }
            #expect(mail?.body.contains(latest.displayString) == true && mail?.body.contains("192.168.1.30") == true)
            #expect(try await platform.services.audit.recent(limit: 10).map(\.action).contains("device.firmware.reported"))
        }
    }

    @Test func aSupportKeyAndAReservedEmailCodeIssuedForTheDeviceAreToldToItsOwnerInTheirLanguage() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            try await device.activate(password: goodPassword, source: "s")
            let owner = try await platform.services.accounts.create(
                email: "giulia@example.com", name: "Giulia", role: .owner, password: testPassword, language: .italian, confirmed: true,
                actor: .system)
            let site = try await platform.services.sites.createSite(name: "Casa", by: owner)
            _ = try await platform.services.sites.addDevice(
                serial: device.identity.serial.text, labelCode: device.identity.labelCode, name: nil, site: site.id, by: owner)
            try await platform.withBackgroundServices {
                let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
                let opened = try await platform.services.authority.open(pending.text)
                _ = try await platform.services.authority.issueResetKey(
                    for: opened, request: .init(actor: .account(id: "reviewer"), reason: "support case", caseID: "case_1234"))
                let serial = device.identity.serial.text
                let told = try await Self.waitForHistory(platform, serial, owner, has: .issued, "reset-key", from: "case_1234")
                #expect(told)
                try await platform.waitForMail(1)
            }
            let mail = try #require(platform.mailer.messages.first { $0.to == owner.email })
            #expect(mail.body.contains("codice di reset") && mail.body.contains("case_1234"), "\(mail.body)")
            // A device nobody owns has nobody to tell.
            let stray = try await enrolledDevice(platform)
            #expect(
                await platform.services.history.record(
                    serial: stray.identity.serial.text, kind: .recovered, method: "guidFile", source: "x")
                    == nil)
        }
    }

    @Test func anInstallerAsksForAccessAndTheOwnerAcceptsItForOneSite() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            let serial = device.identity.serial.text
            let owner = try await platform.account(.owner, email: "marco@example.com")
            let installer = try await platform.account(.installer, certified: true)
            let colleague = try await platform.account(.installer, company: installer.companyId)
            let site = try await platform.services.sites.createSite(name: "Officina", by: owner)
            _ = try await platform.services.sites.addDevice(
                serial: serial, labelCode: device.identity.labelCode, name: nil, site: site.id, by: owner)

            // Only a real owner's address; the note says why.
            await #expect(throws: PlatformError.self) {
                try await platform.services.sites.requestAccess(
                    ownerEmail: "nobody@example.com", note: "Manutenzione", mayReset: true, by: installer)
            }
            await #expect(throws: PlatformError.self) {
                try await platform.services.sites.requestAccess(ownerEmail: owner.email, note: " ", mayReset: true, by: installer)
            }
            let request = try await platform.services.sites.requestAccess(
                ownerEmail: "Marco@Example.com", note: "Contratto di manutenzione", mayReset: true, by: installer)
            #expect(try await platform.services.cases.notifications(for: owner).contains { $0.event == "access.requested" })
            #expect(try await platform.services.sites.access(of: installer, to: serial) == .none)

            // Another owner cannot answer it.
            let stranger = try await platform.account(.owner)
            let strangerSite = try await platform.services.sites.createSite(name: "Altro", by: stranger)
            await #expect(throws: PlatformError.notFound) {
                try await platform.services.sites.answerAccess(
                    id: request.id, site: .existing(id: strangerSite.id), allowReset: true, by: stranger)
            }
            // The owner accepts for the site, allowing less than asked: seeing, not resetting.
            let accepted = try await platform.services.sites.answerAccess(
                id: request.id, site: .existing(id: site.id), allowReset: false, by: owner)
            #expect(accepted.state == .accepted && accepted.shareId != nil)
            #expect(try await platform.services.sites.access(of: installer, to: serial) == .view)
            for account in [installer, colleague] {
                #expect(try await platform.services.cases.notifications(for: account).contains { $0.event == "share.granted" })
            }
            await #expect(throws: PlatformError.self) {
                try await platform.services.sites.answerAccess(id: request.id, site: nil, allowReset: false, by: owner)
            }
            // Revoking tells the company too, and ends its access.
            try await platform.services.sites.revoke(share: try #require(accepted.shareId), by: owner)
            #expect(try await platform.services.sites.access(of: installer, to: serial) == .none)
            #expect(try await platform.services.cases.notifications(for: colleague).contains { $0.event == "share.revoked" })

            // A declined request tells the installer who sent it.
            let second = try await platform.services.sites.requestAccess(
                ownerEmail: owner.email, note: "Nuovo impianto", mayReset: false, by: colleague)
            _ = try await platform.services.sites.answerAccess(id: second.id, site: nil, allowReset: false, by: owner)
            #expect(try await platform.services.cases.notifications(for: colleague).contains { $0.event == "access.declined" })
            let actions = try await platform.services.audit.recent(limit: 30).map(\.action)
            #expect(actions.contains("access-request.sent") && actions.contains("access-request.accepted"))
            #expect(actions.contains("access-request.declined"))
        }
    }

    @Test func aSecondHandDeviceMovesAfterTheGracePeriodUnlessItsOwnerObjects() async throws {
        try await withTestPlatform({ $0.claimGrace = 72 * 3600 }) { platform in
            let cast = try await OwnerResetTests.cast(platform)
            let serial = cast.device.identity.serial.text
            let buyer = try await platform.account(.owner, email: "acquirente@example.com")
            let home = try await platform.services.sites.createSite(name: "Casa nuova", by: buyer)
            let code = cast.device.identity.labelCode
            // Adding it is refused: it is someone else's.
            await #expect(throws: PlatformError.self) {
                try await platform.services.sites.addDevice(serial: serial, labelCode: code, name: nil, site: home.id, by: buyer)
            }
            // A claim needs the device itself back at factory settings, linked.
            let notReset = await #expect(throws: PlatformError.self) {
                try await platform.services.claims.claim(serial: serial, labelCode: code, site: home.id, by: buyer)
            }
            #expect(notReset?.reason.contains("factory settings") == true)
            try await platform.application.test(.live) { client in
                try await withServices([CloudLinkTests.link(cast.device, port: client.port!)]) {
                    #expect(try await eventually { try await platform.services.links.link(serial: serial)?.online == true })
                    _ = try await cast.device.pressResetButton(heldFor: 12)
                    #expect(try await eventually { try await platform.services.links.link(serial: serial)?.activated == false })
                    let now = Date()
                    let claim = try await platform.services.claims.claim(
                        serial: serial, labelCode: code, site: home.id, by: buyer, now: now)
                    #expect(claim.decidesAt == Int64(now.timeIntervalSince1970) + 72 * 3600)
                    // One claim at a time; the owner is told and objects.
                    await #expect(throws: PlatformError.self) {
                        try await platform.services.claims.claim(serial: serial, labelCode: code, site: home.id, by: buyer)
                    }
                    #expect(try await platform.services.cases.notifications(for: cast.owner).contains { $0.event == "claim.started" })
                    await #expect(throws: PlatformError.notFound) { try await platform.services.claims.object(id: claim.id, by: buyer) }
                    _ = try await platform.services.claims.object(id: claim.id, by: cast.owner)
                    await platform.services.claims.moveDue(now: now.addingTimeInterval(73 * 3600))
                    #expect(try await platform.services.sites.ownedDevice(serial: serial)?.ownerId == cast.owner.id)

                    // Claimed again and not objected to: it waits the grace period, then moves.
                    let again = try await platform.services.claims.claim(
                        serial: serial, labelCode: code, site: home.id, by: buyer, now: now)
                    await platform.services.claims.moveDue(now: now.addingTimeInterval(71 * 3600))
                    #expect(try await platform.services.sites.ownedDevice(serial: serial)?.ownerId == cast.owner.id)
                    await platform.services.claims.moveDue(now: now.addingTimeInterval(72 * 3600))
                    let moved = try await platform.services.sites.ownedDevice(serial: serial)
                    #expect(moved?.ownerId == buyer.id && moved?.siteId == home.id)
                    #expect(try await platform.services.claims.claims(for: buyer).first { $0.id == again.id }?.state == .moved)
                }
            }
            // The installer the old owner shared with no longer sees it; the old owner neither.
            #expect(try await platform.services.sites.access(of: cast.installer, to: serial) == .none)
            #expect(try await platform.services.sites.access(of: cast.owner, to: serial) == .none)
            #expect(try await platform.services.sites.access(of: buyer, to: serial) == .reset)
            #expect(try await platform.services.cases.notifications(for: buyer).contains { $0.event == "claim.moved" })
            // The old owner's history stays theirs.
            #expect(try await platform.services.history.history(serial: serial, owner: buyer).allSatisfy { $0.kind != .recovered })
        }
    }

    @Test func theOwnerAppIsInstallableWithItsManifestAndBothIcons() async throws {
        try await withTestPlatform { platform in
            try await platform.application.test(.router) { client in
                let manifest = try await client.execute(uri: "/app/manifest.webmanifest", method: .get)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(manifest.text.utf8)) as? [String: Any])
                #expect(json["start_url"] as? String == "/app" && json["display"] as? String == "standalone")
                let icons = try #require(json["icons"] as? [[String: Any]])
                #expect(Set(icons.compactMap { $0["sizes"] as? String }) == ["192x192", "512x512"])
                for icon in icons {
                    let answer = try await client.execute(uri: try #require(icon["src"] as? String), method: .get)
                    #expect(answer.status == .ok && answer.headers[.contentType] == "image/png")
                    let bytes = Array(answer.body.readableBytesView)
                    // The PNG's own width (IHDR, bytes 16–19) is the size the manifest says.
                    let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
                    #expect("\(width)x\(width)" == icon["sizes"] as? String)
                }
            }
        }
    }
}
