import Foundation
import ReclaimCore
import Testing

/// Firmware packages: what signing makes, and every way a device refuses one.
@Suite struct FirmwarePackageTests {
    static let model = "DS-2CD2386G2-IU"
    static let installed = DeviceModel.Firmware("V5.7.3", build: "220112")
    static let release = DeviceModel.Firmware("V5.7.15", build: "230815")
    static let key = ReleaseSigningKey.generate()
    static let trusted = [key.publicKey]
    static let payload = Array("a lab firmware image".utf8)

    static func signed(
        models: [String] = [model], firmware: DeviceModel.Firmware = release, payload: [UInt8] = payload,
        key: ReleaseSigningKey = key
    ) throws -> [UInt8] {
        try FirmwarePackage.sign(models: models, firmware: firmware, payload: payload, with: key).bytes
    }

    /// Reads and checks `bytes` as a device running ``installed`` would.
    func refusal(_ bytes: [UInt8], installed: DeviceModel.Firmware = installed, trusting: [ReleaseKey] = trusted)
        -> FirmwareRefusal.Kind?
    {
        do {
            try FirmwarePackage(bytes: bytes).check(model: Self.model, installed: installed, trusting: trusting)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func aSignedPackageReadsBackAndIsAccepted() throws {
        let bytes = try Self.signed(models: ["DS-2CD2143G2-IS", Self.model])
        let package = try FirmwarePackage(bytes: bytes)
        #expect(package.models == ["DS-2CD2143G2-IS", Self.model])
        #expect(package.firmware == Self.release)
        #expect(package.payload == Self.payload)
        #expect(package.keyID == Self.key.id)
        #expect(package.bytes == bytes, "reading and writing keeps every byte")
        #expect(refusal(bytes) == nil)
    }

    @Test func aChangedPayloadOrHeaderBreaksTheSignature() throws {
        let bytes = try Self.signed()
        // The payload's last byte, just before the signature field (tag, length, 64 bytes).
        var payload = bytes
        payload[bytes.count - 69 - 1] ^= 0x01
        #expect(refusal(payload) == .badSignature)
        // The version, in the header: V5.7.15 → V5.7.16, still a version a device could take.
        let version = Array("V5.7.15".utf8)
        let start = try #require(bytes.firstRange(of: version)).lowerBound
        var header = bytes
        header[start + version.count - 1] = UInt8(ascii: "6")
        #expect(try FirmwarePackage(bytes: header).firmware.version == "V5.7.16")
        #expect(refusal(header) == .badSignature)
        // Another model named in place of the signed one.
        var model = bytes
        let name = try #require(bytes.firstRange(of: Array(Self.model.utf8))).lowerBound
        model[name + 3] = UInt8(ascii: "X")
        #expect(refusal(model) == .badSignature)
        // The signature itself.
        var signature = bytes
        signature[bytes.count - 1] ^= 0x80
        #expect(refusal(signature) == .badSignature)
    }

    @Test func anUnsignedPackageIsRefused() throws {
        let package = try FirmwarePackage(bytes: Self.signed())
        let unsigned = FirmwarePackage(
            models: package.models, firmware: package.firmware, keyID: package.keyID, payload: package.payload, signature: [])
        #expect(try FirmwarePackage(bytes: unsigned.bytes).signature.isEmpty)
        #expect(refusal(unsigned.bytes) == .unsigned)
    }

    @Test func aPackageOfAnotherKeyOrForADeviceWithoutKeysIsRefused() throws {
        let other = ReleaseSigningKey.generate()
        #expect(refusal(try Self.signed(key: other)) == .unknownKey)
        #expect(refusal(try Self.signed(), trusting: [other.publicKey]) == .unknownKey)
        #expect(refusal(try Self.signed(), trusting: []) == .noTrustedKey)
        // A rotation: old and new keys trusted side by side.
        #expect(refusal(try Self.signed(key: other), trusting: [Self.key.publicKey, other.publicKey]) == nil)
    }

    @Test func aPackageForAnotherModelIsRefused() throws {
        let error = #expect(throws: FirmwareRefusal.self) {
            try FirmwarePackage(bytes: Self.signed(models: ["DS-7608NXI-K2"]))
                .check(model: Self.model, installed: Self.installed, trusting: Self.trusted)
        }
        #expect(error?.kind == .wrongModel)
        #expect(error?.reason == "The firmware package is for DS-7608NXI-K2, not for this DS-2CD2386G2-IU.")
    }

    @Test func onlyANewerReleaseIsInstalled() throws {
        let bytes = try Self.signed()
        #expect(refusal(bytes, installed: Self.release) == .sameVersion)
        #expect(refusal(bytes, installed: .init("V5.7.15", build: "240101")) == .olderVersion, "same version, a later build")
        #expect(refusal(bytes, installed: .init("V5.8.0", build: "230101")) == .olderVersion)
        // Numbers, not text: V5.7.15 is newer than V5.7.3 though "1" sorts before "3".
        #expect(refusal(bytes, installed: .init("V5.7.3", build: "240101")) == nil)
        #expect(refusal(bytes, installed: .init("V5.7.15", build: "230814")) == nil, "same version, an earlier build")
        #expect(refusal(try Self.signed(firmware: .init("V5.7.15.0", build: "230815")), installed: Self.release) == .sameVersion)
        let older = #expect(throws: FirmwareRefusal.self) {
            try FirmwarePackage(bytes: Self.signed(firmware: .init("V5.6.9", build: "210101")))
                .check(model: Self.model, installed: Self.installed, trusting: Self.trusted)
        }
        #expect(
            older?.reason
                == "The firmware package holds V5.6.9 build 210101, older than the installed V5.7.3 build 220112; a device never goes back to an older release."
        )
    }

    @Test func aPackageOverTheLimitIsRefusedUnread() throws {
        #expect(refusal([UInt8](repeating: 0, count: FirmwarePackage.maxSize + 1)) == .tooLarge)
        let error = #expect(throws: FirmwareRefusal.self) {
            try Self.signed(payload: [UInt8](repeating: 7, count: FirmwarePackage.maxSize))
        }
        #expect(error?.kind == .tooLarge, "the tool never makes what no device takes")
        // Just under the limit is fine.
        let big = try Self.signed(payload: [UInt8](repeating: 7, count: FirmwarePackage.maxSize - 200))
        #expect(big.count <= FirmwarePackage.maxSize)
        #expect(refusal(big) == nil)
    }

    @Test func malformedBytesAreRefusedWithoutACrash() throws {
        let bytes = try Self.signed()
        #expect(refusal([]) == .malformed)
        #expect(refusal(Array("<ResetFile/>".utf8)) == .malformed)
        #expect(refusal(Array(bytes.prefix(40))) == .malformed, "cut short")
        #expect(refusal(bytes + [9, 0, 0, 0, 0]) == .malformed, "something after the signature")
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            #expect(refusal(Array(bytes.prefix(cut))) != nil)
        }
        // Fields a device could not compare.
        for firmware in [
            DeviceModel.Firmware("5.7.15", build: "230815"), .init("V5.x.1", build: "230815"), .init("V5.7.15", build: "2308"),
        ] {
            let error = #expect(throws: FirmwareRefusal.self) {
                try Self.signed(firmware: firmware)
            }
            #expect(error?.kind == .malformed, "\(firmware)")
        }
        #expect(throws: FirmwareRefusal.self) { try Self.signed(models: []) }
    }

    @Test func keyFilesRoundTripAndAPrivateKeyIsNeverTakenForAPublicOne() throws {
        let privateJSON = try JSONEncoder.reclaim.encode(Self.key)
        let publicJSON = try JSONEncoder.reclaim.encode(Self.key.publicKey)
        #expect(try ReleaseSigningKey.decode(json: privateJSON).id == Self.key.id)
        #expect(try ReleaseKey.decode(json: publicJSON) == Self.key.publicKey)
        let error = #expect(throws: ReclaimError.self) { try ReleaseKey.decode(json: privateJSON) }
        #expect(error?.reason.contains("private release key") == true)
        #expect(throws: ReclaimError.self) { try ReleaseKey.decode(json: Data("{}".utf8)) }
        #expect(!String(decoding: publicJSON, as: UTF8.self).contains("privateKey"))
    }

    @Test func aReleaseNewerThanTheCatalogueKnowsIsCurrent() {
        let camera = DeviceModel.named(Self.model)
        #expect(FirmwareStatus(installed: .init("V5.7.16", build: "240301"), model: camera) == .current)
        #expect(FirmwareStatus(installed: .init("V5.7.15", build: "230815"), model: camera) == .current)
        #expect(FirmwareStatus(installed: .init("V5.7.3", build: "220112"), model: camera) == .outdated(latest: Self.release))
    }
}
