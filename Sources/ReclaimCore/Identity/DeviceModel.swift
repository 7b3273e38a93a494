/// A device model: what it is, how many channels it has, which firmware it runs and
/// which password policy its firmware enforces.
public struct DeviceModel: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
        case ipCamera = "IPCamera"
        case nvr = "NVR"
        case dvr = "DVR"
    }

    public let name: String
    public let kind: Kind
    public let description: String
    public let analogChannels: Int
    public let digitalChannels: Int
    public let passwordProfile: PasswordPolicy.Profile
    /// Firmware releases, oldest first; a new device ships with one of them.
    public let firmwareVersions: [Firmware]

    public init(
        name: String, kind: Kind, description: String, analogChannels: Int, digitalChannels: Int,
        passwordProfile: PasswordPolicy.Profile, firmwareVersions: [Firmware]
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.analogChannels = analogChannels
        self.digitalChannels = digitalChannels
        self.passwordProfile = passwordProfile
        self.firmwareVersions = firmwareVersions
    }

    public struct Firmware: Hashable, Sendable, Codable {
        /// As devices print it: `V5.7.15`.
        public let version: String
        /// `YYMMDD`, as in `build 230815`.
        public let build: String
        public var displayString: String { "\(version) build \(build)" }
        public init(_ version: String, build: String) {
            self.version = version
            self.build = build
        }
    }

    /// The models a lab farm builds devices of.
    public static let catalogue: [DeviceModel] = [
        DeviceModel(
            name: "DS-2CD2386G2-IU", kind: .ipCamera, description: "8 MP AcuSense fixed turret network camera",
            analogChannels: 0, digitalChannels: 1, passwordProfile: .compatible,
            firmwareVersions: [.init("V5.7.3", build: "220112"), .init("V5.7.15", build: "230815")]),
        DeviceModel(
            name: "DS-2CD2143G2-IS", kind: .ipCamera, description: "4 MP AcuSense fixed dome network camera",
            analogChannels: 0, digitalChannels: 1, passwordProfile: .compatible,
            firmwareVersions: [.init("V5.6.2", build: "190701"), .init("V5.7.12", build: "230301")]),
        DeviceModel(
            name: "DS-2DE4425IW-DE", kind: .ipCamera, description: "4 MP 25x IR network speed dome",
            analogChannels: 0, digitalChannels: 1, passwordProfile: .compatible,
            firmwareVersions: [.init("V5.7.1", build: "211203"), .init("V5.8.0", build: "240110")]),
        DeviceModel(
            name: "DS-2CD3787G2T-LZSU", kind: .ipCamera, description: "8 MP ColorVu motorised bullet network camera",
            analogChannels: 0, digitalChannels: 1, passwordProfile: .passphrase,
            firmwareVersions: [.init("V5.8.2", build: "240522"), .init("V5.8.4", build: "250117")]),
        DeviceModel(
            name: "DS-7608NXI-K2", kind: .nvr, description: "8-channel AcuSense network video recorder",
            analogChannels: 0, digitalChannels: 8, passwordProfile: .compatible,
            firmwareVersions: [.init("V4.62.210", build: "221028"), .init("V4.74.105", build: "240612")]),
        DeviceModel(
            name: "iDS-7216HQHI-M1-S", kind: .dvr, description: "16-channel AcuSense digital video recorder",
            analogChannels: 16, digitalChannels: 2, passwordProfile: .compatible,
            firmwareVersions: [.init("V4.30.216", build: "211208"), .init("V4.71.201", build: "231120")]),
    ]

    public static func named(_ name: String) -> DeviceModel? {
        catalogue.first { $0.name == name }
    }
}
