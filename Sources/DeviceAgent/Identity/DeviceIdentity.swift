public import Foundation
public import ReclaimCore

/// What the factory gave a device and what never changes afterwards: serial, model,
/// MAC, label code, keys, and the authority's public bundle. A factory reset keeps it.
public struct DeviceIdentity: Sendable, Codable {
    public var format = "reclaim-device-identity-1"
    public let serial: SerialNumber
    public let modelName: String
    public let mac: MACAddress
    /// The firmware the device runs.
    public var firmware: DeviceModel.Firmware
    /// Printed on the label; the authority holds it too, so a label photo proves possession.
    public let labelCode: String
    /// A stable UUID, as `deviceID` in ISAPI.
    public let deviceID: String
    public let keys: DeviceKeys
    /// The recovery authority this device trusts; without one, only the GUID file and
    /// the security questions can reset the password.
    public let authority: AuthorityBundle?
    public let manufacturedAt: Date

    public init(
        serial: SerialNumber, model: DeviceModel, mac: MACAddress, firmware: DeviceModel.Firmware, labelCode: String,
        deviceID: String = UUID().uuidString.lowercased(), keys: DeviceKeys = .generate(), authority: AuthorityBundle?,
        manufacturedAt: Date = Date()
    ) {
        self.serial = serial
        self.modelName = model.name
        self.mac = mac
        self.firmware = firmware
        self.labelCode = labelCode
        self.deviceID = deviceID
        self.keys = keys
        self.authority = authority
        self.manufacturedAt = manufacturedAt.wholeSeconds
    }

    public var model: DeviceModel {
        DeviceModel.named(modelName)
            ?? DeviceModel(
                name: modelName, kind: .ipCamera, description: "Network camera", analogChannels: 0, digitalChannels: 1,
                passwordProfile: .compatible, firmwareVersions: [firmware])
    }

    public var passwordPolicy: PasswordPolicy { PasswordPolicy(model.passwordProfile) }

    /// The HTTP Digest realm. It never changes, because the stored HA1 values depend on it.
    public var realm: String {
        model.kind == .ipCamera ? "IP Camera(\(serial.tail))" : "DS-\(serial.tail)"
    }

    /// The record the authority takes at enrollment (`reclaim-device provision` prints it).
    public var enrollment: DeviceEnrollment? {
        guard let authority else { return nil }
        return DeviceEnrollment(
            serial: serial, model: modelName, mac: mac, labelCode: labelCode, keys: keys,
            authorityKeyID: authority.currentAgreementKey.id)
    }

    /// The per-device secret shared with the authority.
    func perDeviceSecret() throws(ReclaimError) -> PerDeviceSecret {
        guard let authority, let key = authority.agreementKey(authority.currentAgreementKey.id) else {
            throw ReclaimError(.unsupported, "This device has no recovery authority.")
        }
        return try PerDeviceSecret(deviceKeys: keys, authorityKey: key, authorityKeyID: authority.currentAgreementKey.id, serial: serial)
    }
}

/// Makes device identities the way a factory line would.
public enum Factory {
    /// Label codes use letters that can't be misread on a photo.
    static let labelAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")

    /// A new device of `model`, with random serial digits, MAC and label code.
    public static func makeIdentity(model: DeviceModel, authority: AuthorityBundle?, now: Date = Date()) -> DeviceIdentity {
        var generator = SystemRandomNumberGenerator()
        return makeIdentity(model: model, authority: authority, now: now, using: &generator)
    }

    /// A new device drawn from `generator`, so a farm can lay out realistic fleets.
    public static func makeIdentity(
        model: DeviceModel, authority: AuthorityBundle?, now: Date, using generator: inout some RandomNumberGenerator
    ) -> DeviceIdentity {
        // Made some day in the last three years, in a batch of four letters, numbered with nine digits.
        let madeAt = now.addingTimeInterval(-Double(Int.random(in: 30...1100, using: &generator)) * 86400)
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: madeAt)
        let date = String(format: "%04d%02d%02d", components.year!, components.month!, components.day!)
        let batch = String((0..<4).map { _ in Character(String(UnicodeScalar(UInt8.random(in: 65...90, using: &generator)))) })
        let digits = String(format: "%09d", Int.random(in: 0...999_999_999, using: &generator))
        let serial = SerialNumber(model: model.name, manufactureDate: date, batch: batch, digits: digits)
        // A locally administered unicast prefix: lab MACs never collide with real hardware.
        let mac = MACAddress(bytes: [0xC2, 0x52] + (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) })!
        let labelCode = String((0..<6).map { _ in labelAlphabet.randomElement(using: &generator)! })
        let firmware = model.firmwareVersions.randomElement(using: &generator)!
        return DeviceIdentity(
            serial: serial, model: model, mac: mac, firmware: firmware, labelCode: labelCode, authority: authority,
            manufacturedAt: madeAt)
    }
}
