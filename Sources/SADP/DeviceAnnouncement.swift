import Foundation
public import ReclaimCore

/// What a device says about itself in answer to an inquiry: a `<ProbeMatch>` read into
/// named fields. Every field but the MAC is optional: real firmware leaves many out.
public struct DeviceAnnouncement: Sendable, Hashable, Codable {
    public var mac: MACAddress
    public var deviceType: String?
    /// `DeviceDescription`: the model.
    public var model: String?
    /// `DeviceSN`, as written (real serials don't always parse).
    public var serial: String?
    public var commandPort: Int?
    public var httpPort: Int?
    public var ipv4Address: String?
    public var ipv4SubnetMask: String?
    public var ipv4Gateway: String?
    public var ipv6Address: String?
    public var dhcp: Bool?
    public var analogChannels: Int?
    public var digitalChannels: Int?
    /// `SoftwareVersion`, such as `V5.6.2build 190701`.
    public var softwareVersion: String?
    public var bootTime: String?
    public var activated: Bool?
    /// The device can reset its password through a support case.
    public var passwordResetAbility: Bool?
    public var supportSecurityQuestion: Bool?
    public var supportMailBox: Bool?
    public var supportGUID: Bool?
    public var deviceLock: Bool?
    /// Reclaim devices: the recovery modes set up and ready (`guidFile`, `securityQuestions`, …).
    public var recoveryReady: [String]?
    /// Reclaim devices: a GUID file exported since the last password change is valid.
    public var guidCurrent: Bool?
    /// Reclaim devices: the version of Reclaim's protocol inside SADP (secrets sealed, never RSA/AES-ECB).
    public var reclaimProtocol: Int?

    public init(mac: MACAddress) {
        self.mac = mac
    }

    /// Reads a ProbeMatch; nil without a MAC.
    public init?(_ message: SADPMessage) {
        guard let mac = message.mac else { return nil }
        self.mac = mac
        deviceType = message["DeviceType"]
        model = message["DeviceDescription"]
        serial = message["DeviceSN"]
        commandPort = message["CommandPort"].flatMap { Int($0) }
        httpPort = message["HttpPort"].flatMap { Int($0) }
        ipv4Address = message["IPv4Address"]
        ipv4SubnetMask = message["IPv4SubnetMask"]
        ipv4Gateway = message["IPv4Gateway"]
        ipv6Address = message["IPv6Address"]
        dhcp = message.bool("DHCP")
        analogChannels = message["AnalogChannelNum"].flatMap { Int($0) }
        digitalChannels = message["DigitalChannelNum"].flatMap { Int($0) }
        softwareVersion = message["SoftwareVersion"]
        bootTime = message["BootTime"]
        activated = message.bool("Activated")
        passwordResetAbility = message.bool("PasswordResetAbility")
        supportSecurityQuestion = message.bool("SupportSecurityQuestion")
        supportMailBox = message.bool("SupportMailBox")
        supportGUID = message.bool("SupportGUID")
        deviceLock = message.bool("DeviceLock")
        recoveryReady = message["ReclaimRecoveryReady"].map { $0.split(separator: ",").map(String.init) }
        guidCurrent = message.bool("ReclaimGUIDCurrent")
        reclaimProtocol = message["ReclaimProtocol"].flatMap { Int($0) }
    }

    /// The ProbeMatch fields, in the order real devices write them.
    public var fields: [SADPField] {
        func text(_ value: Bool?) -> String? { value.map { $0 ? "true" : "false" } }
        let pairs: [(String, String?)] = [
            ("DeviceType", deviceType), ("DeviceDescription", model), ("DeviceSN", serial),
            ("CommandPort", commandPort.map(String.init)), ("HttpPort", httpPort.map(String.init)),
            ("MAC", nil),  // written in the envelope
            ("IPv4Address", ipv4Address), ("IPv4SubnetMask", ipv4SubnetMask), ("IPv4Gateway", ipv4Gateway),
            ("IPv6Address", ipv6Address), ("IPv6Gateway", ipv6Address.map { _ in "::" }), ("IPv6MaskLen", ipv6Address.map { _ in "64" }),
            ("DHCP", text(dhcp)),
            ("AnalogChannelNum", analogChannels.map(String.init)), ("DigitalChannelNum", digitalChannels.map(String.init)),
            ("SoftwareVersion", softwareVersion), ("BootTime", bootTime), ("Encrypt", "true"), ("ResetAbility", "false"),
            ("Activated", text(activated)), ("PasswordResetAbility", text(passwordResetAbility)),
            ("SupportSecurityQuestion", text(supportSecurityQuestion)), ("SupportMailBox", text(supportMailBox)),
            ("SupportGUID", text(supportGUID)), ("DeviceLock", text(deviceLock)),
            ("ReclaimProtocol", reclaimProtocol.map(String.init)),
            ("ReclaimRecoveryReady", recoveryReady?.joined(separator: ",")),
            ("ReclaimGUIDCurrent", text(guidCurrent)),
        ]
        return pairs.compactMap { name, value in value.map { SADPField(name, $0) } }
    }

    /// The serial, if it has the shape of one.
    public var serialNumber: SerialNumber? { serial.flatMap(SerialNumber.init) }

    /// `SoftwareVersion` split into version and build: `V5.6.2build 190701` → (`V5.6.2`, `190701`).
    public var firmware: DeviceModel.Firmware? {
        guard let text = softwareVersion else { return nil }
        let parts = text.replacingOccurrences(of: "build", with: " build ").split(separator: " ").filter { $0 != "build" }
        guard let version = parts.first else { return nil }
        return DeviceModel.Firmware(String(version), build: parts.count > 1 ? String(parts[1]) : "")
    }
}
