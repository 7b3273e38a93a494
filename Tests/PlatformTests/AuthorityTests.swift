import DeviceAgent
import Foundation
import Hummingbird
import HummingbirdTesting
import ReclaimCore
import ReclaimTestSupport
import SQLKit
import Testing

@testable import Platform

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

/// The authority's secrets at rest, with and without a master key kept elsewhere.
@Suite struct AuthorityKeysAtRestTests {
    @Test func withAMasterKeyTheKeyFilesGiveNothingWithoutIt() async throws {
        let directory = temporaryDirectory()
        let secretFile = temporaryDirectory() + "/master-key"
        try "a master secret of well over thirty-two characters".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let bundle = try await withTestPlatform(directory: directory) { $0.services.authority.bundle }
        let keysPath = directory + "/authority/keys.json"
        #expect(try String(contentsOfFile: keysPath, encoding: .utf8).contains("privateKey"), "without a master key: in the clear, 0600")

        // The first start with a master key seals what was in the clear; the authority is the same.
        let again = try await withTestPlatform(directory: directory, { $0.authorityMasterKeyFile = secretFile }) { platform in
            try await platform.services.audit.verify()
        }
        guard case .intact = again else {
            Issue.record("the audit log must still verify with its key sealed")
            return
        }
        for file in ["keys.json", "audit-key"] {
            let text = try String(contentsOfFile: directory + "/authority/" + file, encoding: .utf8)
            #expect(text.contains("reclaim-sealed-1"), "\(file) is sealed")
            #expect(!text.contains("privateKey"))
        }
        let reopened = try await withTestPlatform(directory: directory, { $0.authorityMasterKeyFile = secretFile }) {
            $0.services.authority.bundle
        }
        #expect(reopened == bundle)

        // Without it, or with another, the server says so and does not start.
        for adjust in [
            { (_: inout ServerSettings) in },
            { (s: inout ServerSettings) in s.authorityMasterKeyText = "another master secret, also over thirty-two characters" },
        ] {
            do {
                _ = try await withTestPlatform(directory: directory, adjust) { _ in }
                Issue.record("sealed keys opened without their master key")
            } catch let error as PlatformError {
                #expect(error.code == .keyStore)
                #expect(error.reason.contains("master key"))
            }
        }
    }

    @Test func aMasterKeyFileInsideTheDataFolderOrTooShortIsRefused() async throws {
        let directory = temporaryDirectory()
        try "a master secret of well over thirty-two characters".write(toFile: directory + "/master", atomically: true, encoding: .utf8)
        var settings = ServerSettings(dataDirectory: directory)
        settings.authorityMasterKeyFile = directory + "/master"
        #expect(throws: PlatformError.self) { try settings.authorityMasterKey() }
        settings.authorityMasterKeyFile = nil
        settings.authorityMasterKeyText = "short"
        #expect(throws: PlatformError.self) { try settings.authorityMasterKey() }
    }
}

@Suite struct AuditLogTests {
    @Test func theChainVerifiesAndNamesTheFirstTamperedEntry() async throws {
        try await withTestPlatform { platform in
            for index in 0..<5 { _ = try await platform.account(.owner, email: "owner\(index)@example.com") }
            guard case .intact(let count, _) = try await platform.services.audit.verify() else {
                Issue.record("a fresh chain must verify")
                return
            }
            #expect(count >= 5)
            try await platform.services.database.write { db in
                try await db.update("audit_log").set("subject", to: "account:someone-else").where("seq", .equal, 3).run()
            }
            #expect(
                try await platform.services.audit.verify() == .broken(seq: 3, reason: "its content no longer matches its hash"))
        }
    }

    @Test func aRemovedEntryIsFound() async throws {
        try await withTestPlatform { platform in
            for index in 0..<4 { _ = try await platform.account(.owner, email: "o\(index)@example.com") }
            try await platform.services.database.write { db in try await db.delete(from: "audit_log").where("seq", .equal, 2).run() }
            guard case .broken(let seq, let reason) = try await platform.services.audit.verify() else {
                Issue.record("a gap must be found")
                return
            }
            #expect(seq == 2)
            #expect(reason.contains("missing"))
        }
    }

    @Test func entriesCutOffTheEndAreFoundAgainstTheSignedCheckpoint() async throws {
        try await withTestPlatform { platform in
            for index in 0..<6 { _ = try await platform.account(.owner, email: "t\(index)@example.com") }
            try await platform.services.audit.writeCheckpoint()
            let head = try #require(try await platform.services.audit.recent(limit: 1).first)
            // Cutting the newest entries leaves a chain that is whole on its own…
            try await platform.services.database.write { db in
                try await db.delete(from: "audit_log").where("seq", .greaterThan, head.seq - 3).run()
            }
            // …but shorter than what the checkpoint signed.
            guard case .broken(let seq, let reason) = try await platform.services.audit.verify() else {
                Issue.record("a cut tail must be found")
                return
            }
            #expect(seq == head.seq - 2)
            #expect(reason.contains("cut off the end"))
        }
    }

    @Test func aChainRewrittenWithoutTheAuditKeyIsFound() async throws {
        try await withTestPlatform { platform in
            for index in 0..<4 { _ = try await platform.account(.owner, email: "r\(index)@example.com") }
            // Someone with the database but not the key files rewrites entry 2 and every hash after it.
            let entries = try await platform.services.audit.entries()
            try await platform.services.database.write { db in
                var previous = AuditLog.genesis
                for entry in entries {
                    let actor = entry.seq == 2 ? "account:someone-else" : entry.actor
                    let hash = AuditEntry.hash(
                        seq: entry.seq, at: entry.at, actor: actor, action: entry.action, subject: entry.subject, details: entry.details,
                        previous: previous)
                    try await db.update("audit_log").set("actor", to: actor).set("previous_hash", to: previous).set("hash", to: hash)
                        .where("seq", .equal, entry.seq).run()
                    previous = hash
                }
            }
            #expect(
                try await platform.services.audit.verify()
                    == .broken(seq: 2, reason: "its seal does not match: it was written without the audit key"))
        }
    }

    @Test func aCheckpointNotSignedByTheAuthorityIsABreak() async throws {
        try await withTestPlatform { platform in
            _ = try await platform.account(.owner)
            try await platform.services.audit.writeCheckpoint()
            // The same signature over a count of its own making.
            let path = platform.directory + "/audit/checkpoint.json"
            let real = try #require(try platform.services.audit.lastCheckpoint())
            let forged = AuditCheckpoint(seq: real.seq + 10, hash: real.hash, at: real.at, keyID: real.keyID, signature: real.signature)
            try JSONEncoder.reclaim.encode(forged).write(to: URL(fileURLWithPath: path))
            guard case .broken(_, let reason) = try await platform.services.audit.verify() else {
                Issue.record("a forged checkpoint must be found")
                return
            }
            #expect(reason.contains("not signed by this authority"))
        }
    }

    @Test func theServerWritesACheckpointWhenItStops() async throws {
        let directory = temporaryDirectory()
        try await withTestPlatform(directory: directory) { platform in
            _ = try await platform.account(.owner)
        }
        let checkpoint = try #require(FileManager.default.contents(atPath: directory + "/audit/checkpoint.json"))
        #expect(String(decoding: checkpoint, as: UTF8.self).contains("signature"))
    }
}
