import Foundation
public import Logging
public import ReclaimCore

/// The devices one process runs — one for `reclaim-device run`, many for a farm —
/// each with the address it listens on.
public struct Fleet: Sendable {
    public struct Member: Sendable {
        public let device: Device
        public let host: String
        public let port: Int

        public init(device: Device, host: String, port: Int) {
            self.device = device
            self.host = host
            self.port = port
        }

        /// Where the device listens now: the address and port it was given with `update`,
        /// else the ones it started with.
        public var endpoint: (host: String, port: Int) {
            get async {
                let network = await device.settings.network
                return (network.dhcp ? host : network.ipv4Address ?? host, network.httpPort ?? port)
            }
        }
    }

    public let members: [Member]
    /// Where the devices' data lives; the control socket is created here.
    public let dataDirectory: String

    public init(members: [Member], dataDirectory: String) {
        self.members = members
        self.dataDirectory = dataDirectory
    }

    public func device(serial: String) -> Device? {
        members.first { $0.device.identity.serial.text.caseInsensitiveCompare(serial) == .orderedSame }?.device
    }

    public var controlSocketPath: String { (dataDirectory as NSString).appendingPathComponent("control.sock") }
}

/// How a lab farm lays out its devices.
public struct FarmLayout: Sendable {
    public var count: Int
    public var firstAddress: String
    public var httpPort: Int
    public var dataDirectory: String
    /// With a password, every new device starts activated with it (a lab convenience,
    /// never a default); without one, every new device starts not activated.
    public var activatedPassword: String?
    public var authority: AuthorityBundle?
    public var configuration: DeviceConfiguration

    public init(
        count: Int, firstAddress: String, httpPort: Int, dataDirectory: String, activatedPassword: String? = nil,
        authority: AuthorityBundle? = nil, configuration: DeviceConfiguration = DeviceConfiguration()
    ) {
        self.count = count
        self.firstAddress = firstAddress
        self.httpPort = httpPort
        self.dataDirectory = dataDirectory
        self.activatedPassword = activatedPassword
        self.authority = authority
        self.configuration = configuration
    }

    public enum Failure: Error, CustomStringConvertible {
        case badAddress(String)
        case addressRangeTooLarge(String, Int)
        case weakLabPassword(String)

        public var description: String {
            switch self {
            case .badAddress(let text): "\(text) is not an IPv4 address; give one such as 127.1.0.1"
            case .addressRangeTooLarge(let first, let count): "\(count) devices from \(first) run past 255.255.255.255; start lower"
            case .weakLabPassword(let reason):
                "the lab password must suit every model of the farm (15 or 16 characters of two kinds or more suit them all): \(reason)"
            }
        }
    }

    /// Device `index`'s address: the first address plus `index`.
    public func address(of index: Int) throws -> String {
        guard let first = IPv4.parse(firstAddress) else { throw Failure.badAddress(firstAddress) }
        let value = UInt64(first) + UInt64(index)
        guard value <= UInt64(UInt32.max) else { throw Failure.addressRangeTooLarge(firstAddress, count) }
        return IPv4.format(UInt32(value))
    }

    /// Opens the farm's devices, making the missing ones. Device `i` lives in
    /// `devices/NNNN` so that it keeps its address across restarts.
    public func open(logger: Logger) throws -> Fleet {
        let devicesDirectory = (dataDirectory as NSString).appendingPathComponent("devices")
        try FileManager.default.createDirectory(
            atPath: devicesDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var members: [Fleet.Member] = []
        members.reserveCapacity(count)
        var created = 0
        // A lab password is hashed once and shared: the devices share the password itself.
        var sharedHash: SlowHash?
        var generator = SystemRandomNumberGenerator()
        let now = configuration.clock()
        for index in 0..<count {
            let store = DeviceStore(directory: (devicesDirectory as NSString).appendingPathComponent(String(format: "%04d", index + 1)))
            if !store.hasIdentity {
                let model = DeviceModel.catalogue[index % DeviceModel.catalogue.count]
                let identity = Factory.makeIdentity(model: model, authority: authority, now: now, using: &generator)
                var state = DeviceState()
                if let password = activatedPassword {
                    let violations = identity.passwordPolicy.violations(of: password, userName: AdminAccount.userName)
                    guard violations.isEmpty else {
                        throw Failure.weakLabPassword(violations.map(\.description).joined(separator: " ") + " (model \(model.name))")
                    }
                    if sharedHash == nil { sharedHash = SlowHash(hashing: password, cost: configuration.hashCost) }
                    state.admin = AdminAccount(
                        passwordHash: sharedHash!, password: password, realm: identity.realm, now: now, generation: 1, setBy: "lab",
                        policy: identity.passwordPolicy)
                }
                // Flushed all at once below: one sync for a thousand new devices, not two thousand.
                try store.create(identity, initialState: state, durable: false)
                created += 1
            }
            let device = try Device.open(store: store, configuration: configuration, logger: logger)
            members.append(Fleet.Member(device: device, host: try address(of: index), port: httpPort))
        }
        if created > 0 { sync() }
        return Fleet(members: members, dataDirectory: dataDirectory)
    }
}

/// Dotted-quad IPv4 text and its number.
enum IPv4 {
    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}

#if canImport(Glibc)
    import Glibc
#endif
