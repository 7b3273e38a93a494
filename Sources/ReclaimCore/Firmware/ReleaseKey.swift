public import Crypto
public import Foundation

/// The public half of a firmware release key: what a device trusts to tell a genuine
/// firmware package from any other. Devices hold only this; the private half stays with
/// whoever builds releases (``ReleaseSigningKey``), so no device carries anything that can
/// sign firmware.
public struct ReleaseKey: Sendable, Hashable, Codable {
    public static let formatName = "reclaim-release-key-1"

    public var format = Self.formatName
    public let id: KeyID
    /// Raw Ed25519 public key, base64.
    public let publicKey: String
    public let createdAt: Date

    public init(_ key: Curve25519.Signing.PublicKey, createdAt: Date) {
        id = KeyID(of: key.rawRepresentation)
        publicKey = Bytes.base64(key.rawRepresentation)
        self.createdAt = createdAt.wholeSeconds
    }

    public var verifyingKey: Curve25519.Signing.PublicKey? {
        Bytes.fromBase64(publicKey).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
    }

    /// Reads a release key file (`release-key.pub.json`), refusing anything else — above
    /// all the private key, which must never be given to a device.
    public static func decode(json: some DataProtocol) throws(ReclaimError) -> ReleaseKey {
        let data = Data(json)
        if (try? JSONDecoder.reclaim.decode(ReleaseSigningKey.self, from: data)) != nil {
            throw ReclaimError(
                .malformedInput,
                "This is the private release key, which only signs packages: give the device the public one (release-key.pub.json).")
        }
        guard let key = try? JSONDecoder.reclaim.decode(ReleaseKey.self, from: data), key.format == formatName,
            let verifying = key.verifyingKey, KeyID(of: verifying.rawRepresentation) == key.id
        else {
            throw ReclaimError(
                .malformedInput, "This is not a release key; make one with `reclaim-server firmware keygen` and use release-key.pub.json.")
        }
        return key
    }
}

/// The private half of a firmware release key: it signs packages (`reclaim-server
/// firmware sign`) and never leaves the machine releases are built on.
public struct ReleaseSigningKey: Sendable {
    public static let formatName = "reclaim-release-signing-key-1"

    public let key: Curve25519.Signing.PrivateKey
    public let createdAt: Date

    public init(_ key: Curve25519.Signing.PrivateKey, createdAt: Date) {
        self.key = key
        self.createdAt = createdAt.wholeSeconds
    }

    /// A fresh key.
    public static func generate(now: Date = Date()) -> ReleaseSigningKey {
        ReleaseSigningKey(Curve25519.Signing.PrivateKey(), createdAt: now)
    }

    public var id: KeyID { KeyID(of: key.publicKey.rawRepresentation) }

    /// What devices trust.
    public var publicKey: ReleaseKey { ReleaseKey(key.publicKey, createdAt: createdAt) }

    /// Reads a signing key file (`release-key.json`).
    public static func decode(json: some DataProtocol) throws(ReclaimError) -> ReleaseSigningKey {
        guard let key = try? JSONDecoder.reclaim.decode(ReleaseSigningKey.self, from: Data(json)) else {
            throw ReclaimError(
                .malformedInput,
                "This is not a release signing key; make one with `reclaim-server firmware keygen` and use release-key.json.")
        }
        return key
    }
}

extension ReleaseSigningKey: Codable {
    private enum CodingKeys: String, CodingKey { case format, id, privateKey, createdAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decode(String.self, forKey: .format) == Self.formatName,
            let raw = Bytes.fromBase64(try container.decode(String.self, forKey: .privateKey))
        else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: container, debugDescription: "Not a release signing key")
        }
        key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.formatName, forKey: .format)
        // The id beside the key only helps a person tell key files apart; it is recomputed on reading.
        try container.encode(id, forKey: .id)
        try container.encode(Bytes.base64(key.rawRepresentation), forKey: .privateKey)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
