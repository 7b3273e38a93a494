import DeviceAgent
import Foundation
import Platform
import ReclaimCore
import ReclaimTestSupport
import Testing

/// Owners' devices and sites, and what a share gives an installer company.
@Suite struct SiteTests {
    @Test func anOwnerAddsADeviceWithTheLabelCodeAndNobodyElseCan() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            let serial = device.identity.serial.text
            let owner = try await platform.account(.owner)
            let site = try await platform.services.sites.createSite(name: "Casa", by: owner)
            // A wrong code and an unknown serial get the same answer.
            let wrong = await #expect(throws: PlatformError.self) {
                try await platform.services.sites.addDevice(serial: serial, labelCode: "ZZZZZZ", name: nil, site: site.id, by: owner)
            }
            let unknown = await #expect(throws: PlatformError.self) {
                try await platform.services.sites.addDevice(
                    serial: "DS-2CD2386G2-IU20250101AAAA000000001", labelCode: "ZZZZZZ", name: nil, site: site.id, by: owner)
            }
            #expect(wrong?.reason == unknown?.reason)
            let added = try await platform.services.sites.addDevice(
                serial: serial.lowercased(), labelCode: device.identity.labelCode.lowercased(), name: "Ingresso", site: site.id, by: owner)
            #expect(added.serial == serial && added.name == "Ingresso")

            // A second account holding the label too is refused, without a word of whose it is.
            let other = try await platform.account(.owner, email: "secondo@example.com")
            let otherSite = try await platform.services.sites.createSite(name: "Ufficio", by: other)
            let refused = await #expect(throws: PlatformError.self) {
                try await platform.services.sites.addDevice(
                    serial: serial, labelCode: device.identity.labelCode, name: nil, site: otherSite.id, by: other)
            }
            #expect(refused?.code == .conflict)
            #expect(refused?.reason.contains(owner.email) == false && refused?.reason.contains("already in another account") == true)
            // Installers keep no devices of their own.
            let installer = try await platform.account(.installer, certified: true)
            await #expect(throws: PlatformError.self) {
                try await platform.services.sites.createSite(name: "X", by: installer)
            }
        }
    }

    @Test func aShareGivesTheCompanyTheSitesDevicesUntilTheOwnerRevokesIt() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            let serial = device.identity.serial.text
            let owner = try await platform.account(.owner)
            let installer = try await platform.account(.installer, certified: true)
            let company = try #require(installer.companyId)
            let stranger = try await platform.account(.installer, certified: true)
            let site = try await platform.services.sites.createSite(name: "Magazzino", by: owner)
            _ = try await platform.services.sites.addDevice(
                serial: serial, labelCode: device.identity.labelCode, name: nil, site: site.id, by: owner)
            #expect(try await platform.services.sites.access(of: installer, to: serial) == .none)
            #expect(try await platform.services.sites.access(of: owner, to: serial) == .reset)

            let share = try await platform.services.sites.share(site: site.id, with: company, mayReset: true, by: owner)
            #expect(try await platform.services.sites.access(of: installer, to: serial) == .reset)
            #expect(try await platform.services.sites.access(of: stranger, to: serial) == .none)
            #expect(try await platform.services.sites.sharedSites(with: company).map(\.site.name) == ["Magazzino"])
            // Only the owner revokes.
            await #expect(throws: PlatformError.notFound) {
                try await platform.services.sites.revoke(share: share.id, by: try await platform.account(.owner))
            }
            try await platform.services.sites.revoke(share: share.id, by: owner)
            #expect(try await platform.services.sites.access(of: installer, to: serial) == .none)
            #expect(try await platform.services.sites.sharedSites(with: company).isEmpty)
            let actions = try await platform.services.audit.recent(limit: 10).map(\.action)
            #expect(actions.contains("site.shared") && actions.contains("site.share.revoked") && actions.contains("device.added"))
        }
    }
}
