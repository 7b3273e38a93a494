import Crypto
import DeviceAgent
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Platform
import ReclaimCore
import ReclaimTestSupport
import Testing

/// A link that drops in the middle of a command: the device applied it, its
/// acknowledgement never arrived. When the device links again the platform sends the
/// command again; the device knows it applied it and says so; the request ends "changed",
/// and the password was set once.
@Suite struct LinkDropTests {
    @Test func aCommandAppliedWhenTheLinkDroppedIsAppliedOnceAndTheRequestEnds() async throws {
        try await withTestPlatform { platform in
            let cast = try await OwnerResetTests.cast(platform)
            let device = cast.device
            let serial = device.identity.serial.text
            try await platform.application.test(.live) { client in
                let url = "ws://127.0.0.1:\(client.port!)/api/v1/link"
                let request = try await platform.services.resets.request(
                    serial: serial, mode: .offSite, by: cast.installer, source: "127.0.0.1")
                let requestID = request.request.id
                let sealed = try SealedPassword.seal(otherPassword, for: device.identity.enrollment!).bytes
                let applied = try await Self.linkAppliesTheFirstCommandAndDrops(device, url: url) {
                    // Approved while this first link is up: the command comes down it.
                    _ = try await platform.services.resets.approve(
                        id: requestID, sealedPassword: sealed, by: cast.owner, source: "127.0.0.1")
                }
                #expect(applied.outcome == .applied, "the device applied the command before the link dropped")
                // The ack was lost: the platform still waits.
                #expect(try await platform.services.resets.find(id: requestID)?.state == .approved)
                try await device.verifyPassword(otherPassword, source: "192.0.2.1")

                // The device links again; the command comes again and is not applied twice.
                try await withServices([CloudLinkTests.link(device, port: client.port!)]) {
                    let ended = try await eventually { try await platform.services.resets.find(id: requestID)?.state == .changed }
                    #expect(ended, "the request ends when the device says it applied the command already")
                }
                let commandID = try #require(try await platform.services.resets.find(id: requestID)?.commandId)
                #expect(try await platform.services.links.command(id: commandID)?.state == .applied)
                #expect(await device.appliedCommandIDs == [commandID], "applied once")
                try await device.verifyPassword(otherPassword, source: "192.0.2.1")
            }
        }
    }

    /// Links `device` by hand, as its firmware would, runs `trigger` once the link is up,
    /// applies the first command that arrives, and closes without acknowledging it.
    static func linkAppliesTheFirstCommandAndDrops(
        _ device: Device, url: String, trigger: @escaping @Sendable () async throws -> Void
    ) async throws -> CommandAck {
        let result = AsyncStream<CommandAck>.makeStream()
        _ = try await WebSocketClient.connect(url: url, logger: Logger(label: "test-link")) { inbound, outbound, _ in
            try await outbound.write(.text(LinkMessage.hello(serial: device.identity.serial, firmware: "V5.7.3").json))
            for try await message in inbound.messages(maxSize: LinkMessage.maximumSize) {
                guard case .text(let text) = message else { continue }
                switch try LinkMessage(json: text) {
                case .challenge(let nonce):
                    let bytes = LinkProof.signedBytes(serial: device.identity.serial, nonce: nonce)
                    let signature = Array(try device.identity.keys.identity.signature(for: bytes))
                    let status = await device.linkStatus(lanAddress: "192.168.1.64")
                    try await outbound.write(
                        .text(LinkMessage.proof(LinkProof(serial: device.identity.serial, signature: signature, status: status)).json))
                case .welcome:
                    Task { try await trigger() }
                case .command(let command):
                    result.continuation.yield(await device.apply(command))
                    result.continuation.finish()
                    // The connection goes before the acknowledgement does.
                    try await outbound.close(.goingAway, reason: "power cut")
                    return
                default:
                    continue
                }
            }
        }
        var iterator = result.stream.makeAsyncIterator()
        return try #require(await iterator.next())
    }
}
