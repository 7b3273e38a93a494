import Foundation
import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
public import ReclaimCore

#if canImport(Glibc)
    import Glibc
#endif

/// Where discovery traffic goes: SADP's port and group.
public enum SADPNetwork {
    public static let port = 37020
    public static let group = "239.255.255.250"
}

/// A discovery client: sends probes and verbs, gathers the answers by Uuid.
///
/// Like real SADP clients it sends from an unbound ephemeral port to the multicast
/// group (and, on request, to broadcast or to listed addresses); devices answer unicast
/// to that port. Datagrams get lost, so discovery probes again until its deadline and a
/// verb is retried (with the same Uuid, so a device that did answer answers the same).
public final class SADPClient: Sendable {
    public struct Configuration: Sendable {
        /// The local IPv4 address to send from; multicast leaves through its interface.
        /// `0.0.0.0` lets the system choose.
        public var interface: String
        public var port: Int
        /// The group to send to; nil to send to no group.
        public var multicastGroup: String?
        /// Also send to 255.255.255.255.
        public var broadcast: Bool
        /// Also send to these addresses, one datagram each (a subnet scan where multicast is filtered).
        public var unicastTargets: [String]

        public init(
            interface: String = "0.0.0.0", port: Int = SADPNetwork.port, multicastGroup: String? = SADPNetwork.group,
            broadcast: Bool = false,
            unicastTargets: [String] = []
        ) {
            self.interface = interface
            self.port = port
            self.multicastGroup = multicastGroup
            self.broadcast = broadcast
            self.unicastTargets = unicastTargets
        }
    }

    /// Why a request got no answer.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let destinations: [SocketAddress]
    let outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>
    let waiters = NIOLockedValueBox<[String: AsyncStream<SADPMessage>.Continuation]>([:])

    init(destinations: [SocketAddress], outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>) {
        self.destinations = destinations
        self.outbound = outbound
    }

    /// Opens a client socket for the duration of `body`.
    public static func withClient<T: Sendable>(
        _ configuration: Configuration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: @Sendable (SADPClient) async throws -> T
    ) async throws -> T {
        var destinations: [SocketAddress] = []
        if let group = configuration.multicastGroup {
            destinations.append(try SocketAddress(ipAddress: group, port: configuration.port))
        }
        if configuration.broadcast { destinations.append(try SocketAddress(ipAddress: "255.255.255.255", port: configuration.port)) }
        for target in configuration.unicastTargets {
            destinations.append(try SocketAddress(ipAddress: target, port: configuration.port))
        }
        guard !destinations.isEmpty else { throw Failure(description: "Nowhere to send: no group, broadcast or address.") }

        // No SO_REUSEADDR here: with it, two clients binding port 0 can be given the same
        // port, and each then misses the answers meant for it.
        let channel = try await DatagramBootstrap(group: eventLoopGroup)
            .channelOption(.socketOption(.so_broadcast), value: configuration.broadcast ? 1 : 0)
            .channelOption(.maxMessagesPerRead, value: 64)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: SADPMessage.maxDatagram))
            .bind(host: configuration.interface, port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        try await prepare(channel.channel, interface: configuration.interface)
        return try await channel.executeThenClose { inbound, outbound in
            let client = SADPClient(destinations: destinations, outbound: outbound)
            // One reader hands every answer to whoever waits for its Uuid.
            return try await withThrowingTaskGroup(of: T?.self) { tasks in
                tasks.addTask {
                    for try await envelope in inbound {
                        guard let message = try? SADPMessage(datagram: envelope.data.readableBytesView), message.kind == .probeMatch else {
                            continue
                        }
                        _ = client.waiters.withLockedValue { $0[message.uuid]?.yield(message) }
                    }
                    return nil
                }
                defer { tasks.cancelAll() }
                return try await body(client)
            }
        }
    }

    /// Multicast out of the chosen interface, delivered to listeners on this host too, and
    /// a receive buffer deep enough for a thousand answers arriving at once.
    static func prepare(_ channel: any Channel, interface: String) async throws {
        guard let options = channel as? any SocketOptionProvider else { return }
        if interface != "0.0.0.0", let address = IPv4Text.inAddr(interface) {
            try await options.setIPMulticastIF(address).get()
        }
        try await options.setIPMulticastLoop(1).get()
        try await options.setIPMulticastTTL(1).get()
        let depth: SocketOptionValue = 8 * 1024 * 1024
        // RCVBUFFORCE passes the system's cap when allowed (root); otherwise take what we can.
        if (try? await options.unsafeSetSocketOption(level: .socket, name: .init(rawValue: SO_RCVBUFFORCE), value: depth).get()) == nil {
            try? await options.unsafeSetSocketOption(level: .socket, name: .so_rcvbuf, value: depth).get()
        }
    }

    // MARK: Waiting for answers

    func register(_ uuid: String) -> AsyncStream<SADPMessage> {
        let (stream, continuation) = AsyncStream<SADPMessage>.makeStream(bufferingPolicy: .unbounded)
        waiters.withLockedValue { $0[uuid] = continuation }
        return stream
    }

    func unregister(_ uuid: String) {
        waiters.withLockedValue { $0.removeValue(forKey: uuid) }?.finish()
    }

    func send(_ message: SADPMessage) async throws {
        let bytes = message.bytes
        for destination in destinations {
            try await outbound.write(AddressedEnvelope(remoteAddress: destination, data: ByteBuffer(bytes: bytes)))
        }
    }

    // MARK: Discovery

    /// Every device that answers an inquiry before `timeout`, one entry per MAC (the
    /// latest answer), in serial order. Probes again every `reprobe`, to cover lost datagrams.
    ///
    /// - Parameter onFound: called once per device, when it is first heard.
    public func discover(
        timeout: Duration = .seconds(1), reprobe: Duration = .milliseconds(250),
        onFound: (@Sendable (DeviceAnnouncement) -> Void)? = nil
    ) async throws -> [DeviceAnnouncement] {
        let uuid = UUID().uuidString
        let answers = register(uuid)
        defer { unregister(uuid) }
        let probe = SADPMessage(kind: .probe, uuid: uuid, verb: .inquiry)
        let deadline = ContinuousClock.now + timeout
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    while ContinuousClock.now < deadline {
                        try await self.send(probe)
                        try await Task.sleep(for: min(reprobe, deadline - ContinuousClock.now))
                    }
                } catch is CancellationError {
                    return
                } catch {
                    self.unregister(uuid)
                    throw Failure(
                        description:
                            "Cannot send discovery probes (\(error)). Choose the interface with --interface ADDRESS, or probe addresses with --probe."
                    )
                }
            }
            tasks.addTask {
                try? await Task.sleep(until: deadline)
                self.unregister(uuid)
            }
            var found: [MACAddress: DeviceAnnouncement] = [:]
            for await message in answers {
                guard let announcement = DeviceAnnouncement(message) else { continue }
                if found.updateValue(announcement, forKey: announcement.mac) == nil { onFound?(announcement) }
            }
            tasks.cancelAll()
            while try await tasks.next() != nil {}
            return found.values.sorted { ($0.serial ?? "", $0.mac.description) < ($1.serial ?? "", $1.mac.description) }
        }
    }

    // MARK: Verbs

    /// Sends `verb` to the device with `mac` and returns its answer, retrying a lost
    /// datagram up to `attempts` times with the same Uuid.
    public func request(
        _ verb: SADPVerb, to mac: MACAddress, fields: [SADPField] = [], sealed: SADPSealed? = nil,
        wait: Duration = .milliseconds(800), attempts: Int = 4
    ) async throws -> SADPMessage {
        let uuid = UUID().uuidString
        let answers = register(uuid)
        defer { unregister(uuid) }
        let message = SADPMessage(kind: .probe, uuid: uuid, verb: verb, mac: mac, fields: fields, sealed: sealed)
        var iterator = answers.makeAsyncIterator()
        for _ in 0..<attempts {
            try await send(message)
            let timer = Task {
                try await Task.sleep(for: wait)
                self.waiters.withLockedValue { $0[uuid] }?.yield(SADPMessage(kind: .probeMatch, uuid: uuid, types: "timeout"))
            }
            while let answer = await iterator.next() {
                if answer.types == "timeout" { break }
                if answer.mac == mac {
                    timer.cancel()
                    return answer
                }
            }
            timer.cancel()
        }
        throw Failure(
            description:
                "No answer from \(mac) after \(Language.english.counted(attempts, one: "1 try", other: "{n} tries")): the device is off, on another network, or not a SADP device. Check it appears in `reclaim scan`."
        )
    }
}

/// IPv4 dotted-quad text as the C structure sockets take.
enum IPv4Text {
    static func inAddr(_ text: String) -> in_addr? {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1 ? address : nil
    }
}
