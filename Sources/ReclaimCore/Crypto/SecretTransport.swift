public import Crypto
public import Foundation

/// Carries a new password from a client to a device without sending it in the clear.
///
/// The client sends an ephemeral X25519 public key (`POST /ISAPI/Security/challenge`);
/// the device answers with its own and an id. Both derive a key with HKDF over the
/// shared secret and both public keys, and the client seals the password with
/// ChaCha20-Poly1305, the id as associated data. This keeps passwords away from
/// anyone passively listening on the LAN; it does not authenticate the device (the
/// first contact with a new device has nothing to authenticate it with).
public enum SecretTransport {
    static let info = Array("reclaim secret transport v1".utf8)
    public static let scheme = "reclaim-x25519-chachapoly"

    /// The device's half of one exchange.
    public struct DeviceSide: Sendable {
        public let id: String
        public let publicKey: [UInt8]
        let key: SymmetricKey
        public let createdAt: Date

        public init(clientPublicKey: [UInt8], now: Date) throws(ReclaimError) {
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let id = Bytes.hex(Bytes.random(count: 8))
            do {
                let client = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: clientPublicKey)
                let shared = try ephemeral.sharedSecretFromKeyAgreement(with: client)
                self.key = SecretTransport.derive(
                    shared, clientKey: clientPublicKey, deviceKey: Array(ephemeral.publicKey.rawRepresentation))
            } catch {
                throw ReclaimError(.malformedInput, "The client key is not an X25519 public key.")
            }
            self.id = id
            self.publicKey = Array(ephemeral.publicKey.rawRepresentation)
            self.createdAt = now
        }

        public func open(_ sealed: [UInt8]) throws(ReclaimError) -> String {
            try SecretTransport.open(sealed, key: key, associatedData: Array(id.utf8))
        }

        /// Seals an answer for the client of this exchange (a GUID file, say).
        public func sealReply(_ secret: String) -> [UInt8] {
            SecretTransport.seal(secret, key: key, associatedData: Array(("reply:" + id).utf8))
        }
    }

    /// The client's half of one exchange, once the device answered.
    public struct ClientSide: Sendable {
        public let id: String
        let key: SymmetricKey

        public init(clientKey: Curve25519.KeyAgreement.PrivateKey, devicePublicKey: [UInt8], id: String) throws(ReclaimError) {
            do {
                let device = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: devicePublicKey)
                let shared = try clientKey.sharedSecretFromKeyAgreement(with: device)
                key = SecretTransport.derive(shared, clientKey: Array(clientKey.publicKey.rawRepresentation), deviceKey: devicePublicKey)
                self.id = id
            } catch {
                throw ReclaimError(.malformedInput, "The device key is not an X25519 public key.")
            }
        }

        public func seal(_ secret: String) -> [UInt8] {
            SecretTransport.seal(secret, key: key, associatedData: Array(id.utf8))
        }

        public func openReply(_ sealed: [UInt8]) throws(ReclaimError) -> String {
            try SecretTransport.open(sealed, key: key, associatedData: Array(("reply:" + id).utf8))
        }
    }

    static func seal(_ secret: String, key: SymmetricKey, associatedData: [UInt8]) -> [UInt8] {
        do {
            return Array(try ChaChaPoly.seal(Array(secret.utf8), using: key, authenticating: associatedData).combined)
        } catch {
            // ChaCha20-Poly1305 with a 32-byte key and a fresh random nonce does not fail.
            preconditionFailure("sealing failed: \(error)")
        }
    }

    static func open(_ sealed: [UInt8], key: SymmetricKey, associatedData: [UInt8]) throws(ReclaimError) -> String {
        guard let box = try? ChaChaPoly.SealedBox(combined: sealed),
            let plain = try? ChaChaPoly.open(box, using: key, authenticating: associatedData),
            let text = String(validating: Array(plain), as: UTF8.self)
        else {
            throw ReclaimError(.signatureInvalid, "The sealed data does not open: start again from a new exchange.")
        }
        return text
    }

    /// The client's half in one call: seals `secret` for a device that answered with `devicePublicKey` and `id`.
    public static func seal(_ secret: String, clientKey: Curve25519.KeyAgreement.PrivateKey, devicePublicKey: [UInt8], id: String)
        throws(ReclaimError) -> [UInt8]
    {
        try ClientSide(clientKey: clientKey, devicePublicKey: devicePublicKey, id: id).seal(secret)
    }

    static func derive(_ shared: SharedSecret, clientKey: [UInt8], deviceKey: [UInt8]) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: clientKey + deviceKey, sharedInfo: info, outputByteCount: 32)
    }
}
