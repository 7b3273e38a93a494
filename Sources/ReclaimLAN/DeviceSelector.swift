import Foundation
public import ReclaimCore
public import SADP

/// How a user names a device on the command line: its IPv4 address, serial or MAC.
public struct DeviceSelector: Sendable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) {
        self.text = text.trimmingCharacters(in: .whitespaces)
    }

    public var description: String { text }

    public func matches(_ device: DeviceAnnouncement) -> Bool {
        if let mac = MACAddress(text) { return device.mac == mac }
        if text.split(separator: ".").count == 4, text.allSatisfy({ $0.isNumber || $0 == "." }) { return device.ipv4Address == text }
        return device.serial?.caseInsensitiveCompare(text) == .orderedSame
    }

    /// The one device among `devices` this names.
    public func pick(from devices: [DeviceAnnouncement]) throws -> DeviceAnnouncement {
        let matching = devices.filter(matches)
        guard let first = matching.first else {
            throw LANError(
                .deviceNotFound,
                "No device \(text) answered on the LAN (\(devices.count) did). Check it is powered and on this network, and that `reclaim scan` lists it."
            )
        }
        guard matching.count == 1 else {
            throw LANError(.ambiguousDevice, "\(matching.count) devices match \(text); name one by serial or MAC.")
        }
        return first
    }
}

extension DeviceAnnouncement {
    /// How messages name this device: its serial (or MAC) and address.
    public var label: String {
        "\(serial ?? mac.description) (\(ipv4Address ?? "?"))"
    }

    /// The password policy its model enforces; the compatible one for models Reclaim doesn't know.
    public var passwordPolicy: PasswordPolicy {
        PasswordPolicy(model.flatMap(DeviceModel.named)?.passwordProfile ?? .compatible)
    }
}
