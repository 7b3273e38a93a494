import Foundation
import ReclaimCore
import SADP

extension Device {
    /// What this device says in answer to an inquiry.
    func announcement(address: String, httpPort: Int) -> DeviceAnnouncement {
        let model = identity.model
        var announcement = DeviceAnnouncement(mac: identity.mac)
        announcement.deviceType =
            switch model.kind {
            case .ipCamera: "141945"
            case .nvr: "31"
            case .dvr: "9"
            }
        announcement.model = identity.modelName
        announcement.serial = identity.serial.text
        announcement.commandPort = 8000
        let network = state.settings.network
        announcement.httpPort = httpPort
        announcement.ipv4Address = address
        announcement.ipv4SubnetMask = network.subnetMask ?? (address.hasPrefix("127.") ? "255.0.0.0" : "255.255.255.0")
        announcement.ipv4Gateway = network.gateway ?? "0.0.0.0"
        announcement.ipv6Address = "::"
        announcement.dhcp = network.dhcp
        announcement.analogChannels = model.analogChannels
        announcement.digitalChannels = model.digitalChannels
        let firmware = self.firmware
        announcement.softwareVersion = "\(firmware.version)build \(firmware.build)"
        announcement.bootTime = Self.bootTimeFormat.string(from: startedAt)
        announcement.activated = state.isActivated
        let modes = recoveryModes
        announcement.passwordResetAbility = modes.supported.contains(.supportKey)
        announcement.supportSecurityQuestion = true
        announcement.supportMailBox = modes.supported.contains(.reservedEmail)
        announcement.supportGUID = true
        announcement.deviceLock = state.lockout.lock(for: "", now: now)?.scope == .device
        announcement.reclaimProtocol = 1
        announcement.recoveryReady = RecoveryModes.Mode.allCases.filter { modes.ready.contains($0) }.map(\.rawValue)
        announcement.guidCurrent = state.recovery.guid != nil
        return announcement
    }

    /// `1970-01-15 02:44:11`, as devices write it.
    static let bootTimeFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter
    }()
}
