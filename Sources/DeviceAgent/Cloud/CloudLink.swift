import Crypto
import Foundation
import HummingbirdWSClient
public import Logging
import NIOConcurrencyHelpers
import NIOWebSocket
import ReclaimCore
public import ServiceLifecycle

/// Keeps a device's WebSocket to the platform open: connects, proves the device's
/// identity, sends heartbeats and recovery reports, applies commands, and reconnects with
/// jittered back-off. The rules are ``CloudLinkMachine``'s; this only performs them.
public struct CloudLink: Service {
    let device: Device
    /// `ws://host:port/api/v1/link` (or `wss://`), from the platform's address.
    let url: String
    /// The device's address on its LAN, as it reports it.
    let lanAddress: @Sendable () -> String
    let logger: Logger
    /// Whether the link is up now.
    let online = NIOLockedValueBox(false)
    /// Where to write while the link is up.
    private let current = NIOLockedValueBox<WebSocketOutboundWriter?>(nil)
    /// Recoveries made on the LAN, kept until the platform has been told (across reconnections).
    private let unsentReports = NIOLockedValueBox<[LinkReport]>([])

    /// `platform` is the platform's base URL (`http://…` or `https://…`).
    public init(device: Device, platform: String, lanAddress: @escaping @Sendable () -> String, logger: Logger) {
        self.device = device
        self.url = Self.linkURL(platform: platform)
        self.lanAddress = lanAddress
        self.logger = logger
    }

    /// Whether the link is up now, for the device's own status (and the tests).
    public var isOnline: Bool { online.withLockedValue { $0 } }

    static func linkURL(platform: String) -> String {
        var base = platform
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasPrefix("https://") { base = "wss://" + base.dropFirst("https://".count) }
        if base.hasPrefix("http://") { base = "ws://" + base.dropFirst("http://".count) }
        return base + "/api/v1/link"
    }

    public func run() async throws {
        let reports = device.recoveryReports()
        let collector = Task { [unsentReports] in
            for await report in reports {
                unsentReports.withLockedValue { $0 = Array(($0 + [report]).suffix(32)) }
                await sendReports()
            }
        }
        defer { collector.cancel() }
        // A change of what the heartbeat says goes out at once, not at the next beat.
        let changes = device.linkStatusChanges()
        let statusSender = Task { [current, device, lanAddress] in
            for await _ in changes {
                guard let outbound = current.withLockedValue({ $0 }) else { continue }
                let status = await device.linkStatus(lanAddress: lanAddress())
                try? await outbound.write(.text(LinkMessage.heartbeat(status).json))
            }
        }
        defer { statusSender.cancel() }
        // Stopping the device ends the link at once, whatever it was waiting for.
        await cancelWhenGracefulShutdown {
            var machine = CloudLinkMachine(serial: device.identity.serial, firmware: await device.firmware.version)
            var action = machine.start()
            while !Task.isCancelled {
                switch action {
                case .connect:
                    let box = NIOLockedValueBox(machine)
                    do {
                        try await WebSocketClient.connect(
                            url: url,
                            configuration: .init(maxFrameSize: LinkMessage.maximumSize, autoPing: .enabled(timePeriod: .seconds(30))),
                            logger: logger
                        ) { inbound, outbound, _ in
                            try await session(inbound: inbound, outbound: outbound, machine: box)
                        }
                    } catch {
                        logger.debug("cloud link failed", metadata: ["error": .string("\(error)")])
                    }
                    online.withLockedValue { $0 = false }
                    current.withLockedValue { $0 = nil }
                    machine = box.withLockedValue { $0 }
                    action = machine.connectionLost(jitter: Double.random(in: 0...1))
                case .reconnect(let delay):
                    logger.debug("cloud link retries", metadata: ["after": .string("\(delay)")])
                    do { try await Task.sleep(for: delay) } catch { return }
                    action = machine.retryDue()
                default:
                    return
                }
            }
        }
    }

    /// Tells the platform of the recoveries not yet told, if the link is up.
    private func sendReports() async {
        guard let outbound = current.withLockedValue({ $0 }) else { return }
        let reports = unsentReports.withLockedValue { reports in
            defer { reports.removeAll() }
            return reports
        }
        for (index, report) in reports.enumerated() {
            do {
                try await outbound.write(.text(LinkMessage.report(report).json))
            } catch {
                unsentReports.withLockedValue { $0 = Array(reports[index...]) + $0 }
                return
            }
        }
    }

    /// One connection, from hello to close.
    private func session(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, machine: NIOLockedValueBox<CloudLinkMachine>)
        async throws
    {
        func perform(_ action: CloudLinkMachine.Action, heartbeats: inout Task<Void, Never>?) async throws {
            switch action {
            case .send(let message):
                try await outbound.write(.text(message.json))
            case .prove(let nonce):
                let status = await device.linkStatus(lanAddress: lanAddress())
                let bytes = LinkProof.signedBytes(serial: device.identity.serial, nonce: nonce)
                let signature = Array(try device.identity.keys.identity.signature(for: bytes))
                try await outbound.write(
                    .text(LinkMessage.proof(LinkProof(serial: device.identity.serial, signature: signature, status: status)).json))
            case .startHeartbeats(let interval):
                online.withLockedValue { $0 = true }
                logger.info("cloud link up", metadata: ["platform": .string(url)])
                current.withLockedValue { $0 = outbound }
                await sendReports()
                heartbeats = Task { [device, lanAddress] in
                    // The first beat at once: what changed since the proof (an activation
                    // while the link came up) is not left for the interval.
                    while !Task.isCancelled {
                        let status = await device.linkStatus(lanAddress: lanAddress())
                        try? await outbound.write(.text(LinkMessage.heartbeat(status).json))
                        try? await Task.sleep(for: interval)
                    }
                }
            case .apply(let command):
                let ack = await device.apply(command)
                try await outbound.write(.text(LinkMessage.ack(ack).json))
            case .close(let reason):
                logger.warning("cloud link closed", metadata: ["reason": .string(reason)])
                try await outbound.close(.normalClosure, reason: String(reason.prefix(100)))
            case .connect, .reconnect, .nothing:
                break
            }
        }
        var heartbeats: Task<Void, Never>?
        defer { heartbeats?.cancel() }
        try await perform(machine.withLockedValue { $0.connected() }, heartbeats: &heartbeats)
        for try await message in inbound.messages(maxSize: LinkMessage.maximumSize) {
            guard case .text(let text) = message else { continue }
            let action: CloudLinkMachine.Action
            do {
                let decoded = try LinkMessage(json: text)
                action = machine.withLockedValue { $0.received(decoded) }
            } catch {
                action = .close(reason: "The platform sent what this device cannot read: \(error.reason)")
            }
            try await perform(action, heartbeats: &heartbeats)
        }
    }
}
