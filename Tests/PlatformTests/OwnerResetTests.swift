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

/// The owner-approved reset (F7) through the API, with a real device on a real cloud link.
@Suite struct OwnerResetTests {
    struct Cast {
        let device: Device
        let owner: Account
        let installer: Account
        let ownerToken: String
        let installerToken: String
        let shareID: String
    }

    /// An activated device on an owner's site, shared with a certified installer's company.
    static func cast(_ platform: TestPlatform) async throws -> Cast {
        let device = try await enrolledDevice(platform)
        try await device.activate(password: goodPassword, source: "192.0.2.1")
        let owner = try await platform.account(.owner, email: "olivia.owner@example.com")
        let installer = try await platform.account(.installer, certified: true)
        let site = try await platform.services.sites.createSite(name: "Negozio", by: owner)
        _ = try await platform.services.sites.addDevice(
            serial: device.identity.serial.text, labelCode: device.identity.labelCode, name: "Ingresso", site: site.id, by: owner)
        let share = try await platform.services.sites.share(site: site.id, with: installer.companyId!, mayReset: true, by: owner)
        return Cast(
            device: device, owner: owner, installer: installer, ownerToken: try await platform.token(for: owner),
            installerToken: try await platform.token(for: installer), shareID: share.id)
    }

    static func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String, body: String? = nil,
        from address: String? = nil
    ) async throws -> (status: Int, json: [String: Any], text: String) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let address { headers[HTTPField.Name("X-Forwarded-For")!] = address }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let json = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json, response.text)
    }

    static func sealed(_ password: String, for device: Device) throws -> String {
        Bytes.base64(try SealedPassword.seal(password, for: device.identity.enrollment!).bytes)
    }

    @Test func offSiteTheOwnerApprovesFromTheDevicesNetworkAndTheDeviceTakesThePassword() async throws {
        try await withTestPlatform({ $0.trustedProxies = ["127.0.0.1"] }) { platform in
            let cast = try await Self.cast(platform)
            let serial = cast.device.identity.serial.text
            try await platform.application.test(.live) { client in
                try await withServices([CloudLinkTests.link(cast.device, port: client.port!)]) {
                    #expect(try await eventually { try await platform.services.links.link(serial: serial)?.online == true })
                    let asked = try await Self.call(
                        client, .post, "/api/v1/devices/\(serial)/reset-requests", token: cast.installerToken, body: #"{"mode":"off-site"}"#
                    )
                    #expect(asked.status == 201, "\(asked.text)")
                    #expect(asked.json["ownerEmail"] as? String == "o…r@example.com")
                    let request = try #require((asked.json["request"] as? [String: Any])?["id"] as? String)
                    // A second request for the same device waits for the first.
                    let twice = try await Self.call(
                        client, .post, "/api/v1/devices/\(serial)/reset-requests", token: cast.installerToken, body: #"{"mode":"off-site"}"#
                    )
                    #expect(twice.status == 409)
                    // The installer cannot approve its own request; the owner from another network may not either.
                    let sealed = try Self.sealed(otherPassword, for: cast.device)
                    let body = #"{"sealedPassword":"\#(sealed)"}"#
                    #expect(
                        try await Self.call(
                            client, .post, "/api/v1/reset-requests/\(request)/approve", token: cast.installerToken, body: body
                        )
                        .status == 403)
                    let elsewhere = try await Self.call(
                        client, .post, "/api/v1/reset-requests/\(request)/approve", token: cast.ownerToken, body: body, from: "203.0.113.9")
                    #expect(elsewhere.status == 403 && elsewhere.text.contains("same network"), "\(elsewhere.text)")

                    let approved = try await Self.call(
                        client, .post, "/api/v1/reset-requests/\(request)/approve", token: cast.ownerToken, body: body)
                    #expect(approved.status == 200 && approved.json["state"] as? String == "approved", "\(approved.text)")
                    let changed = try await eventually {
                        try await platform.services.resets.find(id: request)?.state == .changed
                    }
                    #expect(changed, "the device did not take the password")
                    try await cast.device.verifyPassword(otherPassword, source: "192.0.2.1")
                    let seen = try await Self.call(client, .get, "/api/v1/reset-requests/\(request)", token: cast.installerToken)
                    #expect(seen.json["state"] as? String == "changed")
                }
            }
            // Both are told, in the app and by mail; the password is nowhere on the platform.
            let owners = try await platform.services.cases.notifications(for: cast.owner).map(\.event)
            let installers = try await platform.services.cases.notifications(for: cast.installer).map(\.event)
            #expect(owners.contains("reset.requested") && owners.contains("reset.changed"))
            #expect(installers.contains("reset.sent") && installers.contains("reset.changed"))
            try await platform.waitForMail(4)
            #expect(platform.mailer.messages.contains { $0.to == cast.owner.email && $0.body.contains("was changed") })
            #expect(platform.mailer.messages.contains { $0.to == cast.installer.email && $0.body.contains("was changed") })
            try await Self.expectNowhere(otherPassword, platform)
        }
    }

    /// Searches every table, the mail and the data folder for `secret`.
    static func expectNowhere(_ secret: String, _ platform: TestPlatform) async throws {
        #expect(!platform.mailer.messages.contains { $0.body.contains(secret) || $0.subject.contains(secret) })
        let tables = [
            "accounts", "audit_log", "device_commands", "device_links", "reset_requests", "notifications", "sites", "owned_devices",
            "site_shares",
        ]
        for table in tables {
            let rows = try await platform.services.database.read { db in try await db.select().column("*").from(table).all() }
            for row in rows {
                for column in row.allColumns {
                    let text = (try? row.decode(column: column, as: String.self)) ?? ""
                    #expect(!text.contains(secret), "\(table).\(column) holds the password")
                }
            }
        }
        let files = FileManager.default.enumerator(atPath: platform.directory)?.allObjects as? [String] ?? []
        for file in files {
            let data = FileManager.default.contents(atPath: platform.directory + "/" + file) ?? Data()
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) holds the password")
        }
    }

    @Test func onSiteIsRefusedFromAnotherNetworkAndExpiresAfterFiveMinutes() async throws {
        try await withTestPlatform({ $0.trustedProxies = ["127.0.0.1"] }) { platform in
            let cast = try await Self.cast(platform)
            let serial = cast.device.identity.serial.text
            try await platform.application.test(.live) { client in
                try await withServices([CloudLinkTests.link(cast.device, port: client.port!)]) {
                    #expect(try await eventually { try await platform.services.links.link(serial: serial)?.online == true })
                    let path = "/api/v1/devices/\(serial)/reset-requests"
                    let far = try await Self.call(
                        client, .post, path, token: cast.installerToken, body: #"{"mode":"on-site"}"#, from: "198.51.100.4")
                    #expect(far.status == 403 && far.text.contains("device's network"), "\(far.text)")
                    let near = try await Self.call(client, .post, path, token: cast.installerToken, body: #"{"mode":"on-site"}"#)
                    #expect(near.status == 201, "\(near.text)")
                    let request = try #require((near.json["request"] as? [String: Any])?["id"] as? String)
                    let view = try #require(try await platform.services.resets.find(id: request))
                    #expect(view.expiresAt - view.createdAt == 300)
                    let created = Date(timeIntervalSince1970: TimeInterval(view.createdAt))
                    await platform.services.resets.expireOverdue(now: created.addingTimeInterval(299))
                    #expect(try await platform.services.resets.find(id: request)?.state == .pending)
                    await platform.services.resets.expireOverdue(now: created.addingTimeInterval(300))
                    #expect(try await platform.services.resets.find(id: request)?.state == .expired)
                    // Expired: the owner can no longer approve it.
                    let late = try await Self.call(
                        client, .post, "/api/v1/reset-requests/\(request)/approve", token: cast.ownerToken,
                        body: #"{"sealedPassword":"\#(try Self.sealed(otherPassword, for: cast.device))"}"#)
                    #expect(late.status == 409)
                }
            }
            try await cast.device.verifyPassword(goodPassword, source: "192.0.2.1")
            #expect(try await platform.services.cases.notifications(for: cast.installer).map(\.event).contains("reset.expired"))
        }
    }

    @Test func anOffSiteRequestLastsADayAndTheInstallerMayCancelIt() async throws {
        try await withTestPlatform { platform in
            let cast = try await Self.cast(platform)
            let sent = try await platform.services.resets.request(
                serial: cast.device.identity.serial.text, mode: .offSite, by: cast.installer, source: "192.0.2.50")
            #expect(sent.request.expiresAt - sent.request.createdAt == 24 * 3600)
            let created = Date(timeIntervalSince1970: TimeInterval(sent.request.createdAt))
            await platform.services.resets.expireOverdue(now: created.addingTimeInterval(24 * 3600 - 1))
            #expect(try await platform.services.resets.find(id: sent.request.id)?.state == .pending)
            let cancelled = try await platform.services.resets.cancel(id: sent.request.id, by: cast.installer)
            #expect(cancelled.state == .cancelled)
            // Cancelled: a new one may be asked for.
            let again = try await platform.services.resets.request(
                serial: cast.device.identity.serial.text, mode: .offSite, by: cast.installer, source: "192.0.2.50")
            await platform.services.resets.expireOverdue(now: Date().addingTimeInterval(24 * 3600 + 1))
            #expect(try await platform.services.resets.find(id: again.request.id)?.state == .expired)
        }
    }

    @Test func revokingTheShareEndsTheInstallersAccessAtOnce() async throws {
        try await withTestPlatform { platform in
            let cast = try await Self.cast(platform)
            let serial = cast.device.identity.serial.text
            try await platform.application.test(.router) { client in
                #expect(try await Self.call(client, .get, "/api/v1/devices/\(serial)", token: cast.installerToken).status == 200)
                let revoked = try await Self.call(client, .post, "/api/v1/shares/\(cast.shareID)/revoke", token: cast.ownerToken)
                #expect(revoked.status == 204)
                #expect(try await Self.call(client, .get, "/api/v1/devices/\(serial)", token: cast.installerToken).status == 404)
                let asked = try await Self.call(
                    client, .post, "/api/v1/devices/\(serial)/reset-requests", token: cast.installerToken, body: #"{"mode":"off-site"}"#)
                #expect(asked.status == 404)
            }
        }
    }
}
