import ArgumentParser
import Foundation
import ReclaimLAN
import SADP

/// Where discovery looks, shared by every command.
struct DiscoveryOptions: ParsableArguments {
    @Option(help: "The local IPv4 address to send from; discovery's multicast leaves through its interface.")
    var interface: String = "0.0.0.0"

    @Flag(help: "Also probe 255.255.255.255.")
    var broadcast = false

    @Option(
        name: .customLong("probe"),
        help: "Also probe this address, or every host of a range (192.168.1.0/24); repeatable. Reaches devices where multicast is filtered."
    )
    var addresses: [String] = []

    @Option(help: "Seconds to listen for answers.")
    var timeout: Double = 1.5

    @Option(help: "The discovery port.")
    var port: Int = SADPNetwork.port

    func configuration() throws -> SADPClient.Configuration {
        SADPClient.Configuration(
            interface: interface, port: port, broadcast: broadcast, unicastTargets: try addresses.flatMap(Self.expand))
    }

    /// An address, or the host addresses of an IPv4 range in CIDR form.
    static func expand(_ text: String) throws -> [String] {
        let parts = text.split(separator: "/")
        guard let base = parseIPv4(String(parts[0])) else { throw ValidationError("\(text) is not an IPv4 address or range.") }
        guard parts.count == 2 else { return [text] }
        guard let bits = Int(parts[1]), (20...32).contains(bits) else {
            throw ValidationError("\(text): give a range of /20 (4096 hosts) or smaller.")
        }
        let size = UInt32(1) << UInt32(32 - bits)
        let network = base & ~(size - 1)
        let hosts = size <= 2 ? Array(0..<size) : Array(1..<(size - 1))
        return hosts.map { formatIPv4(network + $0) }
    }

    static func parseIPv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4, text.split(separator: ".").count == 4 else { return nil }
        return octets.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func formatIPv4(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    /// Runs `body` with a session on the LAN.
    func withSession<T: Sendable>(_ body: @Sendable (LANSession) async throws -> T) async throws -> T {
        let timeout = Duration.milliseconds(Int(self.timeout * 1000))
        return try await SADPClient.withClient(try configuration()) { client in
            try await body(LANSession(client: client, scanTimeout: timeout))
        }
    }
}

/// Turns a LAN error into the message and exit code the user sees.
func reporting<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as LANError {
        Terminal.progress("reclaim: \(error.description)")
        throw ExitCode.failure
    } catch let failure as SADPClient.Failure {
        Terminal.progress("reclaim: \(failure.description)")
        throw ExitCode.failure
    }
}

/// A command that acts on the one device named with `--device`.
protocol OneDeviceCommand: AsyncParsableCommand {
    var discovery: DiscoveryOptions { get }
    var device: String { get }
}

extension OneDeviceCommand {
    /// Finds the device, runs `body` with it, and reports a failure the way the tool does.
    func withDevice(_ body: @escaping @Sendable (LANSession, DeviceAnnouncement) async throws -> Void) async throws {
        let selector = DeviceSelector(device)
        try await reporting {
            try await discovery.withSession { session in
                try await body(session, try await session.find(selector))
            }
        }
    }
}
