import DeviceAgent
import Foundation
import HummingbirdTesting
import Platform
import ReclaimCore
import ReclaimTestSupport
import SQLKit
import Testing

@Suite struct StorageTests {
    @Test func aDatabaseThatDoesNotAnswerIsAClearErrorNotACrash() async throws {
        do {
            _ = try await Database.open(url: "postgres://nobody:secret@127.0.0.1:1/reclaim", logger: testLogger)
            Issue.record("a closed port must not open")
        } catch let error as PlatformError {
            #expect(error.code == .databaseUnreachable)
            #expect(error.reason.contains("does not answer"))
            #expect(!error.description.contains("secret"), "the password never reaches a message")
        }
        await #expect(throws: PlatformError.databaseURL) { try await Database.open(url: "mysql://x", logger: testLogger) }
        // A server that answers but refuses: its own reason, without the password.
        if let base = TestDatabase.postgresURL, var stranger = URLComponents(string: base) {
            stranger.user = "nobody_here"
            stranger.password = "secret"
            do {
                _ = try await Database.open(url: stranger.string!, logger: testLogger)
                Issue.record("an unknown role must not open")
            } catch let error as PlatformError {
                #expect(error.description.contains("refused the connection: role \"nobody_here\" does not exist"))
                #expect(!error.description.contains("secret"))
            }
        }
        // A socket file that is not there: the same clear error.
        do {
            _ = try await Database.open(url: "postgres+uds://nobody@localhost/nonexistent/.s.PGSQL.5432#reclaim", logger: testLogger)
            Issue.record("a missing socket must not open")
        } catch let error as PlatformError {
            #expect(error.description.contains("does not answer"))
        }
    }

    @Test func migrationsRunOnceAndAFailedTransactionLeavesNothing() async throws {
        try await withTestPlatform { platform in
            #expect(try await platform.services.schemaVersion() >= 1)
            struct Planned: Error {}
            await #expect(throws: Planned.self) {
                try await platform.services.database.transaction { db in
                    try await db.insert(into: "companies").columns("id", "name", "certified", "created_at")
                        .values(SQLBind("co_half"), SQLBind("Half Written"), SQLBind(0), SQLBind(Int64(0))).run()
                    throw Planned()
                }
            }
            let companies = try await platform.services.accounts.companies()
            #expect(!companies.contains { $0.id == "co_half" })
            // Opening the same data again migrates nothing and keeps what is there.
            let again = try await PlatformServices.open(settings: platform.services.settings, logger: testLogger)
            #expect(try await again.schemaVersion() == platform.services.schemaVersion())
            await again.close()
        }
    }

    /// A database made by the first version of step 7 (device_links without link_id) takes
    /// step 8, after which devices link again.
    @Test func aDatabaseFromBeforeLinkIDsUpgradesAndDevicesLinkAgain() async throws {
        try await withTestPlatform { platform in
            try await platform.services.database.transaction { db in
                for table in ["device_links", "device_events", "access_requests", "device_claims"] {
                    try await db.raw("DROP TABLE \(unsafeRaw: table)").run()
                }
                try await db.raw(
                    """
                    CREATE TABLE device_links (serial TEXT PRIMARY KEY, instance TEXT NOT NULL, online INTEGER NOT NULL,
                      since BIGINT NOT NULL, lan_address TEXT NOT NULL, remote_address TEXT NOT NULL, firmware TEXT NOT NULL,
                      activated INTEGER NOT NULL, last_seen BIGINT NOT NULL)
                    """
                ).run()
                try await db.delete(from: "schema_migrations").where("version", .equal, 8).run()
            }
            let upgraded = try await PlatformServices.open(settings: platform.services.settings, logger: testLogger)
            let device = try await enrolledDevice(platform)
            try await buildPlatformApplication(services: upgraded).test(.live) { client in
                try await withServices([CloudLinkTests.link(device, port: client.port!)]) {
                    let linked = try await eventually { try await upgraded.links.link(serial: device.identity.serial.text)?.online == true }
                    #expect(linked, "the upgraded database records links")
                }
            }
            await upgraded.close()
        }
    }
}
