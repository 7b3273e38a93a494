import Foundation
import Testing

@testable import ReclaimCore

/// Test vectors of the recovery protocol, committed as files under `Vectors/recovery-v1`.
///
/// They pin the wire formats: fixed authority and device keys, two sealed challenges,
/// and the exact per-device secret, reset key, reset file and verification code these
/// must produce. Set `RECLAIM_WRITE_VECTORS=1` to write them anew (only when the
/// protocol version changes).
@Suite struct VectorTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/recovery-v1")
    static let issueTime = Date(timeIntervalSince1970: 1_795_100_000)
    static let caseID = "RC-2026-000042"

    func read(_ name: String) throws -> String {
        try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
    }

    func authority() throws -> Authority {
        Authority(keys: try JSONDecoder.reclaim.decode(AuthorityKeys.self, from: Data(try read("authority-keys.json").utf8)))
    }

    @Test func vectorsReproduce() throws {
        if ProcessInfo.processInfo.environment["RECLAIM_WRITE_VECTORS"] == "1" { try writeVectors() }
        let authority = try authority()
        let device = try JSONDecoder.reclaim.decode(VectorDevice.self, from: Data(try read("device.json").utf8))
        let lookup: (SerialNumber) -> DeviceEnrollment? = { $0 == device.enrollment.serial ? device.enrollment : nil }
        let now = Self.issueTime

        #expect(try read("authority-bundle.json") == String(decoding: try JSONEncoder.reclaim.encode(authority.keys.bundle), as: UTF8.self))

        let support = try authority.open(try read("challenge-support.txt"), now: now, enrollment: lookup)
        #expect(support.content.purpose == .supportCase)
        #expect(Bytes.hex(support.content.nonce) == "000102030405060708090a0b0c0d0e0f")
        #expect(try authority.resetKey(for: support).description == (try read("reset-key.txt")).trimmingXMLWhitespace())
        #expect(try authority.resetFile(for: support, caseID: Self.caseID, now: now).xml == (try read("reset-file.xml")))

        let email = try authority.open(try read("challenge-email.txt"), now: now, enrollment: lookup)
        #expect(email.content.reservedEmail == "owner@example.org")
        #expect(try authority.verificationCode(for: email).description == (try read("verification-code.txt")).trimmingXMLWhitespace())

        // The device derives the same secret and codes from its own keys.
        let bundle = authority.keys.bundle
        let secret = try PerDeviceSecret(
            deviceKeys: device.keys, authorityKey: bundle.agreementKey(bundle.currentAgreementKey.id)!,
            authorityKeyID: bundle.currentAgreementKey.id, serial: device.enrollment.serial)
        #expect(Bytes.hex(secret.bytesForTestVectors) == (try read("per-device-secret.hex")).trimmingXMLWhitespace())
        #expect(
            RecoveryCode.derive(.resetKey, secret: secret, challenge: support.content).description
                == (try read("reset-key.txt")).trimmingXMLWhitespace())
        try ResetFile(xml: Array((try read("reset-file.xml")).utf8)).verify(with: bundle)
    }

    struct VectorDevice: Codable {
        var enrollment: DeviceEnrollment
        var keys: DeviceKeys
    }

    func writeVectors() throws {
        try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws {
            try text.write(to: Self.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let keys = Fixture.authorityKeys
        try write("authority-keys.json", String(decoding: try JSONEncoder.reclaim.encode(keys), as: UTF8.self))
        try write("authority-bundle.json", String(decoding: try JSONEncoder.reclaim.encode(keys.bundle), as: UTF8.self))
        try write(
            "device.json",
            String(
                decoding: try JSONEncoder.reclaim.encode(VectorDevice(enrollment: Fixture.enrollment, keys: Fixture.deviceKeys)),
                as: UTF8.self))
        // Challenges live 100 years so that the vectors keep opening.
        let support = ChallengeContent(
            purpose: .supportCase, nonce: Array(0..<16), serial: Fixture.serial, model: Fixture.enrollment.model,
            issuedAt: Fixture.epoch, expiresAt: Fixture.epoch.addingTimeInterval(100 * 365 * 86400), reservedEmail: nil)
        let email = ChallengeContent(
            purpose: .reservedEmail, nonce: Array(16..<32), serial: Fixture.serial, model: Fixture.enrollment.model,
            issuedAt: Fixture.epoch, expiresAt: Fixture.epoch.addingTimeInterval(100 * 365 * 86400), reservedEmail: "owner@example.org")
        try write("challenge-support.txt", try Challenge.seal(support, deviceKeys: Fixture.deviceKeys, authority: keys.bundle) + "\n")
        try write("challenge-email.txt", try Challenge.seal(email, deviceKeys: Fixture.deviceKeys, authority: keys.bundle) + "\n")
        let authority = Authority(keys: keys)
        let lookup: (SerialNumber) -> DeviceEnrollment? = { _ in Fixture.enrollment }
        let openedSupport = try authority.open(try read("challenge-support.txt"), now: Self.issueTime, enrollment: lookup)
        let openedEmail = try authority.open(try read("challenge-email.txt"), now: Self.issueTime, enrollment: lookup)
        try write("per-device-secret.hex", Bytes.hex(try Fixture.deviceSecret().bytesForTestVectors) + "\n")
        try write("reset-key.txt", try authority.resetKey(for: openedSupport).description + "\n")
        try write("verification-code.txt", try authority.verificationCode(for: openedEmail).description + "\n")
        try write("reset-file.xml", try authority.resetFile(for: openedSupport, caseID: Self.caseID, now: Self.issueTime).xml)
    }
}
