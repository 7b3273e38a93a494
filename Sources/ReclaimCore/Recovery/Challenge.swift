import Crypto
public import Foundation

/// Why a device asks the authority for help.
public enum ChallengePurpose: UInt8, Sendable, Codable, CaseIterable {
    /// A support case: the authority answers with a reset key or a reset file.
    case supportCase = 1
    /// Reserved e-mail: the authority mails a verification code to the address inside.
    case reservedEmail = 2

    public var name: String {
        switch self {
        case .supportCase: "supportCase"
        case .reservedEmail: "reservedEmail"
        }
    }

    public init?(name: String) {
        guard let purpose = Self.allCases.first(where: { $0.name.caseInsensitiveEquals(name) }) else { return nil }
        self = purpose
    }
}

/// What a challenge says: made by the device, read only by the authority.
public struct ChallengeContent: Sendable, Hashable, Codable {
    public let purpose: ChallengePurpose
    /// 16 fresh random bytes: what a key or code is bound to.
    public let nonce: [UInt8]
    public let serial: SerialNumber
    public let model: String
    public let issuedAt: Date
    public let expiresAt: Date
    /// The reserved address, for ``ChallengePurpose/reservedEmail`` only.
    public let reservedEmail: String?

    public init(
        purpose: ChallengePurpose, nonce: [UInt8], serial: SerialNumber, model: String, issuedAt: Date, expiresAt: Date,
        reservedEmail: String?
    ) {
        self.purpose = purpose
        self.nonce = nonce
        self.serial = serial
        self.model = model
        self.issuedAt = issuedAt.wholeSeconds
        self.expiresAt = expiresAt.wholeSeconds
        self.reservedEmail = reservedEmail
    }

    /// A new challenge with a fresh nonce, valid for `lifetime` from `now`.
    public static func make(
        purpose: ChallengePurpose, serial: SerialNumber, model: String, now: Date, lifetime: TimeInterval,
        reservedEmail: String? = nil
    ) -> ChallengeContent {
        ChallengeContent(
            purpose: purpose, nonce: Bytes.random(count: 16), serial: serial, model: model, issuedAt: now,
            expiresAt: now.addingTimeInterval(lifetime), reservedEmail: reservedEmail)
    }

    public func isExpired(at now: Date) -> Bool { now >= expiresAt }

    static let domain = "reclaim challenge v1"

    /// The bytes the device signs.
    var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(domain: Self.domain)
        writer.append(tag: 1, [purpose.rawValue])
        writer.append(tag: 2, nonce)
        writer.append(tag: 3, serial.text)
        writer.append(tag: 4, model)
        writer.append(tag: 5, issuedAt.unixSeconds)
        writer.append(tag: 6, expiresAt.unixSeconds)
        if let reservedEmail { writer.append(tag: 7, reservedEmail) }
        return writer.bytes
    }
}

/// The text form of a sealed challenge — what the QR code holds.
///
/// `RC1:` then unpadded RFC 4648 base32 of: version byte, the id of the authority key
/// it is sealed to (8 bytes), the HPKE encapsulated key (32 bytes), the ciphertext.
/// Every character is in the QR alphanumeric set, so a challenge fits one small code.
public enum Challenge {
    public static let prefix = "RC1:"
    static let version: UInt8 = 1
    static let hpkeInfo = Data("reclaim challenge seal v1".utf8)
    static let ciphersuite = HPKE.Ciphersuite.Curve25519_SHA256_ChachaPoly

    /// Signs `content` with the device key and seals it to the authority's current agreement key.
    public static func seal(_ content: ChallengeContent, deviceKeys: DeviceKeys, authority: AuthorityBundle) throws(ReclaimError)
        -> String
    {
        let entry = authority.currentAgreementKey
        guard let recipient = authority.agreementKey(entry.id) else {
            throw ReclaimError(.unknownKey, "The authority bundle holds no usable agreement key.")
        }
        let signed = content.canonicalBytes
        var plaintext = signed
        do {
            var writer = CanonicalWriter(domain: "")
            writer.append(tag: 15, Array(try deviceKeys.identity.signature(for: signed)))
            plaintext += writer.bytes.dropFirst(5)  // the signature field alone, without the empty domain
            let header = [version] + entry.id.bytes
            var sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: ciphersuite, info: hpkeInfo)
            let ciphertext = try sender.seal(plaintext, authenticating: header)
            return prefix + Base32.encode(header + Array(sender.encapsulatedKey) + Array(ciphertext))
        } catch {
            throw ReclaimError(.signatureInvalid, "The challenge could not be sealed: \(error).")
        }
    }

    /// The parts of a challenge's text form, before anything is decrypted.
    public struct Envelope: Sendable, Hashable {
        public let authorityKeyID: KeyID
        public let encapsulatedKey: [UInt8]
        public let ciphertext: [UInt8]
        var header: [UInt8] { [Challenge.version] + authorityKeyID.bytes }
    }

    /// Reads the text form, tolerating white space, line breaks and lower case (what a
    /// QR reader or a mail client may add). Decrypts nothing.
    public static func envelope(of text: String) throws(ReclaimError) -> Envelope {
        let compact = text.filter { !$0.isWhitespace }
        guard compact.count <= 4096, compact.uppercased().hasPrefix(prefix) else {
            throw ReclaimError(.malformedInput, "This is not a Reclaim challenge: its text starts with \(prefix).")
        }
        guard let bytes = Base32.decode(compact.dropFirst(prefix.count)) else {
            throw ReclaimError(.malformedInput, "The challenge text is damaged: it has characters outside its alphabet. Export it again.")
        }
        guard bytes.count > 1 + 8 + 32 + 16 else {
            throw ReclaimError(.malformedInput, "The challenge text is too short: part of it is missing. Export it again.")
        }
        guard bytes[0] == version else {
            throw ReclaimError(.unsupportedVersion, "The challenge is of version \(bytes[0]); this authority reads version \(version).")
        }
        return Envelope(
            authorityKeyID: KeyID(bytes: Array(bytes[1..<9]))!,
            encapsulatedKey: Array(bytes[9..<41]),
            ciphertext: Array(bytes[41...]))
    }

    /// Decrypts an envelope with the authority's private agreement key.
    static func decrypt(_ envelope: Envelope, with key: Curve25519.KeyAgreement.PrivateKey) throws(ReclaimError) -> [UInt8] {
        do {
            var recipient = try HPKE.Recipient(
                privateKey: key, ciphersuite: ciphersuite, info: hpkeInfo, encapsulatedKey: Data(envelope.encapsulatedKey))
            return Array(try recipient.open(envelope.ciphertext, authenticating: envelope.header))
        } catch {
            throw ReclaimError(.signatureInvalid, "The challenge does not open: it was not sealed to this authority, or it was altered.")
        }
    }

    /// Parses the decrypted payload: the signed content and the device's signature.
    public static func parsePayload(_ plaintext: [UInt8]) throws(ReclaimError) -> (content: ChallengeContent, signature: [UInt8]) {
        var reader = try CanonicalReader(plaintext, domain: ChallengeContent.domain)
        let purposeByte = try reader.field(1)
        guard purposeByte.count == 1, let purpose = ChallengePurpose(rawValue: purposeByte[0]) else {
            throw ReclaimError(.malformedInput, "The challenge names an unknown purpose.")
        }
        let nonce = try reader.field(2)
        guard nonce.count == 16 else { throw ReclaimError(.malformedInput, "The challenge nonce is not 16 bytes.") }
        let serialText = try reader.text(3)
        guard let serial = SerialNumber(serialText) else {
            throw ReclaimError(.malformedInput, "The challenge carries no valid serial number.")
        }
        let model = try reader.text(4)
        let issuedAt = try reader.number(5)
        let expiresAt = try reader.number(6)
        var reservedEmail: String?
        if reader.peekTag() == 7 { reservedEmail = try reader.text(7, maxLength: 254) }
        let signature = try reader.field(15)
        guard signature.count == 64, reader.isAtEnd else {
            throw ReclaimError(.malformedInput, "The challenge signature is malformed.")
        }
        guard issuedAt <= UInt64(Int32.max) * 4, expiresAt <= UInt64(Int32.max) * 4 else {
            throw ReclaimError(.malformedInput, "The challenge times are out of range.")
        }
        let content = ChallengeContent(
            purpose: purpose, nonce: nonce, serial: serial, model: model,
            issuedAt: Date(timeIntervalSince1970: TimeInterval(issuedAt)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAt)), reservedEmail: reservedEmail)
        return (content, signature)
    }
}
