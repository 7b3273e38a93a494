public import Crypto
public import Foundation

/// Names a public key: the first eight bytes of the SHA-256 of its raw form, in hex.
public struct KeyID: Hashable, Sendable, CodableAsText {
    public let bytes: [UInt8]

    public init(of rawPublicKey: some DataProtocol) {
        bytes = Array(SHA256.hash(data: rawPublicKey).prefix(8))
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 8 else { return nil }
        self.bytes = bytes
    }

    public init?(_ hex: String) {
        guard let bytes = Bytes.fromHex(hex), bytes.count == 8 else { return nil }
        self.bytes = bytes
    }

    public var description: String { Bytes.hex(bytes) }

}

/// The authority's public keys, as every device carries them.
///
/// Old keys stay in the bundle after a rotation so that files signed with them, and
/// devices enrolled with them, keep verifying until they are withdrawn.
public struct AuthorityBundle: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public let id: KeyID
        /// Raw public key, base64.
        public let publicKey: String
        public let createdAt: Date
    }

    public var format = "reclaim-authority-bundle-1"
    /// Ed25519 keys that sign reset files.
    public var signingKeys: [Entry]
    /// X25519 keys that challenges are sealed to; the last one is current.
    public var agreementKeys: [Entry]

    public var currentAgreementKey: Entry { agreementKeys[agreementKeys.count - 1] }

    public func signingKey(_ id: KeyID) -> Curve25519.Signing.PublicKey? {
        signingKeys.first { $0.id == id }.flatMap { Bytes.fromBase64($0.publicKey) }
            .flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
    }

    public func agreementKey(_ id: KeyID) -> Curve25519.KeyAgreement.PublicKey? {
        agreementKeys.first { $0.id == id }.flatMap { Bytes.fromBase64($0.publicKey) }
            .flatMap { try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: $0) }
    }

    /// Reads a bundle from its JSON form, refusing one without keys.
    public static func decode(json: some DataProtocol) throws(ReclaimError) -> AuthorityBundle {
        guard let bundle = try? JSONDecoder.reclaim.decode(AuthorityBundle.self, from: Data(json)),
            bundle.format == "reclaim-authority-bundle-1", !bundle.signingKeys.isEmpty, !bundle.agreementKeys.isEmpty
        else {
            throw ReclaimError(.malformedInput, "This is not an authority bundle; export one from the authority and try again.")
        }
        return bundle
    }
}

/// The authority's private keys. Only the recovery authority holds these.
public struct AuthorityKeys: Sendable {
    public struct SigningKey: Sendable {
        public let id: KeyID
        public let key: Curve25519.Signing.PrivateKey
        public let createdAt: Date
    }

    public struct AgreementKey: Sendable {
        public let id: KeyID
        public let key: Curve25519.KeyAgreement.PrivateKey
        public let createdAt: Date
    }

    /// Oldest first; the last is current.
    public private(set) var signingKeys: [SigningKey]
    public private(set) var agreementKeys: [AgreementKey]

    public var currentSigningKey: SigningKey { signingKeys[signingKeys.count - 1] }
    public var currentAgreementKey: AgreementKey { agreementKeys[agreementKeys.count - 1] }

    /// Fresh keys.
    public static func generate(now: Date = Date()) -> AuthorityKeys {
        AuthorityKeys(
            signing: Curve25519.Signing.PrivateKey(), agreement: Curve25519.KeyAgreement.PrivateKey(), createdAt: now)
    }

    public init(signing: Curve25519.Signing.PrivateKey, agreement: Curve25519.KeyAgreement.PrivateKey, createdAt: Date) {
        let createdAt = createdAt.wholeSeconds
        signingKeys = [SigningKey(id: KeyID(of: signing.publicKey.rawRepresentation), key: signing, createdAt: createdAt)]
        agreementKeys = [
            AgreementKey(id: KeyID(of: agreement.publicKey.rawRepresentation), key: agreement, createdAt: createdAt)
        ]
    }

    /// Adds a new current key pair; the old ones stay for verifying and opening.
    public mutating func rotate(now: Date = Date()) {
        let signing = Curve25519.Signing.PrivateKey()
        let agreement = Curve25519.KeyAgreement.PrivateKey()
        signingKeys.append(SigningKey(id: KeyID(of: signing.publicKey.rawRepresentation), key: signing, createdAt: now.wholeSeconds))
        agreementKeys.append(
            AgreementKey(id: KeyID(of: agreement.publicKey.rawRepresentation), key: agreement, createdAt: now.wholeSeconds))
    }

    public func signingKey(_ id: KeyID) -> SigningKey? { signingKeys.first { $0.id == id } }
    public func agreementKey(_ id: KeyID) -> AgreementKey? { agreementKeys.first { $0.id == id } }

    /// What devices carry.
    public var bundle: AuthorityBundle {
        AuthorityBundle(
            signingKeys: signingKeys.map {
                .init(id: $0.id, publicKey: Bytes.base64($0.key.publicKey.rawRepresentation), createdAt: $0.createdAt)
            },
            agreementKeys: agreementKeys.map {
                .init(id: $0.id, publicKey: Bytes.base64($0.key.publicKey.rawRepresentation), createdAt: $0.createdAt)
            })
    }
}

extension AuthorityKeys: Codable {
    private struct Stored: Codable {
        var id: KeyID
        var privateKey: String
        var createdAt: Date
    }

    private enum CodingKeys: String, CodingKey { case format, signingKeys, agreementKeys }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decode(String.self, forKey: .format) == "reclaim-authority-keys-1" else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: container, debugDescription: "Unknown key file format")
        }
        func raw(_ stored: Stored) throws -> [UInt8] {
            guard let bytes = Bytes.fromBase64(stored.privateKey) else {
                throw DecodingError.dataCorruptedError(forKey: .signingKeys, in: container, debugDescription: "Bad key")
            }
            return bytes
        }
        signingKeys = try container.decode([Stored].self, forKey: .signingKeys).map {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: try raw($0))
            return SigningKey(id: KeyID(of: key.publicKey.rawRepresentation), key: key, createdAt: $0.createdAt)
        }
        agreementKeys = try container.decode([Stored].self, forKey: .agreementKeys).map {
            let key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: try raw($0))
            return AgreementKey(id: KeyID(of: key.publicKey.rawRepresentation), key: key, createdAt: $0.createdAt)
        }
        guard !signingKeys.isEmpty, !agreementKeys.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .signingKeys, in: container, debugDescription: "No keys")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("reclaim-authority-keys-1", forKey: .format)
        try container.encode(
            signingKeys.map { Stored(id: $0.id, privateKey: Bytes.base64($0.key.rawRepresentation), createdAt: $0.createdAt) },
            forKey: .signingKeys)
        try container.encode(
            agreementKeys.map { Stored(id: $0.id, privateKey: Bytes.base64($0.key.rawRepresentation), createdAt: $0.createdAt) },
            forKey: .agreementKeys)
    }
}

/// A device's own keys, made at manufacture and never leaving the device.
public struct DeviceKeys: Sendable, Codable {
    /// Signs the device's challenges.
    public let identity: Curve25519.Signing.PrivateKey
    /// Agrees the per-device secret with the authority.
    public let agreement: Curve25519.KeyAgreement.PrivateKey

    public init(identity: Curve25519.Signing.PrivateKey, agreement: Curve25519.KeyAgreement.PrivateKey) {
        self.identity = identity
        self.agreement = agreement
    }

    public static func generate() -> DeviceKeys {
        DeviceKeys(identity: .init(), agreement: .init())
    }

    private enum CodingKeys: String, CodingKey { case identity, agreement }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let identity = Bytes.fromBase64(try container.decode(String.self, forKey: .identity)),
            let agreement = Bytes.fromBase64(try container.decode(String.self, forKey: .agreement))
        else { throw DecodingError.dataCorruptedError(forKey: .identity, in: container, debugDescription: "Bad key") }
        self.identity = try .init(rawRepresentation: identity)
        self.agreement = try .init(rawRepresentation: agreement)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Bytes.base64(identity.rawRepresentation), forKey: .identity)
        try container.encode(Bytes.base64(agreement.rawRepresentation), forKey: .agreement)
    }
}

/// What the factory tells the authority about a device it made: enough to verify the
/// device's challenges and to derive its per-device secret.
public struct DeviceEnrollment: Sendable, Hashable, Codable {
    public var format = "reclaim-enrollment-1"
    public let serial: SerialNumber
    public let model: String
    public let mac: MACAddress
    /// The code printed on the device label.
    public let labelCode: String
    /// Ed25519 public key, base64.
    public let identityKey: String
    /// X25519 public key, base64.
    public let agreementKey: String
    /// The authority agreement key the device was given.
    public let authorityKeyID: KeyID

    public init(
        serial: SerialNumber, model: String, mac: MACAddress, labelCode: String, keys: DeviceKeys, authorityKeyID: KeyID
    ) {
        self.serial = serial
        self.model = model
        self.mac = mac
        self.labelCode = labelCode
        self.identityKey = Bytes.base64(keys.identity.publicKey.rawRepresentation)
        self.agreementKey = Bytes.base64(keys.agreement.publicKey.rawRepresentation)
        self.authorityKeyID = authorityKeyID
    }

    public var identityPublicKey: Curve25519.Signing.PublicKey? {
        Bytes.fromBase64(identityKey).flatMap { try? .init(rawRepresentation: $0) }
    }

    public var agreementPublicKey: Curve25519.KeyAgreement.PublicKey? {
        Bytes.fromBase64(agreementKey).flatMap { try? .init(rawRepresentation: $0) }
    }
}

extension Date {
    /// The same instant without its fraction of a second: the protocol counts whole seconds.
    public var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }

    var unixSeconds: UInt64 { UInt64(max(0, timeIntervalSince1970.rounded(.down))) }
}

extension JSONEncoder {
    /// Sorted keys, ISO 8601 dates: the form Reclaim writes its JSON files in.
    public static var reclaim: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    public static var reclaim: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
