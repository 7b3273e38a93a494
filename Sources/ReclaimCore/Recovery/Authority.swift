import Crypto
public import Foundation

/// A challenge the authority has opened and checked.
public struct OpenedChallenge: Sendable, Hashable {
    public let content: ChallengeContent
    public let enrollment: DeviceEnrollment
    /// The agreement key the challenge was sealed to.
    public let authorityKeyID: KeyID
    /// The device's per-device secret as `Authority.sealSecret` stored it at enrollment,
    /// if the caller had it; without it the secret is agreed again (one X25519).
    public let sealedSecret: [UInt8]?
}

/// The recovery authority: opens device challenges and answers them with reset keys,
/// reset files and verification codes.
///
/// Pure logic; the platform server wraps it with storage, accounts and an audit log.
/// It answers only challenges that a device enrolled with it signed, and every answer
/// is bound to that one challenge.
public struct Authority: Sendable {
    public let keys: AuthorityKeys
    /// One AES key per agreement key, derived from its private half, that seals per-device
    /// secrets for storage: a database copy of them is worth nothing without the key file.
    private let secretSealingKeys: [KeyID: SymmetricKey]

    static let sealingInfo = Array("reclaim sealed per-device secret v1".utf8)

    public init(keys: AuthorityKeys) {
        self.keys = keys
        var sealing: [KeyID: SymmetricKey] = [:]
        for key in keys.agreementKeys {
            sealing[key.id] = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: key.key.rawRepresentation), info: Self.sealingInfo, outputByteCount: 32)
        }
        secretSealingKeys = sealing
    }

    /// Opens a challenge's text form and checks it: sealed to a key of ours, signed by
    /// the enrolled device it names, not expired.
    ///
    /// - Parameter enrollment: looks up the enrollment record of a serial.
    public func open(_ text: String, now: Date, enrollment: (SerialNumber) -> DeviceEnrollment?) throws(ReclaimError)
        -> OpenedChallenge
    {
        let sealed = try unseal(text)
        return try check(sealed, enrollment: enrollment(sealed.content.serial), now: now)
    }

    /// A challenge decrypted but not yet checked: what `check` takes once the enrollment
    /// of `content.serial` has been looked up (a server looks it up in its database).
    public struct UnsealedChallenge: Sendable {
        public let content: ChallengeContent
        let signature: [UInt8]
        let authorityKeyID: KeyID
    }

    /// Decrypts a challenge's text form; nothing in it is trusted until `check` passes.
    public func unseal(_ text: String) throws(ReclaimError) -> UnsealedChallenge {
        let envelope = try Challenge.envelope(of: text)
        guard let key = keys.agreementKey(envelope.authorityKeyID) else {
            throw ReclaimError(
                .unknownKey, "The challenge is sealed to key \(envelope.authorityKeyID), which this authority does not hold.")
        }
        let plaintext = try Challenge.decrypt(envelope, with: key.key)
        let (content, signature) = try Challenge.parsePayload(plaintext)
        return UnsealedChallenge(content: content, signature: signature, authorityKeyID: envelope.authorityKeyID)
    }

    /// Checks an unsealed challenge against the enrollment record of the device it names.
    ///
    /// - Parameter sealedSecret: what `sealSecret` gave for this record, if it was kept.
    public func check(_ sealed: UnsealedChallenge, enrollment record: DeviceEnrollment?, sealedSecret: [UInt8]? = nil, now: Date)
        throws(ReclaimError) -> OpenedChallenge
    {
        let content = sealed.content
        guard let record, record.serial == content.serial, let identity = record.identityPublicKey else {
            throw ReclaimError(.notEnrolled, "Device \(content.serial) is not enrolled with this authority.")
        }
        guard identity.isValidSignature(sealed.signature, for: content.canonicalBytes) else {
            throw ReclaimError(.signatureInvalid, "The challenge was not signed by device \(content.serial).")
        }
        guard !content.isExpired(at: now) else {
            throw ReclaimError(
                .challengeExpired, "The challenge expired at \(content.expiresAt.inReason); export a new one from the device.")
        }
        if content.purpose == .reservedEmail {
            // Signed by the device or not, an address that could write a mail header is refused.
            guard let address = content.reservedEmail, EmailAddress.isPlausible(address) else {
                throw ReclaimError(.malformedInput, "The reserved e-mail challenge carries no usable address.")
            }
        }
        return OpenedChallenge(
            content: content, enrollment: record, authorityKeyID: sealed.authorityKeyID, sealedSecret: sealedSecret)
    }

    /// The per-device secret of an enrolled device.
    func secret(for record: DeviceEnrollment) throws(ReclaimError) -> PerDeviceSecret {
        guard let key = keys.agreementKey(record.authorityKeyID), let devicePublic = record.agreementPublicKey else {
            throw ReclaimError(.unknownKey, "The authority no longer holds the key device \(record.serial) was enrolled with.")
        }
        return try PerDeviceSecret(authorityKey: key.key, authorityKeyID: key.id, devicePublicKey: devicePublic, serial: record.serial)
    }

    /// The per-device secret shared with the challenge's device: unsealed from storage
    /// when the caller kept it (an AES-GCM open), else agreed again (an X25519, which
    /// costs more than the signature of a reset file).
    func secret(for challenge: OpenedChallenge) throws(ReclaimError) -> PerDeviceSecret {
        if let sealed = challenge.sealedSecret, let secret = unsealSecret(sealed, of: challenge.enrollment) {
            return secret
        }
        return try secret(for: challenge.enrollment)
    }

    /// The device's per-device secret, sealed (AES-GCM, bound to the serial and key id)
    /// under a key only this authority's key file gives: what a server stores beside the
    /// enrollment record so that issuing a reset key needs no key agreement.
    public func sealSecret(for record: DeviceEnrollment) throws(ReclaimError) -> [UInt8] {
        let secret = try secret(for: record)
        guard let sealingKey = secretSealingKeys[record.authorityKeyID] else {
            throw ReclaimError(.unknownKey, "The authority no longer holds the key device \(record.serial) was enrolled with.")
        }
        do {
            let box = try secret.key.withUnsafeBytes { bytes in
                try AES.GCM.seal(Array(bytes), using: sealingKey, authenticating: Self.sealingContext(record))
            }
            guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
            return Array(combined)
        } catch {
            throw ReclaimError(.unknownKey, "The per-device secret of \(record.serial) could not be sealed: \(error).")
        }
    }

    /// Nil when the sealed bytes are not this record's (altered, or sealed by other keys):
    /// the caller then agrees the secret again, which is always right.
    func unsealSecret(_ sealed: [UInt8], of record: DeviceEnrollment) -> PerDeviceSecret? {
        guard let sealingKey = secretSealingKeys[record.authorityKeyID],
            let box = try? AES.GCM.SealedBox(combined: sealed),
            let bytes = try? AES.GCM.open(box, using: sealingKey, authenticating: Self.sealingContext(record)),
            bytes.count == 32
        else { return nil }
        return PerDeviceSecret(key: SymmetricKey(data: bytes))
    }

    private static func sealingContext(_ record: DeviceEnrollment) -> [UInt8] {
        Array(record.serial.text.utf8) + [0] + record.authorityKeyID.bytes
    }

    /// A reset key for a support-case challenge.
    public func resetKey(for challenge: OpenedChallenge) throws(ReclaimError) -> RecoveryCode {
        guard challenge.content.purpose == .supportCase else {
            throw ReclaimError(.wrongPurpose, "This challenge asks for a reserved e-mail code, not a support reset key.")
        }
        return RecoveryCode.derive(.resetKey, secret: try secret(for: challenge), challenge: challenge.content)
    }

    /// A verification code for a reserved e-mail challenge, to be mailed to the address inside it.
    public func verificationCode(for challenge: OpenedChallenge) throws(ReclaimError) -> RecoveryCode {
        guard challenge.content.purpose == .reservedEmail else {
            throw ReclaimError(.wrongPurpose, "This challenge is for a support case; it gets a reset key or file, not an e-mail code.")
        }
        return RecoveryCode.derive(.verificationCode, secret: try secret(for: challenge), challenge: challenge.content)
    }

    /// A signed reset file for a support-case challenge, valid until the earlier of the
    /// challenge's expiry and `validity` from `now`.
    public func resetFile(for challenge: OpenedChallenge, caseID: String, now: Date, validity: TimeInterval = 48 * 3600)
        throws(ReclaimError) -> ResetFile
    {
        guard challenge.content.purpose == .supportCase else {
            throw ReclaimError(.wrongPurpose, "This challenge asks for a reserved e-mail code, not a reset file.")
        }
        let signing = keys.currentSigningKey
        let authorization = ResetAuthorization(
            serial: challenge.content.serial, nonce: challenge.content.nonce, action: ResetAuthorization.resetAdminPassword,
            caseID: caseID, issuedAt: now, expiresAt: min(challenge.content.expiresAt, now.addingTimeInterval(validity)),
            keyID: signing.id)
        return try ResetFile.sign(authorization, with: signing.key)
    }

    /// A command for a linked device, signed with the current signing key.
    public func command(
        _ action: DeviceCommand.Action, for serial: SerialNumber, requestID: String, now: Date, validity: TimeInterval,
        id: [UInt8] = Bytes.random(count: 16)
    ) throws(ReclaimError) -> SignedCommand {
        let signing = keys.currentSigningKey
        let command = DeviceCommand(
            id: id, serial: serial, action: action, requestID: requestID, issuedAt: now, expiresAt: now.addingTimeInterval(validity),
            keyID: signing.id)
        return try SignedCommand.sign(command, with: signing.key)
    }
}
