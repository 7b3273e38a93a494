import DeviceAgent
import Foundation
import Hummingbird
import HummingbirdTesting
import Platform
import ReclaimCore
import ReclaimTestSupport
import Testing

/// The cloud link end to end: a real device's `CloudLink` on a real WebSocket to a live platform.
@Suite struct CloudLinkTests {
    static func link(_ device: Device, port: Int) -> CloudLink {
        CloudLink(device: device, platform: "http://127.0.0.1:\(port)", lanAddress: { "192.168.1.64" }, logger: testLogger)
    }

    static func sealed(_ password: String, for device: Device) throws -> DeviceCommand.Action {
        .setAdminPassword(try SealedPassword.seal(password, for: device.identity.enrollment!))
    }

    static func device(_ client: some TestClientProtocol, _ serial: SerialNumber, token: String) async throws -> (
        status: Int, json: [String: Any]
    ) {
        let response = try await client.execute(
            uri: "/api/v1/devices/\(serial.text)", method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
        let json = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    @Test func aLinkedDeviceShowsOnlineAndSetsTheSealedPasswordOnce() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            try await device.activate(password: goodPassword, source: "192.0.2.1")
            let serial = device.identity.serial
            let reviewer = try await platform.token(for: try await platform.account(.reviewer))
            let installer = try await platform.token(for: try await platform.account(.installer, certified: true))
            try await platform.application.test(.live) { client in
                let before = try await Self.device(client, serial, token: reviewer)
                #expect(before.status == 200 && before.json["online"] as? Bool == false)

                let link = Self.link(device, port: client.port!)
                try await withServices([link]) {
                    #expect(await eventually { link.isOnline }, "the device never linked")
                    #expect(try await eventually { try await platform.services.links.link(serial: serial.text)?.online == true })
                    let online = try await Self.device(client, serial, token: reviewer)
                    #expect(online.json["online"] as? Bool == true)
                    #expect(online.json["lanAddress"] as? String == "192.168.1.64")
                    #expect(online.json["since"] as? String != nil)
                    // An installer of no site holding the device does not see it.
                    #expect(try await Self.device(client, serial, token: installer).status == 404)

                    let sent = try await platform.services.links.send(
                        try Self.sealed(otherPassword, for: device), to: serial, requestID: "test", validity: 300, actor: .system)
                    #expect(
                        try await eventually { try await platform.services.links.command(id: sent.id)?.state == .applied },
                        "the command was not acknowledged")
                    try await device.verifyPassword(otherPassword, source: "192.0.2.1")
                    let actions = try await platform.services.audit.recent(limit: 10).map(\.action)
                    #expect(actions.contains("device.command.sent") && actions.contains("device.command.applied"))
                    // The report of the owner-approved reset came up the link too.
                    #expect(
                        try await eventually {
                            try await platform.services.audit.recent(limit: 10).map(\.action).contains("device.recovery.reported")
                        })
                }
                #expect(
                    try await eventually { try await platform.services.links.link(serial: serial.text)?.online == false },
                    "the platform did not see the link end")
                let after = try await Self.device(client, serial, token: reviewer)
                #expect(after.json["online"] as? Bool == false)
            }
        }
    }

    /// Links that come up together (their records written while others attach) each go
    /// down when their device goes: none stays online for a device that is gone.
    /// Activation and the reset button reach the platform at once, not at the next heartbeat
    /// (25 s; 15 s is the bound here): a device just activated must not pass for a reset one
    /// a buyer may claim.
    @Test func activationAndAFactoryResetReachThePlatformBeforeTheNextHeartbeat() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            let serial = device.identity.serial.text
            try await platform.application.test(.live) { client in
                try await withServices([Self.link(device, port: client.port!)]) {
                    #expect(try await eventually { try await platform.services.links.link(serial: serial)?.online == true })
                    #expect(try await platform.services.links.link(serial: serial)?.activated == false)
                    try await device.activate(password: goodPassword, source: "192.0.2.1")
                    #expect(
                        try await eventually(within: 15) { try await platform.services.links.link(serial: serial)?.activated == true },
                        "the platform still reads the device as not activated")
                    #expect(try await device.pressResetButton(heldFor: 12) == .factoryReset)
                    #expect(try await eventually(within: 15) { try await platform.services.links.link(serial: serial)?.activated == false })
                }
            }
        }
    }

    @Test func manyDevicesLinkAtOnceAndEachGoesOfflineWhenItStops() async throws {
        try await withTestPlatform { platform in
            var made: [Device] = []
            for _ in 0..<12 { made.append(try await enrolledDevice(platform)) }
            let devices = made
            try await platform.application.test(.live) { client in
                let links = devices.map { Self.link($0, port: client.port!) }
                try await withServices(links) {
                    let all = await eventually { await platform.services.links.count == devices.count }
                    let linked = await platform.services.links.count
                    #expect(all, "\(linked) of \(devices.count) linked")
                }
                let none = await eventually { await platform.services.links.count == 0 }
                let left = await platform.services.links.count
                #expect(none, "\(left) links outlived their devices")
                for device in devices {
                    let record = try await platform.services.links.link(serial: device.identity.serial.text)
                    #expect(record?.online == false, "\(device.identity.serial) still shown online")
                }
            }
        }
    }

    @Test func aDeviceThatIsNotEnrolledIsRefused() async throws {
        try await withTestPlatform { platform in
            // Carries the platform's bundle, but the authority never took its enrollment.
            let store = DeviceStore(directory: temporaryDirectory())
            try store.create(
                Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: platform.services.authority.bundle), durable: false)
            let device = try Device.open(store: store, configuration: DeviceConfiguration(hashCost: .light), logger: testLogger)
            try await platform.application.test(.live) { client in
                let link = Self.link(device, port: client.port!)
                try await withServices([link]) {
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(!link.isOnline)
                    #expect(try await platform.services.links.link(serial: device.identity.serial.text) == nil)
                }
            }
        }
    }

    @Test func aCommandWaitsForAnOfflineDeviceAcrossARestart() async throws {
        let directory = temporaryDirectory()
        let deviceDirectory = temporaryDirectory() + "-device"
        let mailer = RecordingMailer()
        // The first platform takes the command while the device is offline, then stops.
        let (commandID, serial, databaseURL) = try await withTestPlatform(directory: directory, mailer: mailer) { platform in
            let device = try await enrolledDevice(platform, directory: deviceDirectory)
            try await device.activate(password: goodPassword, source: "192.0.2.1")
            let sent = try await platform.services.links.send(
                try Self.sealed(otherPassword, for: device), to: device.identity.serial, requestID: "restart", validity: 600, actor: .system
            )
            return (sent.id, device.identity.serial, platform.services.settings.databaseURL)
        }
        // The second, on the same data, delivers it when the device links.
        try await withTestPlatform(directory: directory, mailer: mailer, { $0.databaseURL = databaseURL }) { platform in
            #expect(try await platform.services.links.command(id: commandID)?.state == .pending)
            let device = try Device.open(
                store: DeviceStore(directory: deviceDirectory), configuration: DeviceConfiguration(hashCost: .light), logger: testLogger)
            try await platform.application.test(.live) { client in
                try await withServices([Self.link(device, port: client.port!)]) {
                    let applied = try await eventually { try await platform.services.links.command(id: commandID)?.state == .applied }
                    #expect(applied, "the command waiting since before the restart was not applied")
                }
            }
            try await device.verifyPassword(otherPassword, source: "192.0.2.1")
            #expect(device.identity.serial == serial)
        }
    }

    @Test func aCommandForADeviceThatStaysOfflineExpires() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            let outcomes = await platform.services.links.outcomes()
            let sent = try await platform.services.links.send(
                try Self.sealed(otherPassword, for: device), to: device.identity.serial, requestID: "late", validity: 1, actor: .system)
            try await Task.sleep(for: .milliseconds(1100))
            try await platform.services.links.expireOverdue()
            let ended = try #require(try await platform.services.links.command(id: sent.id))
            #expect(ended.state == .expired && ended.code == "offline")
            var iterator = outcomes.makeAsyncIterator()
            #expect(await iterator.next()?.id == sent.id, "whoever waits is told")
        }
    }

    /// Two platform instances on one PostgreSQL database: a command taken by the one the
    /// device is not linked to is routed through LISTEN/NOTIFY to the one it is.
    @Test(.enabled(if: TestDatabase.postgresURL != nil, "needs PostgreSQL (RECLAIM_TEST_DATABASE_URL)"))
    func aCommandTakenByAnotherInstanceReachesTheDevice() async throws {
        let directory = temporaryDirectory()
        try await withTestPlatform(directory: directory) { first in
            let databaseURL = first.services.settings.databaseURL
            try await withTestPlatform(directory: directory, { $0.databaseURL = databaseURL }) { second in
                #expect(first.services.links.instance != second.services.links.instance)
                let device = try await enrolledDevice(first)
                try await device.activate(password: goodPassword, source: "192.0.2.1")
                try await first.application.test(.live) { firstClient in
                    try await second.application.test(.live) { _ in
                        let outcomes = await second.services.links.outcomes()
                        try await withServices([Self.link(device, port: firstClient.port!)]) {
                            let linked = try await eventually {
                                try await second.services.links.link(serial: device.identity.serial.text)?.online == true
                            }
                            #expect(linked)
                            #expect(await first.services.links.count == 1)
                            #expect(await second.services.links.count == 0)
                            let sent = try await second.services.links.send(
                                try Self.sealed(otherPassword, for: device), to: device.identity.serial, requestID: "routed", validity: 300,
                                actor: .system)
                            var iterator = outcomes.makeAsyncIterator()
                            let outcome = await iterator.next()
                            #expect(outcome?.id == sent.id && outcome?.state == .applied, "the second instance hears how it ended")
                        }
                        try await device.verifyPassword(otherPassword, source: "192.0.2.1")
                    }
                }
            }
        }
    }
}
