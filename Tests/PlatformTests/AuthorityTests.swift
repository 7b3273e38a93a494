import DeviceAgent
import Foundation
import Hummingbird
import HummingbirdTesting
import Platform
import ReclaimCore
import ReclaimTestSupport
import SQLKit
import Testing

@Suite struct AuthorityKeyTests {
    @Test func keysAreMadeOnFirstStartReadableOnlyByTheOwner() async throws {
        try await withTestPlatform { platform in
            let store = AuthorityKeyStore(dataDirectory: platform.directory)
            for file in ["keys.json", "factory-token"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: store.directory + "/" + file)
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file) must be 0600")
            }
            let folder = try FileManager.default.attributesOfItem(atPath: store.directory)
            #expect((folder[.posixPermissions] as? Int) == 0o700)
            // The same keys come back on the next start.
            #expect(try store.load()?.bundle == platform.services.authority.bundle)
        }
    }

    @Test func keysOthersCanReadAreRefused() async throws {
        let directory = temporaryDirectory()
        let store = AuthorityKeyStore(dataDirectory: directory)
        _ = try store.loadOrCreate()
        chmod(store.directory + "/keys.json", 0o644)
        #expect(throws: PlatformError.self) { try store.load() }
    }

    @Test func rotationKeepsOldKeysSoEarlierFilesStillVerify() async throws {
        let directory = temporaryDirectory()
        let platform = try await TestPlatform.make(directory: directory)
        let device = try await enrolledDevice(platform)
        try await device.activate(password: goodPassword, source: "s")
        let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
        let opened = try await platform.services.authority.open(pending.text)
        let file = try await platform.services.authority.issueResetFile(for: opened, request: .init(actor: .system, reason: "rotation"))
        await platform.close()

        let rotated = try AuthorityKeyStore(dataDirectory: directory).rotate()
        #expect(rotated.signingKeys.count == 2 && rotated.agreementKeys.count == 2)
        #expect(rotated.bundle.signingKeys.contains { $0.id == file.authorization.keyID })
        try file.verify(with: rotated.bundle)
        // A challenge sealed to the old agreement key still opens with the rotated keys.
        let unsealed = try Authority(keys: rotated).unseal(pending.text)
        #expect(unsealed.content.serial == device.identity.serial)
    }
}

@Suite struct EnrollmentAndIssuanceTests {
    @Test func theFactoryEnrollsWithItsTokenAndNobodyElse() async throws {
        try await withTestPlatform { platform in
            let identity = Factory.makeIdentity(model: DeviceModel.catalogue[1], authority: platform.services.authority.bundle)
            let record = try JSONEncoder.reclaim.encode(identity.enrollment!)
            let token = try AuthorityKeyStore(dataDirectory: platform.directory).factoryToken()
            try await platform.application.test(.router) { client in
                try await client.execute(uri: "/api/v1/enrollments", method: .post, body: ByteBuffer(bytes: record)) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(
                    uri: "/api/v1/enrollments", method: .post, headers: [.authorization: "Bearer rcf_wrong"],
                    body: ByteBuffer(bytes: record)
                ) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(
                    uri: "/api/v1/enrollments", method: .post, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(bytes: record)
                ) { response in
                    #expect(response.status == .created)
                    #expect(response.text.contains(identity.serial.text))
                }
                // The same record again changes nothing.
                try await client.execute(
                    uri: "/api/v1/enrollments", method: .post, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(bytes: record)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("unchanged"))
                }
                // The same serial with other keys is refused.
                let impostor = DeviceEnrollment(
                    serial: identity.serial, model: identity.modelName, mac: identity.mac, labelCode: identity.labelCode,
                    keys: .generate(), authorityKeyID: platform.services.authority.bundle.currentAgreementKey.id)
                try await client.execute(
                    uri: "/api/v1/enrollments", method: .post, headers: [.authorization: "Bearer \(token)"],
                    body: ByteBuffer(bytes: try JSONEncoder.reclaim.encode([impostor]))
                ) { response in
                    #expect(response.status == .conflict)
                    #expect(response.text.contains("already enrolled with other keys"))
                }
                try await client.execute(
                    uri: "/api/v1/enrollments", method: .post, headers: [.authorization: "Bearer \(token)"],
                    body: ByteBuffer(string: "{nope")
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.text.contains("reclaim-device provision"))
                }
            }
        }
    }

    @Test func aReviewerGetsAResetKeyThatWorksOnTheDeviceAndIsRecorded() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            try await device.activate(password: goodPassword, source: "s")
            let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
            let reviewer = try await platform.account(.reviewer)
            let token = try await platform.token(for: reviewer)
            let body = try JSONSerialization.data(withJSONObject: [
                "challenge": pending.text, "reason": "case 41: owner lost the password", "caseId": "41",
            ])
            let key = try await platform.application.test(.router) { client in
                let key = try await client.execute(
                    uri: "/api/v1/authority/reset-keys", method: .post, headers: [.authorization: "Bearer \(token)"],
                    body: ByteBuffer(bytes: body)
                ) { response in
                    #expect(response.status == .created)
                    let answer = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                    #expect(answer?["serial"] as? String == device.identity.serial.text)
                    return answer?["resetKey"] as? String ?? ""
                }
                // Without a reason nothing is issued.
                let noReason = try JSONSerialization.data(withJSONObject: ["challenge": pending.text])
                try await client.execute(
                    uri: "/api/v1/authority/reset-keys", method: .post, headers: [.authorization: "Bearer \(token)"],
                    body: ByteBuffer(bytes: noReason)
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.text.contains("reason"))
                }
                return key
            }
            try await device.recover(code: key, kind: .resetKey, newPassword: otherPassword, source: "s")
            try await device.verifyPassword(otherPassword, source: "s")

            let issued = try await platform.services.authority.issuances(serial: device.identity.serial.text)
            #expect(issued.count == 1)
            #expect(
                issued.first?.kind == .resetKey && issued.first?.requestedBy == reviewer.actor.description && issued.first?.caseId == "41")
            let entries = try await platform.services.audit.recent(about: .device(serial: device.identity.serial.text))
            #expect(
                entries.contains {
                    $0.action == "authority.reset-key.issued" && $0.actor == reviewer.actor.description && $0.details.contains("case 41")
                })
            #expect(!entries.contains { $0.details.contains(key) }, "the key itself never reaches the audit log")
        }
    }

    @Test func aDeviceEnrolledBeforeSecretsWereSealedStillGetsAWorkingKey() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            let serial = device.identity.serial.text
            let stored = try await platform.services.database.read { db in
                try await db.select().column("sealed_secret").from("devices").where("serial", .equal, serial)
                    .first(decodingColumn: "sealed_secret", as: String.self)
            }
            #expect((stored?.count ?? 0) > 40, "enrollment seals the per-device secret")
            try await device.activate(password: goodPassword, source: "s")
            let first = try await device.issueChallenge(purpose: .supportCase, source: "s")
            #expect(try await platform.services.authority.open(first.text).sealedSecret != nil, "opening finds it")
            // As a database migrated from schema 1 holds it: no sealed secret.
            try await platform.services.database.transaction { db in
                try await db.update("devices").set("sealed_secret", to: SQLLiteral.null).where("serial", .equal, serial).run()
            }
            let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
            let opened = try await platform.services.authority.open(pending.text)
            #expect(opened.sealedSecret == nil)
            let key = try await platform.services.authority.issueResetKey(
                for: opened, request: .init(actor: .account(id: "test"), reason: "older enrollment"))
            try await device.recover(code: key.description, kind: .resetKey, newPassword: otherPassword, source: "s")
            try await device.verifyPassword(otherPassword, source: "s")
        }
    }

    @Test func resetFileFromTheAPIWorksOnTheDevice() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            try await device.activate(password: goodPassword, source: "s")
            let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
            let token = try await platform.token(for: try await platform.account(.admin))
            let body = try JSONSerialization.data(withJSONObject: ["challenge": pending.text, "reason": "on-site visit"])
            let xml = try await platform.application.test(.router) { client in
                try await client.execute(
                    uri: "/api/v1/authority/reset-files", method: .post, headers: [.authorization: "Bearer \(token)"],
                    body: ByteBuffer(bytes: body)
                ) { response in
                    #expect(response.status == .created)
                    #expect(response.headers[.contentType]?.hasPrefix("application/xml") == true)
                    return Array(response.body.readableBytesView)
                }
            }
            try await device.recover(resetFile: xml, newPassword: otherPassword, source: "s")
            try await device.verifyPassword(otherPassword, source: "s")
        }
    }

    @Test func challengesOfUnenrolledDevicesAreRefusedWithTheReason() async throws {
        try await withTestPlatform { platform in
            // A device that carries the bundle but was never enrolled.
            let store = DeviceStore(directory: temporaryDirectory())
            try store.create(
                Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: platform.services.authority.bundle), durable: false)
            let device = try Device.open(store: store, configuration: DeviceConfiguration(hashCost: .light), logger: testLogger)
            try await device.activate(password: goodPassword, source: "s")
            let pending = try await device.issueChallenge(purpose: .supportCase, source: "s")
            await #expect(throws: ReclaimError.notEnrolled) { try await platform.services.authority.open(pending.text) }
        }
    }
}

@Suite struct AuditLogTests {
    @Test func theChainVerifiesAndNamesTheFirstTamperedEntry() async throws {
        try await withTestPlatform { platform in
            for index in 0..<5 { _ = try await platform.account(.owner, email: "owner\(index)@example.com") }
            guard case .intact(let count, _) = try await AuditLog.verify(platform.services.database) else {
                Issue.record("a fresh chain must verify")
                return
            }
            #expect(count >= 5)
            try await platform.services.database.read { db in
                try await db.update("audit_log").set("subject", to: "account:someone-else").where("seq", .equal, 3).run()
            }
            #expect(
                try await AuditLog.verify(platform.services.database) == .broken(seq: 3, reason: "its content no longer matches its hash"))
        }
    }

    @Test func aRemovedEntryIsFound() async throws {
        try await withTestPlatform { platform in
            for index in 0..<4 { _ = try await platform.account(.owner, email: "o\(index)@example.com") }
            try await platform.services.database.read { db in try await db.delete(from: "audit_log").where("seq", .equal, 2).run() }
            guard case .broken(let seq, let reason) = try await AuditLog.verify(platform.services.database) else {
                Issue.record("a gap must be found")
                return
            }
            #expect(seq == 2)
            #expect(reason.contains("missing"))
        }
    }
}
