import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ReclaimCore
public import SADP
public import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Answers discovery for every device a process runs: one socket per device on its own
/// address (unicast probes, and the source of every answer that device sends), and one
/// socket on the multicast group, joined on `interface`, that answers for all of them.
///
/// Answers go unicast to the sender's address and port, as real clients expect. A farm
/// paces the answers to one inquiry (a thousand datagrams at once would overflow the
/// client's socket), and keeps each device's last answers to verbs so that a retried
/// request (same Uuid) gets the same answer instead of being carried out twice.
public struct SADPResponder: Service {
    public struct Configuration: Sendable {
        /// The address of the interface to join the group on, such as `127.0.0.1`.
        public var interface: String
        public var port: Int
        public var group: String

        public init(interface: String = "127.0.0.1", port: Int = SADPNetwork.port, group: String = SADPNetwork.group) {
            self.interface = interface
            self.port = port
            self.group = group
        }
    }

    let fleet: Fleet
    let configuration: Configuration
    let logger: Logger
    /// Called once every socket is bound and the group joined.
    let onReady: @Sendable () -> Void

    public init(fleet: Fleet, configuration: Configuration, logger: Logger, onReady: @escaping @Sendable () -> Void = {}) {
        self.fleet = fleet
        self.configuration = configuration
        self.logger = logger
        self.onReady = onReady
    }

    typealias Socket = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>

    static func bind(_ host: String, _ port: Int) async throws -> Socket {
        try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: SADPMessage.maxDatagram))
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try Socket(wrappingChannelSynchronously: channel) }
            }
    }

    public func run() async throws {
        let members = fleet.members
        let groupSocket = try await Self.bind(configuration.group, configuration.port)
        do {
            try await Self.join(
                groupSocket.channel, group: configuration.group, port: configuration.port, interface: configuration.interface)
        } catch {
            logger.warning(
                "cannot join the discovery group; devices answer unicast probes only",
                metadata: ["group": .string(configuration.group), "interface": .string(configuration.interface), "error": "\(error)"])
        }
        let cache = NIOLockedValueBox(AnswerCache())
        // Each device's writer, by device index, once its socket is open; the group answers through them.
        let writers = NIOLockedValueBox<[Int: SADPResponderWriter]>([:])
        let (allOpen, allOpenContinuation) = AsyncStream<Void>.makeStream()
        let logger = self.logger
        let onReady = self.onReady
        let port = configuration.port

        // Cancelled on graceful shutdown: every socket loop ends and closes its socket.
        do {
            try await runSockets()
        } catch is CancellationError {
            // The way a graceful shutdown ends the loops.
        }

        @Sendable func runSockets() async throws {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { tasks in
                    for (index, member) in members.enumerated() {
                        tasks.addTask {
                            try await Self.serve(member, port: port, cache: cache, logger: logger) { writer in
                                let opened = writers.withLockedValue { all -> Int in
                                    let isNew = all[index] == nil
                                    all[index] = writer
                                    return isNew ? all.count : -1
                                }
                                if opened == members.count { allOpenContinuation.finish() }
                            }
                        }
                    }
                    if members.isEmpty { allOpenContinuation.finish() }
                    tasks.addTask {
                        for await _ in allOpen {}
                        onReady()
                        logger.info("answering discovery", metadata: ["devices": "\(members.count)", "port": "\(port)"])
                        try await groupSocket.executeThenClose { inbound, _ in
                            try await withThrowingDiscardingTaskGroup { requests in
                                for try await envelope in inbound {
                                    let everyone = writers.withLockedValue { all in all.keys.sorted().map { all[$0]! } }
                                    requests.addTask {
                                        await Self.handle(envelope, for: everyone, cache: cache, pace: true, logger: logger)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One device's own socket: answers unicast probes, and is where all its answers leave
    /// from. It moves when the device is given another address (discovery's `update`).
    static func serve(
        _ member: Fleet.Member, port: Int, cache: NIOLockedValueBox<AnswerCache>, logger: Logger,
        opened: @escaping @Sendable (SADPResponderWriter) -> Void
    ) async throws {
        let changes = member.device.endpointChanges()
        var host = await member.endpoint.host
        while true {
            let socket = try await bind(host, port)
            let moved: String? = try await socket.executeThenClose { inbound, outbound in
                let writer = SADPResponderWriter(member: member, outbound: outbound)
                opened(writer)
                return try await withThrowingTaskGroup(of: String?.self) { tasks in
                    tasks.addTask {
                        for try await envelope in inbound {
                            await handle(envelope, for: [writer], cache: cache, pace: false, logger: logger)
                        }
                        return nil
                    }
                    tasks.addTask {
                        for await _ in changes { return await member.endpoint.host }
                        return nil
                    }
                    let result = try await tasks.next() ?? nil
                    tasks.cancelAll()
                    return result
                }
            }
            guard let moved else { return }
            host = moved
        }
    }

    /// Joins the group on the interface with `interface` as its address. NIO refuses
    /// interfaces that don't advertise multicast, which loopback doesn't even with a
    /// multicast route (the lab's setup), so the membership is asked of the kernel directly.
    static func join(_ channel: any Channel, group: String, port: Int, interface: String) async throws {
        let device = try System.enumerateDevices().first { $0.address?.ipAddress == interface }
        if let device, device.multicastSupported {
            try await (channel as! any MulticastChannel).joinGroup(try SocketAddress(ipAddress: group, port: port), device: device).get()
            return
        }
        var request = ip_mreq()
        guard inet_pton(AF_INET, group, &request.imr_multiaddr) == 1, inet_pton(AF_INET, interface, &request.imr_interface) == 1 else {
            throw ReclaimError(.malformedInput, "\(group) or \(interface) is not an IPv4 address.")
        }
        try await (channel as! any SocketOptionProvider).unsafeSetSocketOption(level: .ip, name: .ip_add_membership, value: request).get()
    }

    /// Answers one datagram on behalf of `writers`' devices.
    static func handle(
        _ envelope: AddressedEnvelope<ByteBuffer>, for writers: [SADPResponderWriter],
        cache: NIOLockedValueBox<AnswerCache>, pace: Bool, logger: Logger
    ) async {
        guard let request = try? SADPMessage(datagram: envelope.data.readableBytesView), request.kind == .probe else { return }
        let source = envelope.remoteAddress.ipAddress ?? "unknown"
        var sent = 0
        for writer in writers {
            let member = writer.member
            if let mac = request.mac, mac != member.device.identity.mac { continue }
            let answer: SADPMessage
            let mac = member.device.identity.mac
            if request.verb?.isInquiry == true {
                let endpoint = await member.endpoint
                guard
                    let fresh = await SADPHandler.answer(
                        request, device: member.device, source: source, address: endpoint.host, httpPort: endpoint.port)
                else { continue }
                answer = fresh
            } else {
                switch cache.withLockedValue({ $0.claim(request.uuid, for: mac) }) {
                case .answered(let cached):
                    answer = cached
                case .inProgress:
                    // A retry of a request still being carried out: its answer is on its way.
                    continue
                case .claimed:
                    let endpoint = await member.endpoint
                    let fresh = await SADPHandler.answer(
                        request, device: member.device, source: source, address: endpoint.host, httpPort: endpoint.port)
                    cache.withLockedValue { $0.finish(request.uuid, for: mac, with: fresh) }
                    guard let fresh else { continue }
                    answer = fresh
                }
            }
            do {
                try await writer.outbound.write(
                    AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: answer.bytes)))
            } catch {
                logger.debug("discovery answer not sent", metadata: ["error": "\(error)"])
            }
            sent += 1
            // A thousand answers at once overflow a client's socket: spread them out.
            if pace, sent % 32 == 0 { try? await Task.sleep(for: .milliseconds(2)) }
        }
    }
}

/// A device and the socket its discovery answers leave from.
struct SADPResponderWriter: Sendable {
    let member: Fleet.Member
    let outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>
}

/// The answers each device gave to verbs, by request Uuid, so that a retried request —
/// same Uuid — is answered the same and carried out once, even while the first is still
/// being carried out.
struct AnswerCache: Sendable {
    enum Claim {
        case claimed
        case inProgress
        case answered(SADPMessage)
    }

    private var entries: [MACAddress: [(uuid: String, answer: SADPMessage?)]] = [:]

    mutating func claim(_ uuid: String, for mac: MACAddress) -> Claim {
        if let entry = entries[mac]?.first(where: { $0.uuid == uuid }) {
            return entry.answer.map(Claim.answered) ?? .inProgress
        }
        entries[mac, default: []].append((uuid, nil))
        entries[mac] = Array(entries[mac]!.suffix(8))
        return .claimed
    }

    mutating func finish(_ uuid: String, for mac: MACAddress, with answer: SADPMessage?) {
        guard let index = entries[mac]?.firstIndex(where: { $0.uuid == uuid }) else { return }
        if let answer {
            entries[mac]![index].answer = answer
        } else {
            entries[mac]!.remove(at: index)
        }
    }
}
