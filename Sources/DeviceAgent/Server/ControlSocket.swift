import Foundation
public import Logging
import NIOCore
import NIOExtras
import NIOPosix
public import ServiceLifecycle

/// The device's local controls — the reset button, the local console — on a Unix socket
/// in the data folder, readable by the folder's owner only. Nothing on the network
/// reaches it.
///
/// Protocol, one line each way: `button SERIAL SECONDS` → `ok factoryReset` |
/// `ok ignored` | `error …`; `console SERIAL {JSON}` → `ok {JSON}` | `error …`
/// (``ConsoleWire``, `ControlSocket+Console.swift`).
public struct ControlSocket: Service {
    let fleet: Fleet
    let logger: Logger

    public init(fleet: Fleet, logger: Logger) {
        self.fleet = fleet
        self.logger = logger
    }

    public func run() async throws {
        let path = fleet.controlSocketPath
        guard path.utf8.count < 104 else {
            logger.warning("control socket path too long; the reset button is unavailable", metadata: ["path": .string(path)])
            try await gracefulShutdown()
            return
        }
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        chmod(path, 0o600)
        let fleet = self.fleet
        let logger = self.logger
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask {
                            try? await connection.executeThenClose { inbound, outbound in
                                for try await line in inbound {
                                    let answer = await Self.answer(String(buffer: line), fleet: fleet, logger: logger)
                                    try await outbound.write(ByteBuffer(string: answer + "\n"))
                                }
                            }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
        unlink(path)
    }

    static func answer(_ line: String, fleet: Fleet, logger: Logger) async -> String {
        if line.hasPrefix(ConsoleWire.verb + " ") {
            guard let (serial, request) = ConsoleWire.request(from: line) else { return "error usage: console SERIAL {JSON request}" }
            guard let device = fleet.device(serial: serial) else { return "error no device with serial \(serial) runs here" }
            return ConsoleWire.answerLine(await answer(request, device: device))
        }
        let words = line.split(separator: " ").map(String.init)
        guard words.count == 3, words[0] == "button", let seconds = Double(words[2]), seconds >= 0 else {
            return "error usage: button SERIAL SECONDS"
        }
        guard let device = fleet.device(serial: words[1]) else { return "error no device with serial \(words[1]) runs here" }
        do {
            return "ok \(try await device.pressResetButton(heldFor: seconds).rawValue)"
        } catch {
            return "error \(error.reason)"
        }
    }
}
