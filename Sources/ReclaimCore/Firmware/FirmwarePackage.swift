public import Crypto
public import Foundation

/// A firmware package: which models it is for, the release it installs, the payload, and
/// an Ed25519 signature of a release key over all of that.
///
/// On the wire it is one canonical record (``CanonicalWriter``, domain
/// `reclaim firmware package v1`): a field per model (tag 1, one to sixteen), the version
/// (2), the build (3), the release key's id (4), the payload (5), then the signature
/// (tag 9, 64 bytes) over every byte before it. The key id is inside what is signed, so a
/// package cannot be passed off as signed by another key. The device rebuilds the signed
/// bytes from the fields it read, so nothing outside the fields can ride along.
///
/// ```swift
/// let package = try FirmwarePackage.sign(
///     models: ["DS-2CD2386G2-IU"], firmware: .init("V5.7.16", build: "240301"), payload: image, with: releaseKey)
/// try FirmwarePackage(bytes: package.bytes).check(model: "DS-2CD2386G2-IU", installed: current, trusting: [releaseKey.publicKey])
/// ```
public struct FirmwarePackage: Sendable, Hashable {
    /// The largest package a device takes: enough for a lab payload, small enough that a
    /// device never holds more than this of an upload in memory.
    public static let maxSize = 4 * 1024 * 1024
    /// Models one package may name.
    public static let maxModels = 16
    static let domain = "reclaim firmware package v1"

    enum Tag: UInt8 {
        case model = 1, version, build, keyID, payload
        case signature = 9
    }

    public let models: [String]
    public let firmware: DeviceModel.Firmware
    /// The release key that signed it (or, unsigned, would have).
    public let keyID: KeyID
    public let payload: [UInt8]
    /// Empty when the package is unsigned.
    public let signature: [UInt8]

    public init(models: [String], firmware: DeviceModel.Firmware, keyID: KeyID, payload: [UInt8], signature: [UInt8]) {
        self.models = models
        self.firmware = firmware
        self.keyID = keyID
        self.payload = payload
        self.signature = signature
    }

    /// Builds and signs a package, refusing what no device could take.
    public static func sign(
        models: [String], firmware: DeviceModel.Firmware, payload: [UInt8], with key: ReleaseSigningKey
    ) throws(FirmwareRefusal) -> FirmwarePackage {
        try checkFields(models: models, firmware: firmware)
        let unsigned = FirmwarePackage(models: models, firmware: firmware, keyID: key.id, payload: payload, signature: [])
        guard unsigned.signedBytes.count + 5 + 64 <= maxSize else { throw .tooLarge(limit: maxSize) }
        do {
            let signature = Array(try key.key.signature(for: unsigned.signedBytes))
            return FirmwarePackage(models: models, firmware: firmware, keyID: key.id, payload: payload, signature: signature)
        } catch {
            throw .malformed("the package could not be signed (\(error))")
        }
    }

    /// The bytes the signature covers: every field but the signature.
    public var signedBytes: [UInt8] { encoded(withSignature: false) }

    /// The package as a file.
    public var bytes: [UInt8] { encoded(withSignature: !signature.isEmpty) }

    private func encoded(withSignature: Bool) -> [UInt8] {
        var writer = CanonicalWriter(domain: Self.domain)
        for model in models { writer.append(tag: Tag.model.rawValue, model) }
        writer.append(tag: Tag.version.rawValue, firmware.version)
        writer.append(tag: Tag.build.rawValue, firmware.build)
        writer.append(tag: Tag.keyID.rawValue, keyID.bytes)
        writer.append(tag: Tag.payload.rawValue, payload)
        if withSignature { writer.append(tag: Tag.signature.rawValue, signature) }
        return writer.bytes
    }

    /// Reads a package from untrusted bytes. Checks its shape only: ``verify(trusting:)``
    /// checks the signature, ``check(model:installed:trusting:)`` everything.
    public init(bytes: some Collection<UInt8>) throws(FirmwareRefusal) {
        guard bytes.count <= Self.maxSize else { throw .tooLarge(limit: Self.maxSize) }
        let malformed = FirmwareRefusal.malformed("this is not a Reclaim firmware package")
        var reader: CanonicalReader
        do {
            reader = try CanonicalReader(Array(bytes), domain: Self.domain)
        } catch {
            throw malformed
        }
        func field(_ tag: Tag, _ what: String) throws(FirmwareRefusal) -> [UInt8] {
            do {
                return try reader.field(tag.rawValue)
            } catch {
                throw .malformed("its \(what) is missing or out of place")
            }
        }
        func text(_ tag: Tag, _ what: String, maxLength: Int) throws(FirmwareRefusal) -> String {
            let value = try field(tag, what)
            guard (1...maxLength).contains(value.count), let text = String(validating: value, as: UTF8.self) else {
                throw .malformed("its \(what) is not valid text")
            }
            return text
        }
        var models: [String] = []
        while reader.peekTag() == Tag.model.rawValue {
            guard models.count < Self.maxModels else { throw .malformed("it names more than \(Self.maxModels) models") }
            models.append(try text(.model, "model", maxLength: 64))
        }
        guard !models.isEmpty else { throw .malformed("it names no model") }
        let firmware = DeviceModel.Firmware(
            try text(.version, "version", maxLength: 32), build: try text(.build, "build", maxLength: 16))
        guard let keyID = KeyID(bytes: try field(.keyID, "key id")) else { throw .malformed("its key id is not valid") }
        let payload = try field(.payload, "payload")
        try Self.checkFields(models: models, firmware: firmware)
        var signature: [UInt8] = []
        if !reader.isAtEnd {
            signature = try field(.signature, "signature")
            guard signature.count == 64 else { throw .malformed("its signature is not 64 bytes") }
            guard reader.isAtEnd else { throw .malformed("something follows its signature") }
        }
        self.init(models: models, firmware: firmware, keyID: keyID, payload: payload, signature: signature)
    }

    /// What every package must say well, signed or read.
    static func checkFields(models: [String], firmware: DeviceModel.Firmware) throws(FirmwareRefusal) {
        guard !models.isEmpty, models.count <= maxModels,
            models.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 && $0.allSatisfy { $0.isASCII && !$0.isWhitespace } })
        else { throw .malformed("its models must be 1 to \(maxModels) model names") }
        guard firmware.isWellFormed else {
            throw .malformed("its version must read like V5.7.15 and its build like 230815 (YYMMDD)")
        }
    }

    /// Checks the signature against the release keys the device trusts.
    public func verify(trusting keys: [ReleaseKey]) throws(FirmwareRefusal) {
        guard !signature.isEmpty else { throw .unsigned }
        guard !keys.isEmpty else { throw .noTrustedKey }
        guard let key = keys.first(where: { $0.id == keyID })?.verifyingKey else { throw .unknownKey(keyID) }
        guard key.isValidSignature(signature, for: signedBytes) else { throw .badSignature }
    }

    /// Everything a device checks before installing: a genuine package of a trusted key,
    /// for its model, newer than what it runs.
    public func check(model: String, installed: DeviceModel.Firmware, trusting keys: [ReleaseKey]) throws(FirmwareRefusal) {
        try verify(trusting: keys)
        guard models.contains(where: { $0.caseInsensitiveCompare(model) == .orderedSame }) else {
            throw .wrongModel(model: model, packageModels: models)
        }
        if firmware.isSameRelease(as: installed) { throw .sameVersion(installed) }
        guard firmware.isNewer(than: installed) else { throw .olderVersion(offered: firmware, installed: installed) }
    }
}

/// Why a device, or the signing tool, refuses a firmware package.
///
/// The kind is for programs and each surface's texts; ``reason`` says it in English, and
/// ``values`` carries what the texts name (versions, models, the limit).
public struct FirmwareRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case tooLarge, malformed, unsigned, noTrustedKey, unknownKey, badSignature, wrongModel, sameVersion, olderVersion
    }

    public let kind: Kind
    public let reason: String
    public let values: [String: String]

    public init(_ kind: Kind, _ reason: String, values: [String: String] = [:]) {
        self.kind = kind
        self.reason = reason
        self.values = values
    }

    public var description: String { "\(kind.rawValue): \(reason)" }

    public static func == (lhs: FirmwareRefusal, rhs: FirmwareRefusal) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    public static func tooLarge(limit: Int) -> FirmwareRefusal {
        let megabytes = String(limit / (1024 * 1024))
        return FirmwareRefusal(
            .tooLarge, "The firmware package is larger than the \(megabytes) MB a device takes; check that it is the right file.",
            values: ["megabytes": megabytes])
    }

    public static func malformed(_ detail: String) -> FirmwareRefusal {
        FirmwareRefusal(.malformed, "The file is not a valid firmware package: \(detail). Choose the .pkg file of the release.")
    }

    public static let unsigned = FirmwareRefusal(
        .unsigned, "The firmware package is not signed; only signed releases are installed. Get the signed package of the release.")

    public static let noTrustedKey = FirmwareRefusal(
        .noTrustedKey, "This device trusts no release key, so it installs no firmware package.")

    public static func unknownKey(_ id: KeyID) -> FirmwareRefusal {
        FirmwareRefusal(
            .unknownKey, "The firmware package is signed with key \(id), which this device does not trust; it is not a release for it.",
            values: ["key": id.description])
    }

    public static let badSignature = FirmwareRefusal(
        .badSignature, "The firmware package's signature does not verify: the file was altered or is not genuine. Nothing was installed.")

    public static func wrongModel(model: String, packageModels: [String]) -> FirmwareRefusal {
        let models = packageModels.joined(separator: ", ")
        return FirmwareRefusal(
            .wrongModel, "The firmware package is for \(models), not for this \(model).", values: ["model": model, "models": models])
    }

    public static func sameVersion(_ installed: DeviceModel.Firmware) -> FirmwareRefusal {
        FirmwareRefusal(
            .sameVersion, "\(installed.displayString) is installed already; nothing was changed.",
            values: ["installed": installed.displayString])
    }

    public static func olderVersion(offered: DeviceModel.Firmware, installed: DeviceModel.Firmware) -> FirmwareRefusal {
        FirmwareRefusal(
            .olderVersion,
            "The firmware package holds \(offered.displayString), older than the installed \(installed.displayString); a device never goes back to an older release.",
            values: ["offered": offered.displayString, "installed": installed.displayString])
    }
}
