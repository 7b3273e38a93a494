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
            guard let box = try? ChaChaPoly.SealedBox(combined: sealed),
                let plain = try? ChaChaPoly.open(box, using: key, authenticating: Array(id.utf8)),
                let text = String(validating: Array(plain), as: UTF8.self)
            else {
                throw ReclaimError(.signatureInvalid, "The sealed password does not open: start again from a new challenge.")
            }
            return text
        }
    }

    /// The client's half: seals `secret` for a device that answered with `devicePublicKey` and `id`.
    public static func seal(_ secret: String, clientKey: Curve25519.KeyAgreement.PrivateKey, devicePublicKey: [UInt8], id: String)
        throws(ReclaimError) -> [UInt8]
    {
        do {
            let device = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: devicePublicKey)
            let shared = try clientKey.sharedSecretFromKeyAgreement(with: device)
            let key = derive(shared, clientKey: Array(clientKey.publicKey.rawRepresentation), deviceKey: devicePublicKey)
            return Array(try ChaChaPoly.seal(Array(secret.utf8), using: key, authenticating: Array(id.utf8)).combined)
        } catch {
            throw ReclaimError(.malformedInput, "The device key is not an X25519 public key.")
        }
    }

    static func derive(_ shared: SharedSecret, clientKey: [UInt8], deviceKey: [UInt8]) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: clientKey + deviceKey, sharedInfo: info, outputByteCount: 32)
    }
}
