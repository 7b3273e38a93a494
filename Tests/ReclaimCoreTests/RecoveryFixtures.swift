import Crypto
import Foundation

@testable import ReclaimCore

/// Keys and devices the recovery tests share. Fixed keys come from SHA-256 of a label,
/// so the test vectors can be rebuilt from nothing but this file.
enum Fixture {
    static func fixedBytes(_ label: String) -> Data { Data(SHA256.hash(data: Data(label.utf8))) }

    static let epoch = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T…Z

    static let authorityKeys = AuthorityKeys(
        signing: try! .init(rawRepresentation: fixedBytes("vector authority signing")),
        agreement: try! .init(rawRepresentation: fixedBytes("vector authority agreement")),
        createdAt: epoch)

    static let deviceKeys = DeviceKeys(
        identity: try! .init(rawRepresentation: fixedBytes("vector device identity")),
        agreement: try! .init(rawRepresentation: fixedBytes("vector device agreement")))

    static let serial = SerialNumber("DS-2CD2386G2-IU20250314AAWR123456789")!
    static let mac = MACAddress("c2-52-0a-00-01-07")!

    static let enrollment = DeviceEnrollment(
        serial: serial, model: "DS-2CD2386G2-IU", mac: mac, labelCode: "QWERTY", keys: deviceKeys,
        authorityKeyID: authorityKeys.currentAgreementKey.id)

    /// Another device, with its own keys and serial.
    static func otherDevice() -> (DeviceKeys, DeviceEnrollment) {
        let keys = DeviceKeys.generate()
        let serial = SerialNumber("DS-2CD2143G2-IS20240101BBWR987654321")!
        return (
            keys,
            DeviceEnrollment(
                serial: serial, model: "DS-2CD2143G2-IS", mac: MACAddress("c2-52-0a-00-02-08")!, labelCode: "ASDFGH", keys: keys,
                authorityKeyID: authorityKeys.currentAgreementKey.id)
        )
    }

    static func deviceSecret(keys: DeviceKeys = deviceKeys, serial: SerialNumber = serial, bundle: AuthorityBundle = authorityKeys.bundle)
        throws -> PerDeviceSecret
    {
        let entry = bundle.currentAgreementKey
        return try PerDeviceSecret(
            deviceKeys: keys, authorityKey: bundle.agreementKey(entry.id)!, authorityKeyID: entry.id, serial: serial)
    }

    static func challenge(_ purpose: ChallengePurpose, now: Date = Date(), lifetime: TimeInterval = 48 * 3600) -> ChallengeContent {
        ChallengeContent.make(
            purpose: purpose, serial: serial, model: "DS-2CD2386G2-IU", now: now, lifetime: lifetime,
            reservedEmail: purpose == .reservedEmail ? "owner@example.org" : nil)
    }
}
