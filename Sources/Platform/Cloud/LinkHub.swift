public import Foundation
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOWebSocket
import PostgresKit
public import ReclaimCore
import SQLKit
public import ServiceLifecycle

/// The platform's end of the cloud links: every device linked to this instance, the
/// commands on their way, and the hand-over between instances.
///
/// A device proves who it is by signing a fresh challenge with its enrolled key (see
/// ``LinkMessage``). A command is written to `device_commands` before it is sent, so a
/// restart loses nothing: a device that links again within the command's validity gets
/// it then. With PostgreSQL, several `reclaim-server` processes share a fleet: the one
/// that takes a command for a device linked elsewhere says so on the `reclaim_link`
/// channel (NOTIFY), and the one holding the link delivers it.
public actor LinkHub: Service {
    /// Names this process in `device_links.instance`.
    public nonisolated let instance = "instance-" + Bytes.hex(Bytes.random(count: 6))
    /// How often a device sends a heartbeat (told in `welcome`).
    public nonisolated let heartbeatSeconds: Int
    /// How long a device has to say hello and prove itself.
    nonisolated let handshakeTimeout: Duration = .seconds(10)

    let database: Database
    let authority: RecoveryAuthority
    let auditLog: AuditLog
    let logger: Logger
    let clock: @Sendable () -> Date

    /// A link held here: where to write, and which commands went down it already.
    private struct Link {
        let token: UInt64
        let outbound: WebSocketOutboundWriter
        var sent: Set<String> = []
        var lastSeen: Date
        /// What the device last said of itself: a heartbeat that says the same writes nothing.
        var status: LinkStatus
    }
    private var links: [String: Link] = [:]
    private var nextToken: UInt64 = 0
    /// Who waits to hear how commands end (the reset requests; tests).
    private var outcomeWatchers: [AsyncStream<DeviceCommandRecord>.Continuation] = []
    private var reportWatchers: [AsyncStream<(serial: String, report: LinkReport)>.Continuation] = []

    init(
        database: Database, authority: RecoveryAuthority, auditLog: AuditLog, logger: Logger, heartbeatSeconds: Int = 25,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.authority = authority
        self.auditLog = auditLog
        self.logger = logger
        self.heartbeatSeconds = heartbeatSeconds
        self.clock = clock
    }

    /// How many links this instance holds.
    public var count: Int { links.count }

    // MARK: - A link, from hello to close

    /// Serves one device's WebSocket until it closes.
    nonisolated func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, remoteAddress: String) async {
        var messages = inbound.messages(maxSize: LinkMessage.maximumSize).makeAsyncIterator()
        let proven = NIOLockedValueBox(false)
        // A peer that never finishes the handshake is closed, not held.
        let watchdog = Task { [handshakeTimeout] in
            try await Task.sleep(for: handshakeTimeout)
            if !proven.withLockedValue({ $0 }) {
                try await outbound.close(.policyViolation, reason: "The handshake took too long.")
            }
        }
        defer { watchdog.cancel() }
        func next() async -> LinkMessage? {
            guard let message = try? await messages.next(), case .text(let text) = message else { return nil }
            return try? LinkMessage(json: text)
        }
        func refuse(_ reason: String) async {
            try? await outbound.write(.text(LinkMessage.refused(reason: reason).json))
            try? await outbound.close(.policyViolation, reason: String(reason.prefix(100)))
        }

        // hello → challenge → proof → welcome
        guard case .hello(let serial, _) = await next() else {
            return await refuse("The link must open with hello.")
        }
        let nonce = Bytes.random(count: 32)
        try? await outbound.write(.text(LinkMessage.challenge(nonce: nonce).json))
        guard case .proof(let proof) = await next(), proof.serial == serial else {
            return await refuse("The link expected the proof of \(serial).")
        }
        guard let record = try? await authority.enrollment(serial: serial) else {
            logger.info("link of a device not enrolled", metadata: ["serial": .string(serial.text), "remote": .string(remoteAddress)])
            return await refuse("\(serial) is not enrolled with this platform's authority (yet): the device tries again later.")
        }
        guard proof.verify(nonce: nonce, enrollment: record) else {
            logger.warning("link refused", metadata: ["serial": .string(serial.text), "remote": .string(remoteAddress)])
            return await refuse("The proof does not verify against the enrolled key of \(serial).")
        }
        proven.withLockedValue { $0 = true }
        let token: UInt64
        do {
            token = try await attach(serial: serial.text, status: proof.status, remoteAddress: remoteAddress, outbound: outbound)
        } catch {
            logger.error("link not recorded", metadata: ["serial": .string(serial.text), "error": .string("\(error)")])
            return await refuse("The platform could not record the link; the device will try again.")
        }
        do {
            try await outbound.write(.text(LinkMessage.welcome(heartbeatSeconds: heartbeatSeconds).json))
            await deliver(serial: serial.text)
            while let message = try await messages.next() {
                guard case .text(let text) = message, let decoded = try? LinkMessage(json: text) else { continue }
                await received(decoded, from: serial.text)
            }
        } catch {
            logger.debug("link ended", metadata: ["serial": .string(serial.text), "error": .string("\(error)")])
        }
        await detach(serial: serial.text, token: token)
    }

    private func attach(serial: String, status: LinkStatus, remoteAddress: String, outbound: WebSocketOutboundWriter) async throws
        -> UInt64
    {
        let now = clock()
        nextToken &+= 1
        // Taken before any await: another link may attach meanwhile and move the counter on.
        let token = nextToken
        // A device that links again replaces its old link (a half-open TCP connection, say).
        links[serial] = Link(token: token, outbound: outbound, lastSeen: now, status: status)
        try await database.write { [instance] db in
            try await DeviceLinkTable.upsert(
                DeviceLinkRecord(
                    serial: serial, instance: instance, online: true, since: Int64(now.timeIntervalSince1970),
                    lanAddress: status.lanAddress, remoteAddress: remoteAddress, firmware: status.firmware, activated: status.activated,
                    lastSeen: Int64(now.timeIntervalSince1970)), linkID: "\(instance):\(token)", in: db)
        }
        logger.info("device linked", metadata: ["serial": .string(serial), "remote": .string(remoteAddress)])
        return token
    }

    private func detach(serial: String, token: UInt64) async {
        guard links[serial]?.token == token else { return }
        let now = Int64(clock().timeIntervalSince1970)
        // The record goes offline before the link leaves `links`: whoever sees this instance
        // hold one link fewer reads the device as offline too. A busy database gets a few
        // tries; a link shown online for a device that is gone misleads whoever acts on it.
        for attempt in 1...3 {
            do {
                try await database.write { [instance] db in
                    try await DeviceLinkTable.markOffline(serial: serial, linkID: "\(instance):\(token)", at: now, in: db)
                }
                break
            } catch {
                logger.error(
                    "link end not recorded",
                    metadata: ["serial": .string(serial), "attempt": .stringConvertible(attempt), "error": .string("\(error)")])
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
        // A new link of the same device may have attached while the record was written.
        if links[serial]?.token == token { links[serial] = nil }
        logger.info("device unlinked", metadata: ["serial": .string(serial)])
    }

    private func received(_ message: LinkMessage, from serial: String) async {
        links[serial]?.lastSeen = clock()
        switch message {
        case .heartbeat(let status):
            // Heartbeats stay in memory; only a change of address or state is written.
            let now = Int64(clock().timeIntervalSince1970)
            guard let before = links[serial]?.status, before.lanAddress != status.lanAddress || before.activated != status.activated
            else { return }
            links[serial]?.status = status
            try? await database.write { [instance] db in
                try await DeviceLinkTable.touch(
                    serial: serial, instance: instance, lanAddress: status.lanAddress, activated: status.activated, at: now, in: db)
            }
        case .ack(let ack):
            await acknowledged(ack, from: serial)
        case .report(let report):
            // A factory reset leaves the device not activated: a second-hand claim needs to know.
            if report.event == "factoryReset", let status = links[serial]?.status {
                links[serial]?.status = LinkStatus(lanAddress: status.lanAddress, activated: false, firmware: status.firmware)
                let now = Int64(clock().timeIntervalSince1970)
                try? await database.write { [instance] db in
                    try await DeviceLinkTable.touch(
                        serial: serial, instance: instance, lanAddress: status.lanAddress, activated: false, at: now, in: db)
                }
            }
            let event: AuditEvent =
                report.isFirmware
                ? .firmwareReported(serial: serial, firmware: report.firmware ?? "", source: report.source)
                : .recoveryReported(serial: serial, event: report.event, source: report.source)
            try? await database.transaction { [auditLog] db in
                _ = try await auditLog.record(event, by: .system, in: db)
            }
            for watcher in reportWatchers { watcher.yield((serial, report)) }
        default:
            logger.debug("unexpected link message", metadata: ["serial": .string(serial), "type": .string(message.type)])
        }
    }

    // MARK: - Commands

    /// Signs `action` for `serial`, keeps it, and sends it if the device is linked (here or,
    /// with PostgreSQL, on another instance). The device's answer arrives later: see
    /// ``outcomes()`` and ``command(id:)``.
    @discardableResult
    public func send(
        _ action: DeviceCommand.Action, to serial: SerialNumber, requestID: String, validity: TimeInterval, actor: AuditActor,
        id: [UInt8] = Bytes.random(count: 16)
    ) async throws -> DeviceCommandRecord {
        let now = clock()
        let signed = try authority.core.command(action, for: serial, requestID: requestID, now: now, validity: validity, id: id)
        let record = DeviceCommandRecord(
            id: signed.command.idText, serial: serial.text, requestID: requestID, state: .pending, code: nil, reason: nil,
            expiresAt: Int64(signed.command.expiresAt.timeIntervalSince1970), createdAt: Int64(now.timeIntervalSince1970),
            updatedAt: Int64(now.timeIntervalSince1970))
        try await database.transaction { [auditLog] db in
            try await DeviceCommandTable.insert(record, message: LinkMessage.command(signed).json, in: db)
            _ = try await auditLog.record(
                .commandSent(serial: serial.text, id: record.id, action: "setAdminPassword", request: requestID), by: actor, in: db)
        }
        if links[serial.text] != nil {
            await deliver(serial: serial.text)
        } else if database.dialect == .postgres {
            try? await database.notify(channel: Self.linkChannel, payload: serial.text)
        }
        return record
    }

    /// Sends the pending commands of `serial` not yet sent down its current link.
    func deliver(serial: String) async {
        guard links[serial] != nil else { return }
        let now = Int64(clock().timeIntervalSince1970)
        guard
            let messages = try? await database.read({ db in try await DeviceCommandTable.pendingMessages(serial: serial, now: now, in: db) }
            )
        else { return }
        for (id, message) in messages {
            guard let link = links[serial], !link.sent.contains(id) else { continue }
            links[serial]?.sent.insert(id)
            do {
                try await link.outbound.write(.text(message))
            } catch {
                // The link is going down; the command stays pending for the next one.
                links[serial]?.sent.remove(id)
            }
        }
    }

    private func acknowledged(_ ack: CommandAck, from serial: String) async {
        // A command applied before a link dropped is refused as a repeat when sent again:
        // it was applied, once.
        let state: DeviceCommandRecord.State =
            ack.outcome == .applied || ack.code == CommandAck.alreadyApplied ? .applied : .refused
        let now = Int64(clock().timeIntervalSince1970)
        let finished = try? await database.transaction { [auditLog] db -> DeviceCommandRecord? in
            guard let command = try await DeviceCommandTable.find(id: ack.id, in: db), command.serial == serial,
                try await DeviceCommandTable.finish(
                    id: ack.id, state: state, code: state == .applied ? nil : ack.code, reason: state == .applied ? nil : ack.reason,
                    at: now, in: db)
            else { return nil }
            _ = try await auditLog.record(
                .commandEnded(serial: serial, id: ack.id, state: state.rawValue, code: state == .applied ? nil : ack.code), by: .system,
                in: db)
            return try await DeviceCommandTable.find(id: ack.id, in: db)
        }
        guard let finished = finished ?? nil else { return }
        await ended(finished)
    }

    private func ended(_ record: DeviceCommandRecord) async {
        for watcher in outcomeWatchers { watcher.yield(record) }
        if database.dialect == .postgres {
            try? await database.notify(channel: Self.outcomeChannel, payload: instance + " " + record.id)
        }
    }

    /// Ends the pending commands whose validity passed (the device stayed offline).
    public func expireOverdue() async throws {
        let now = Int64(clock().timeIntervalSince1970)
        let overdue = try await database.read { db in try await DeviceCommandTable.overdue(now: now, limit: 500, in: db) }
        for command in overdue {
            let ended = try await database.transaction { [auditLog] db -> Bool in
                guard
                    try await DeviceCommandTable.finish(
                        id: command.id, state: .expired, code: "offline", reason: "The device did not answer before the request expired.",
                        at: now, in: db)
                else { return false }
                _ = try await auditLog.record(
                    .commandEnded(serial: command.serial, id: command.id, state: "expired", code: "offline"), by: .system, in: db)
                return true
            }
            if ended, let record = try await self.command(id: command.id) { await self.ended(record) }
        }
    }

    public func command(id: String) async throws -> DeviceCommandRecord? {
        try await database.read { db in try await DeviceCommandTable.find(id: id, in: db) }
    }

    public func link(serial: String) async throws -> DeviceLinkRecord? {
        try await database.read { db in try await DeviceLinkTable.find(serial, in: db) }
    }

    /// Every command that ends from now on, on any instance.
    public func outcomes() -> AsyncStream<DeviceCommandRecord> {
        let (stream, continuation) = AsyncStream<DeviceCommandRecord>.makeStream()
        outcomeWatchers.append(continuation)
        return stream
    }

    /// Every recovery a linked device reports from now on (on this instance).
    public func reports() -> AsyncStream<(serial: String, report: LinkReport)> {
        let (stream, continuation) = AsyncStream<(serial: String, report: LinkReport)>.makeStream()
        reportWatchers.append(continuation)
        return stream
    }

    // MARK: - Running beside the HTTP server

    static let linkChannel = "reclaim_link"
    static let outcomeChannel = "reclaim_command"

    /// Marks links this instance name held as down (none, for a fresh name), then expires
    /// overdue commands every few seconds and, with PostgreSQL, listens for the other
    /// instances until the server stops.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    while !Task.isCancelled {
                        try? await expireOverdue()
                        try await Task.sleep(for: .seconds(2))
                    }
                }
                if self.database.dialect == .postgres {
                    group.addTask { [self] in
                        try await database.listen(channels: [Self.linkChannel, Self.outcomeChannel], logger: logger) { channel, payload in
                            await self.notified(channel: channel, payload: payload)
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        await closeAll()
    }

    private func notified(channel: String, payload: String) async {
        switch channel {
        case Self.linkChannel:
            await deliver(serial: payload)
        case Self.outcomeChannel:
            // Only commands that ended on another instance: ours were told already.
            let parts = payload.split(separator: " ")
            guard parts.count == 2, parts[0] != instance, !outcomeWatchers.isEmpty,
                let record = try? await command(id: String(parts[1]))
            else { return }
            for watcher in outcomeWatchers { watcher.yield(record) }
        default:
            break
        }
    }

    private func closeAll() async {
        let now = Int64(clock().timeIntervalSince1970)
        for (_, link) in links {
            try? await link.outbound.close(.goingAway, reason: "The platform is restarting.")
        }
        links.removeAll()
        try? await database.write { [instance] db in try await DeviceLinkTable.markInstanceOffline(instance, at: now, in: db) }
        for watcher in outcomeWatchers { watcher.finish() }
        for watcher in reportWatchers { watcher.finish() }
    }
}
