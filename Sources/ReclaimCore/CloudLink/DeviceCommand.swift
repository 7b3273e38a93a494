public import Crypto
public import Foundation

/// What the platform asks a linked device to do. The authority signs every command; the
/// device applies a command only if the signature verifies, the serial is its own, the
/// expiry has not passed and the command's id was never applied before.
public struct DeviceCommand: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Set the admin password to the one sealed inside (owner-approved reset, F7). The
        /// owner's page sealed it to the device's key: the platform only relays it.
        case setAdminPassword(SealedPassword)

        var name: String {
            switch self {
            case .setAdminPassword: "setAdminPassword"
            }
        }
    }

    /// 16 random bytes: the command's nonce, and what the device remembers to apply it once.
    public let id: [UInt8]
    public let serial: SerialNumber
    public let action: Action
    /// The reset request the command carries out, for both sides' records.
    public let requestID: String
    public let issuedAt: Date
    public let expiresAt: Date
    /// The authority signing key that signs it.
    public let keyID: KeyID

    public init(
        id: [UInt8] = Bytes.random(count: 16), serial: SerialNumber, action: Action, requestID: String, issuedAt: Date, expiresAt: Date,
        keyID: KeyID
    ) {
        self.id = id
        self.serial = serial
        self.action = action
        self.requestID = requestID
        self.issuedAt = issuedAt.wholeSeconds
        self.expiresAt = expiresAt.wholeSeconds
        self.keyID = keyID
    }

    public var idText: String { Bytes.hex(id) }

    /// The bytes the authority signs.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(domain: "reclaim device command v1")
        writer.append(tag: 1, id)
        writer.append(tag: 2, serial.text)
        writer.append(tag: 3, action.name)
        switch action {
        case .setAdminPassword(let sealed): writer.append(tag: 4, sealed.bytes)
        }
        writer.append(tag: 5, requestID)
        writer.append(tag: 6, issuedAt.unixSeconds)
        writer.append(tag: 7, expiresAt.unixSeconds)
        writer.append(tag: 8, keyID.bytes)
        return writer.bytes
    }
}

/// A ``DeviceCommand`` with the authority's Ed25519 signature over its canonical bytes.
public struct SignedCommand: Sendable, Hashable {
    public let command: DeviceCommand
    public let signature: [UInt8]

    public init(command: DeviceCommand, signature: [UInt8]) {
        self.command = command
        self.signature = signature
    }

    public static func sign(_ command: DeviceCommand, with key: Curve25519.Signing.PrivateKey) throws(ReclaimError) -> SignedCommand {
        do {
            return SignedCommand(command: command, signature: Array(try key.signature(for: command.canonicalBytes)))
        } catch {
            throw ReclaimError(.signatureInvalid, "The command could not be signed: \(error).")
        }
    }

    /// Checks what a device checks before applying: the signature by a key it trusts, its
    /// own serial, and the expiry. (Whether it was applied before is the device's record.)
    public func verify(with bundle: AuthorityBundle, serial: SerialNumber, now: Date) throws(ReclaimError) {
        guard let key = bundle.signingKey(command.keyID) else {
            throw ReclaimError(.unknownKey, "The command was signed with key \(command.keyID), which this device does not trust.")
        }
        guard key.isValidSignature(signature, for: command.canonicalBytes) else {
            throw ReclaimError(.signatureInvalid, "The command's signature does not verify: it was altered or is not genuine.")
        }
        guard command.serial == serial else {
            throw ReclaimError(.wrongDevice, "The command is for device \(command.serial), not for this one.")
        }
        guard command.expiresAt > now else {
            throw ReclaimError(.challengeExpired, "The command expired at \(command.expiresAt.inReason).")
        }
    }
}

/// A new password sealed to one device's X25519 key, so that only that device can read it.
///
/// The sealer makes an ephemeral X25519 key, agrees a secret with the device's key, and
/// derives an AES-256-GCM key with HKDF-SHA256 (salt: the serial; info: the label and both
/// public keys). The serial is the associated data. A browser does the same with WebCrypto
/// (`/static/owner.js`); every step is one WebCrypto call.
///
/// Bytes: ephemeral public key (32) ‖ AES-GCM nonce (12) ‖ ciphertext ‖ tag (16).
public struct SealedPassword: Sendable, Hashable {
    public static let info = "reclaim owner password v1"
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(ReclaimError) {
        guard bytes.count >= 32 + 12 + 16 + 1, bytes.count <= 32 + 12 + 16 + 1024 else {
            throw ReclaimError(.malformedInput, "The sealed password has the wrong length (\(bytes.count) bytes).")
        }
        self.bytes = bytes
    }

    /// Seals `password` for the device whose X25519 public key is `deviceKey` (tests and
    /// tools; the owner's page does this in the browser).
    public static func seal(_ password: String, for deviceKey: Curve25519.KeyAgreement.PublicKey, serial: SerialNumber)
        throws(ReclaimError) -> SealedPassword
    {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let ephemeralPublic = Array(ephemeral.publicKey.rawRepresentation)
        do {
            let shared = try ephemeral.sharedSecretFromKeyAgreement(with: deviceKey)
            let key = derive(shared, ephemeralPublic: ephemeralPublic, devicePublic: Array(deviceKey.rawRepresentation), serial: serial)
            let box = try AES.GCM.seal(Array(password.utf8), using: key, authenticating: Array(serial.text.utf8))
            return try SealedPassword(bytes: ephemeralPublic + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag))
        } catch let error as ReclaimError {
            throw error
        } catch {
            throw ReclaimError(.malformedInput, "The password could not be sealed: \(error).")
        }
    }

    /// Seals `password` for the enrolled device `record`.
    public static func seal(_ password: String, for record: DeviceEnrollment) throws(ReclaimError) -> SealedPassword {
        guard let key = record.agreementPublicKey else {
            throw ReclaimError(.malformedInput, "The enrollment of \(record.serial) has no readable X25519 key.")
        }
        return try seal(password, for: key, serial: record.serial)
    }

    /// Opens it with the device's private key.
    public func open(with deviceKey: Curve25519.KeyAgreement.PrivateKey, serial: SerialNumber) throws(ReclaimError) -> String {
        let ephemeralPublic = Array(bytes[0..<32])
        do {
            let ephemeral = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: ephemeralPublic)
            let shared = try deviceKey.sharedSecretFromKeyAgreement(with: ephemeral)
            let key = Self.derive(
                shared, ephemeralPublic: ephemeralPublic, devicePublic: Array(deviceKey.publicKey.rawRepresentation), serial: serial)
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: bytes[32..<44]), ciphertext: bytes[44..<(bytes.count - 16)], tag: bytes[(bytes.count - 16)...])
            let plain = try AES.GCM.open(box, using: key, authenticating: Array(serial.text.utf8))
            guard let password = String(bytes: plain, encoding: .utf8) else {
                throw ReclaimError(.malformedInput, "The sealed password is not text.")
            }
            return password
        } catch let error as ReclaimError {
            throw error
        } catch {
            throw ReclaimError(
                .signatureInvalid, "The sealed password does not open with this device's key: it was sealed for another device or altered.")
        }
    }

    static func derive(_ shared: SharedSecret, ephemeralPublic: [UInt8], devicePublic: [UInt8], serial: SerialNumber) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Array(serial.text.utf8), sharedInfo: Array(info.utf8) + ephemeralPublic + devicePublic,
            outputByteCount: 32)
    }
}
