public import Foundation
public import Logging
import ReclaimCore
import SQLKit
public import ServiceLifecycle
import WebSupport

/// Tells an owner of every way into their device, by any path, and keeps it as the
/// device's history: recoveries the device reports over its cloud link (GUID file,
/// security questions, reserved-e-mail code, support key or file, factory reset), and the
/// keys, files and codes the authority issues for it (support cases, reserved e-mail).
/// Owner-approved resets tell both sides themselves (``ResetRequests``) and show in the
/// history from their own table.
///
/// A device nobody owns has no history here: there is nobody to tell.
public final class DeviceHistory: Service, Sendable {
    let database: Database
    let links: LinkHub
    let mail: MailQueue
    let settings: ServerSettings
    let logger: Logger
    /// What the authority issues, as it happens (see ``RecoveryAuthority``).
    let issued: AsyncStream<Issuance>

    init(database: Database, links: LinkHub, mail: MailQueue, settings: ServerSettings, logger: Logger, issued: AsyncStream<Issuance>) {
        self.database = database
        self.links = links
        self.mail = mail
        self.settings = settings
        self.logger = logger
        self.issued = issued
    }

    public func run() async throws {
        let reports = await links.reports()
        try? await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    for await (serial, report) in reports {
                        if report.isFirmware {
                            await record(
                                serial: serial, kind: .firmwareInstalled, method: report.firmware ?? "", source: report.source,
                                at: report.at)
                        } else {
                            await record(serial: serial, kind: .recovered, method: report.event, source: report.source, at: report.at)
                        }
                    }
                }
                group.addTask { [self] in
                    for await issuance in issued {
                        await record(
                            serial: issuance.serial, kind: .issued, method: issuance.kind.rawValue,
                            source: issuance.caseId ?? issuance.reason,
                            at: Date(timeIntervalSince1970: TimeInterval(issuance.createdAt)))
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Keeps the event in the device's history and tells the owner (a notification and a
    /// mail in their language). Returns nil when nobody owns the device.
    @discardableResult
    public func record(serial: String, kind: DeviceEvent.Kind, method: String, source: String, at: Date = Date(), tell: Bool = true) async
        -> DeviceEvent?
    {
        do {
            guard let device = try await database.read({ db in try await OwnedDeviceTable.find(serial: serial, in: db) }),
                let owner = try await database.read({ db in try await AccountTable.find(id: device.ownerId, in: db) })
            else { return nil }
            let event = DeviceEvent(
                id: "de_" + Bytes.hex(Bytes.random(count: 8)), serial: serial, ownerId: owner.id, kind: kind, method: method,
                source: String(source.prefix(120)), createdAt: Int64(at.timeIntervalSince1970))
            // An owner-approved reset is told by its request; the history keeps it all the same.
            let tells = tell && !(kind == .recovered && method == "ownerApproval")
            try await database.transaction { db in
                try await DeviceEventTable.insert(event, in: db)
                if tells {
                    try await NotificationTable.insert(
                        CaseNotification(
                            id: SupportCases.messageID(now: Date()), accountId: owner.id, caseId: serial, event: "device.\(kind.rawValue)",
                            createdAt: event.createdAt, readAt: nil), in: db)
                }
            }
            if tells { mail(owner, device: device, event: event) }
            return event
        } catch {
            logger.error("device history not written", metadata: ["serial": .string(serial), "error": .string("\(error)")])
            return nil
        }
    }

    /// How an event's method reads in the owner's mail and history: a recovery mode or what
    /// was issued, in the reader's language; a firmware, as its version.
    static func methodText(_ event: DeviceEvent, _ language: Language) -> String {
        event.kind == .firmwareInstalled ? event.method : MailTemplates.strings.text("mail.method." + event.method, language)
    }

    /// The device's history as its owner sees it, newest first.
    public func history(serial: String, owner: Account, limit: Int = 100) async throws -> [DeviceEvent] {
        try await database.read { db in try await DeviceEventTable.list(serial: serial, owner: owner.id, limit: limit, in: db) }
    }

    private func mail(_ owner: Account, device: OwnedDevice, event: DeviceEvent) {
        let language = owner.preferredLanguage
        let values = [
            "serial": device.serial, "model": device.name, "source": event.source,
            "method": Self.methodText(event, language),
            "link": settings.publicURL + "/app/devices/" + device.serial,
        ]
        let name = event.kind == .issued ? "issued." + event.method : event.kind.rawValue
        mail.enqueue(MailMessage(to: owner.email, MailTemplates.deviceEvent(name, values: values, language: language)))
    }
}
