import Foundation
import ReclaimCore
import SADP
import Testing

@testable import ReclaimLAN

@Suite struct BatchTests {
    func device(_ index: Int) -> DeviceAnnouncement {
        var device = DeviceAnnouncement(mac: MACAddress(bytes: [0xC2, 0x52, 0, 0, 0, UInt8(index)])!)
        device.serial = "DS-2CD2386G2-IU20250314AAWR00000000\(index)"
        device.ipv4Address = "127.1.0.\(index)"
        return device
    }

    @Test func oneSlowDeviceDoesNotHoldUpTheOthers() async {
        let devices = (1...8).map(device)
        let order = NSLockedArray()
        let outcomes = await Batch(concurrency: 4).run(devices, progress: { _, _, outcome in order.append(outcome.device.ipv4Address!) }) {
            device in
            if device.ipv4Address == "127.1.0.1" { try await Task.sleep(for: .seconds(1)) }
            if device.ipv4Address == "127.1.0.5" { throw LANError(.noAnswer, "127.1.0.5: no answer") }
        }
        #expect(outcomes.count == 8)
        #expect(order.values.last == "127.1.0.1", "the slow one finishes last; the seven others did not wait for it")
        #expect(outcomes.filter { $0.error != nil }.map(\.device.ipv4Address) == ["127.1.0.5"])
    }
}

final class NSLockedArray: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ value: String) { lock.withLock { storage.append(value) } }
    var values: [String] { lock.withLock { storage } }
}

@Suite struct LANErrorTests {
    func refusal(_ fields: [SADPField]) -> SADPMessage {
        SADPMessage(kind: .probeMatch, uuid: "u", verb: .reset, mac: MACAddress("c2-52-00-00-00-01"), result: .failed, fields: fields)
    }

    @Test func wrongCredentialSaysHowManyAttemptsAreLeft() {
        let error = LANError(
            refusal: refusal([
                SADPField("ErrorCode", "wrongCredential"), SADPField("ErrorMessage", "Wrong password. 2 attempts left before a lock-out."),
                SADPField("RetryTimes", "2"),
            ]), device: "CAM")
        #expect(error.kind == .wrongCredential)
        #expect(error.description == "CAM: Wrong password. 2 attempts left before a lock-out.")
    }

    @Test func lockSaysUntilWhen() {
        let error = LANError(
            refusal: refusal([SADPField("ErrorCode", "locked"), SADPField("UnlockTime", "1800"), SADPField("LockScope", "source")]),
            device: "CAM")
        #expect(error.kind == .locked)
        #expect(error.description.contains("until"))
        #expect(error.description.contains("(30 min)"))
    }

    @Test func brokenPasswordRulesAreListed() {
        let error = LANError(
            refusal: refusal([
                SADPField("ErrorCode", "passwordRule"), SADPField("PasswordRule", "The password must be at least 8 characters long."),
            ]), device: "CAM")
        #expect(error.description == "CAM: the password is refused. The password must be at least 8 characters long.")
    }

    @Test func devicesAreNamedByAddressSerialOrMAC() throws {
        var camera = DeviceAnnouncement(mac: MACAddress("c2-52-00-00-00-01")!)
        camera.serial = "DS-2CD2386G2-IU20250314AAWR123456789"
        camera.ipv4Address = "127.1.0.9"
        for name in ["127.1.0.9", "ds-2cd2386g2-iu20250314aawr123456789", "C2:52:00:00:00:01"] {
            #expect(try DeviceSelector(name).pick(from: [camera]) == camera)
        }
        #expect(throws: LANError.self) { try DeviceSelector("127.1.0.10").pick(from: [camera]) }
    }
}
