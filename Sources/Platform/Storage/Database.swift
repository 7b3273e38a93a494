import Foundation
public import Logging
import NIOCore
import NIOPosix
import PostgresKit
public import SQLKit
import SQLiteKit

/// The platform's SQL database: SQLite in the data folder (the embedded default) or
/// PostgreSQL (`postgres://…`). Every query goes through SQLKit, so both run the same code;
/// only the DDL of the migrations is written per dialect.
public final class Database: Sendable {
    public enum Dialect: String, Sendable {
        case sqlite
        case postgres
    }

    public let dialect: Dialect
    /// Where the data lives, without any password: for logs and `/health`.
    public let location: String
    private let connections: any ConnectionLeasing
    /// For LISTEN, which needs a connection of its own.
    private let postgres: SQLPostgresConfiguration?

    /// Opens the database a URL names: `sqlite:///path/to/file.sqlite`, `postgres://user:pass@host:port/db`,
    /// or `postgres+uds://user@localhost/path/to/socket#db` (a PostgreSQL socket file, no network).
    public static func open(url: String, logger: Logger) async throws -> Database {
        if ["postgres://", "postgresql://", "postgres+uds://", "postgresql+uds://"].contains(where: url.hasPrefix) {
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw PlatformError(
                    .databaseURL,
                    "The database URL is not a PostgreSQL URL this server reads (postgres://USER:PASSWORD@HOST:PORT/DATABASE): \(error)")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: 8,
                requestTimeout: .seconds(10), pruneInterval: nil, logger: logger, on: MultiThreadedEventLoopGroup.singleton)
            let database = Database(
                dialect: .postgres, location: Self.redacted(url),
                connections: PooledConnections(pool: pool, logger: logger) { $0.sql() }, postgres: configuration)
            do {
                try await database.check()
            } catch {
                await database.close()
                throw PlatformError(.databaseUnreachable, Self.postgresFailure(error, at: database.location))
            }
            return database
        }
        let path: String
        if url.hasPrefix("sqlite://") {
            path = String(url.dropFirst("sqlite://".count))
        } else if url.hasPrefix("/") {
            path = url
        } else {
            throw PlatformError(
                .databaseURL,
                "The database URL must start with sqlite:// or postgres:// (got \(Self.redacted(url))); leave it out to use SQLite in the data folder."
            )
        }
        // One connection: SQLite takes one writer at a time anyway, and a single connection
        // never meets "database is locked". WAL lets backups and `sqlite3` read meanwhile.
        let pool = EventLoopGroupConnectionPool(
            source: SQLiteConnectionSource(configuration: .init(storage: .file(path: path), enableForeignKeys: true)),
            maxConnectionsPerEventLoop: 1, requestTimeout: .seconds(30), pruneInterval: nil, logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.next())
        let database = Database(
            dialect: .sqlite, location: "sqlite://" + path,
            connections: PooledConnections(pool: pool, logger: logger) { $0.sql() })
        try await database.write { db in
            try await db.raw("PRAGMA journal_mode = WAL").run()
            try await db.raw("PRAGMA synchronous = NORMAL").run()
            try await db.raw("PRAGMA busy_timeout = 5000").run()
        }
        return database
    }

    private init(dialect: Dialect, location: String, connections: any ConnectionLeasing, postgres: SQLPostgresConfiguration? = nil) {
        self.dialect = dialect
        self.location = location
        self.connections = connections
        self.postgres = postgres
    }

    /// PostgreSQL's NOTIFY: tells every instance listening on `channel`. (SQLite has one
    /// instance; nobody else could hear.)
    public func notify(channel: String, payload: String) async throws {
        guard dialect == .postgres else { return }
        try await write { db in try await db.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run() }
    }

    /// Listens on `channels` on a connection of its own, calling `body` for each
    /// notification, until cancelled; reconnects after a lost connection.
    public func listen(
        channels: [String], logger: Logger, _ body: @escaping @Sendable (_ channel: String, _ payload: String) async -> Void
    ) async throws {
        guard let postgres else { return }
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.next(), configuration: postgres.coreConfiguration, id: 0, logger: logger
                ).get()
                defer { Task { try? await connection.close() } }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for channel in channels {
                        group.addTask {
                            try await connection.listen(on: channel) { notifications in
                                for try await notification in notifications { await body(channel, notification.payload) }
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("LISTEN connection lost; connecting again", metadata: ["error": .string("\(error)")])
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Runs queries that only read, on one connection.
    @discardableResult
    public func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await connections.withConnection(body)
    }

    /// Runs writes that stand alone (one statement each, or a set that need not land
    /// together), on one connection, outside a transaction. What must land together goes
    /// through ``transaction(_:)``.
    @discardableResult
    public func write<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await connections.withConnection(body)
    }

    /// Runs `body` in one transaction: everything it writes lands together or not at all.
    @discardableResult
    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await connections.withConnection { db in
            try await db.raw(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// True when the database answers.
    public func check() async throws {
        try await read { db in try await db.raw("SELECT 1 AS one").run() }
    }

    public func close() async {
        await connections.shutdown()
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unreadable URL)" }
        if components.password != nil { components.password = "redacted" }
        return components.string ?? "(unreadable URL)"
    }

    /// Why PostgreSQL could not be used, in words a person can act on. PSQLError's own
    /// description is deliberately generic; its server message and underlying error are
    /// not, and neither carries the password.
    static func postgresFailure(_ error: any Error, at location: String) -> String {
        guard let failure = error as? PSQLError else {
            return "PostgreSQL at \(location) does not answer (\(error)); check that it runs and that the URL names it."
        }
        if let message = failure.serverInfo?[.message] {
            return "PostgreSQL at \(location) refused the connection: \(message)."
        }
        let reason = failure.underlying.map { "\($0)" } ?? "\(failure.code)"
        return "PostgreSQL at \(location) does not answer (\(reason)); check that it runs and that the URL names it."
    }
}

/// Leases one connection for the length of a closure.
private protocol ConnectionLeasing: Sendable {
    func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func shutdown() async
}

/// `@unchecked`: AsyncKit's pool guards its own state with a lock but does not declare
/// itself `Sendable`.
private struct PooledConnections<Source: ConnectionPoolSource>: ConnectionLeasing, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    let logger: Logger
    let sql: @Sendable (Source.Connection) -> any SQLDatabase

    func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await body(sql(connection))
    }

    func shutdown() async {
        try? await pool.shutdownAsync()
    }
}
