import Foundation
import Logging
import NIOConcurrencyHelpers
public import ReclaimCore

/// What the cloud link asks of the device: commands to apply, and the recoveries to report.
extension Device {
    /// The source the lock-out book counts cloud commands under.
    public static let cloudSource = "cloud"

    /// Applies a command the platform relayed, through the device's one set of rules, and
    /// says how it went. Never throws: a refusal is an answer the platform must hear.
    public func apply(_ signed: SignedCommand) async -> CommandAck {
        let id = signed.command.idText
        let repeated = state.appliedCommands?.contains { $0.id == id } ?? false
        do {
            try await perform(machine.apply(signed, source: Self.cloudSource, now: now))
        } catch {
            logger.warning(
                "cloud command refused",
                metadata: ["command": .string(id), "code": .string(error.code.rawValue), "reason": .string(error.reason)])
            return CommandAck(
                id: id, outcome: .refused, code: repeated ? CommandAck.alreadyApplied : error.code.rawValue, reason: error.reason)
        }
        recovered(.ownerApproval, source: Self.cloudSource)
        return CommandAck(id: id, outcome: .applied)
    }

    /// The ids of the commands this device applied, kept so that none is applied twice.
    public var appliedCommandIDs: [String] { state.appliedCommands?.map(\.id) ?? [] }

    /// What the link reports at each heartbeat.
    public func linkStatus(lanAddress: String) -> LinkStatus {
        LinkStatus(lanAddress: lanAddress, activated: state.isActivated, firmware: firmware.version)
    }

    /// A stream that rings whenever the link's status changes (activation, a factory reset,
    /// a firmware), for the cloud link to tell the platform at once.
    public nonisolated func linkStatusChanges() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        statusWatchers.withLockedValue { $0.append(continuation) }
        return stream
    }

    /// Rings the link's status watchers.
    func linkStatusChanged() {
        statusWatchers.withLockedValue { $0.forEach { $0.yield() } }
    }

    /// A stream of every recovery made on this device from now on, for the cloud link.
    public nonisolated func recoveryReports() -> AsyncStream<LinkReport> {
        let (stream, continuation) = AsyncStream<LinkReport>.makeStream(bufferingPolicy: .bufferingNewest(32))
        recoveryWatchers.withLockedValue { $0.append(continuation) }
        return stream
    }
}
