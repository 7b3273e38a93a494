import Foundation
import SQLKit

/// One message of a ticket's thread.
public struct TicketMessage: Sendable, Equatable, Codable {
    public let id: String
    public let ticketId: String
    public let authorId: String
    public let fromReviewer: Bool
    public let body: String
    public let createdAt: Int64
}

/// One file of a ticket: what it is for, and whether its bytes are still kept.
public struct TicketFile: Sendable, Equatable {
    /// What the owner or a reviewer attached it as.
    public enum Purpose: String, Sendable, CaseIterable {
        case qrCode = "qr-code"
        case labelPhoto = "label-photo"
        case proofOfPurchase = "proof-of-purchase"
        case authorisation
        /// Attached to a message of the thread.
        case message
    }

    public let id: String
    public let ticketId: String
    public let messageId: String?
    public let purpose: Purpose
    public let name: String
    public let mediaType: String
    public let size: Int64
    public let sha256: String
    public let deletedAt: Int64?
    public let createdAt: Int64
}

/// The `owner_tickets` table.
enum OwnerTicketTable {
    private struct Row: Codable {
        let id: String
        let ownerId: String
        let serial: String
        let model: String
        let challenge: String
        let challengeExpiresAt: Int64
        let onBehalfOfClient: Int
        let resultKind: String
        let state: String
        let reviewer: String?
        let rejectText: String?
        let decidedAt: Int64?
        let filesDeletedAt: Int64?
        let createdAt: Int64
        let updatedAt: Int64
    }

    private static func row(_ ticket: OwnerTicket) -> Row {
        Row(
            id: ticket.id, ownerId: ticket.ownerId, serial: ticket.serial, model: ticket.model, challenge: ticket.challenge,
            challengeExpiresAt: ticket.challengeExpiresAt, onBehalfOfClient: ticket.onBehalfOfClient ? 1 : 0,
            resultKind: ticket.resultKind.rawValue, state: ticket.state.rawValue, reviewer: ticket.reviewer, rejectText: ticket.rejectText,
            decidedAt: ticket.decidedAt, filesDeletedAt: ticket.filesDeletedAt, createdAt: ticket.createdAt, updatedAt: ticket.updatedAt)
    }

    private static func ticket(_ row: Row) -> OwnerTicket {
        OwnerTicket(
            stored: row.id, ownerId: row.ownerId, serial: row.serial, model: row.model, challenge: row.challenge,
            challengeExpiresAt: row.challengeExpiresAt, onBehalfOfClient: row.onBehalfOfClient != 0, createdAt: row.createdAt,
            state: OwnerTicket.State(rawValue: row.state) ?? .closed, updatedAt: row.updatedAt, reviewer: row.reviewer,
            rejectText: row.rejectText, decidedAt: row.decidedAt, filesDeletedAt: row.filesDeletedAt)
    }

    static func insert(_ ticket: OwnerTicket, in db: any SQLDatabase) async throws {
        try await db.insert(into: "owner_tickets").model(row(ticket), keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// Writes `after` only if the stored ticket is still `before`; false when someone changed it meanwhile.
    static func update(_ after: OwnerTicket, from before: OwnerTicket, in db: any SQLDatabase) async throws -> Bool {
        let row = row(after)
        let changed = try await db.update("owner_tickets")
            .set("state", to: row.state).set("reviewer", to: row.reviewer).set("reject_text", to: row.rejectText)
            .set("decided_at", to: row.decidedAt).set("files_deleted_at", to: row.filesDeletedAt).set("updated_at", to: row.updatedAt)
            .where("id", .equal, after.id).where("state", .equal, before.state.rawValue).where("updated_at", .equal, before.updatedAt)
            .returning("id").all()
        return !changed.isEmpty
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> OwnerTicket? {
        try await db.select().column("*").from("owner_tickets").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(ticket)
    }

    static func list(owner: String, in db: any SQLDatabase) async throws -> [OwnerTicket] {
        try await db.select().column("*").from("owner_tickets").where("owner_id", .equal, owner).orderBy("created_at", .descending)
            .limit(200).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(ticket)
    }

    static func list(states: [OwnerTicket.State], in db: any SQLDatabase) async throws -> [OwnerTicket] {
        try await db.select().column("*").from("owner_tickets").where("state", .in, states.map(\.rawValue)).orderBy("updated_at")
            .limit(500).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(ticket)
    }

    /// Tickets that ended and still hold files: the retention sweep's candidates.
    static func withFiles(decidedBefore cutoff: Int64, in db: any SQLDatabase) async throws -> [OwnerTicket] {
        try await db.select().column("*").from("owner_tickets").where("files_deleted_at", .is, SQLLiteral.null)
            .where("decided_at", .lessThanOrEqual, cutoff).limit(500)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(ticket)
    }
}

/// The `ticket_messages` and `ticket_files` tables.
enum TicketThreadTable {
    static func insert(_ message: TicketMessage, in db: any SQLDatabase) async throws {
        try await db.insert(into: "ticket_messages")
            .columns("id", "ticket_id", "author_id", "from_reviewer", "body", "created_at")
            .values(
                SQLBind(message.id), SQLBind(message.ticketId), SQLBind(message.authorId), SQLBind(message.fromReviewer ? 1 : 0),
                SQLBind(message.body), SQLBind(message.createdAt)
            ).run()
    }

    static func messages(ticket: String, in db: any SQLDatabase) async throws -> [TicketMessage] {
        try await db.select().columns("id", "ticket_id", "author_id", "from_reviewer", "body", "created_at").from("ticket_messages")
            .where("ticket_id", .equal, ticket).orderBy("created_at").orderBy("id").all().map { row in
                TicketMessage(
                    id: try row.decode(column: "id", as: String.self), ticketId: try row.decode(column: "ticket_id", as: String.self),
                    authorId: try row.decode(column: "author_id", as: String.self),
                    fromReviewer: try row.decode(column: "from_reviewer", as: Int.self) != 0,
                    body: try row.decode(column: "body", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self))
            }
    }

    static func insert(_ file: TicketFile, bytes: [UInt8], in db: any SQLDatabase) async throws {
        try await db.insert(into: "ticket_files")
            .columns("id", "ticket_id", "message_id", "purpose", "name", "media_type", "size", "sha256", "bytes", "created_at")
            .values(
                SQLBind(file.id), SQLBind(file.ticketId), SQLBind(file.messageId), SQLBind(file.purpose.rawValue), SQLBind(file.name),
                SQLBind(file.mediaType), SQLBind(file.size), SQLBind(file.sha256), SQLBind(Data(bytes)), SQLBind(file.createdAt)
            ).run()
    }

    private static let fileColumns = [
        "id", "ticket_id", "message_id", "purpose", "name", "media_type", "size", "sha256", "deleted_at", "created_at",
    ]

    private static func file(_ row: any SQLRow) throws -> TicketFile {
        TicketFile(
            id: try row.decode(column: "id", as: String.self), ticketId: try row.decode(column: "ticket_id", as: String.self),
            messageId: try row.decode(column: "message_id", as: String?.self),
            purpose: TicketFile.Purpose(rawValue: try row.decode(column: "purpose", as: String.self)) ?? .message,
            name: try row.decode(column: "name", as: String.self), mediaType: try row.decode(column: "media_type", as: String.self),
            size: try row.decode(column: "size", as: Int64.self), sha256: try row.decode(column: "sha256", as: String.self),
            deletedAt: try row.decode(column: "deleted_at", as: Int64?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    static func files(ticket: String, in db: any SQLDatabase) async throws -> [TicketFile] {
        try await db.select().columns(fileColumns.map { SQLColumn($0) }).from("ticket_files").where("ticket_id", .equal, ticket)
            .orderBy("created_at").orderBy("id").all().map(file)
    }

    /// A file and its bytes (nil once deleted).
    static func file(id: String, ticket: String, in db: any SQLDatabase) async throws -> (TicketFile, [UInt8]?)? {
        guard
            let row = try await db.select().columns((fileColumns + ["bytes"]).map { SQLColumn($0) }).from("ticket_files")
                .where("id", .equal, id).where("ticket_id", .equal, ticket).first()
        else { return nil }
        return (try file(row), try row.decode(column: "bytes", as: Data?.self).map { [UInt8]($0) })
    }

    /// Empties every file of a ticket; the rows stay, saying what was there and when it went.
    static func deleteFiles(ticket: String, at now: Int64, in db: any SQLDatabase) async throws {
        try await db.update("ticket_files").set("bytes", to: SQLLiteral.null).set("deleted_at", to: now)
            .where("ticket_id", .equal, ticket).where("deleted_at", .is, SQLLiteral.null).run()
    }
}
