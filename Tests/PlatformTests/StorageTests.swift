import Foundation
import Platform
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
}
