import Crypto
public import Foundation

/// A challenge the authority has opened and checked.
public struct OpenedChallenge: Sendable, Hashable {
    public let content: ChallengeContent
    public let enrollment: DeviceEnrollment
    /// The agreement key the challenge was sealed to.
    public let authorityKeyID: KeyID
}

/// The recovery authority: opens device challenges and answers them with reset keys,
/// reset files and verification codes.
///
/// Pure logic; the platform server wraps it with storage, accounts and an audit log.
/// It answers only challenges that a device enrolled with it signed, and every answer
/// is bound to that one challenge.
public struct Authority: Sendable {
    public let keys: AuthorityKeys

    public init(keys: AuthorityKeys) {
        self.keys = keys
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
    public func check(_ sealed: UnsealedChallenge, enrollment record: DeviceEnrollment?, now: Date) throws(ReclaimError)
        -> OpenedChallenge
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
                .challengeExpired, "The challenge expired at \(content.expiresAt.formatted(.iso8601)); export a new one from the device.")
        }
        if content.purpose == .reservedEmail, content.reservedEmail?.isEmpty ?? true {
            throw ReclaimError(.malformedInput, "The reserved e-mail challenge carries no address.")
        }
        return OpenedChallenge(content: content, enrollment: record, authorityKeyID: sealed.authorityKeyID)
    }

    /// The per-device secret shared with the challenge's device.
    func secret(for challenge: OpenedChallenge) throws(ReclaimError) -> PerDeviceSecret {
        guard let key = keys.agreementKey(challenge.enrollment.authorityKeyID),
            let devicePublic = challenge.enrollment.agreementPublicKey
        else {
            throw ReclaimError(.unknownKey, "The authority no longer holds the key device \(challenge.content.serial) was enrolled with.")
        }
        return try PerDeviceSecret(
            authorityKey: key.key, authorityKeyID: key.id, devicePublicKey: devicePublic, serial: challenge.content.serial)
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
}
