public import Crypto
import Foundation

/// The secret that a device and the authority share and nobody else can compute.
///
/// Both derive it from X25519(authority, device) with HKDF, salted with the serial and
/// bound to the authority key id. Knowing the serial, MAC or date gives nothing: the
/// 2016 serial+date reset code is exactly the mistake this avoids.
public struct PerDeviceSecret: Sendable {
    let key: SymmetricKey

    static let info = "reclaim per-device secret v1"

    /// The device's side.
    public init(deviceKeys: DeviceKeys, authorityKey: Curve25519.KeyAgreement.PublicKey, authorityKeyID: KeyID, serial: SerialNumber)
        throws(ReclaimError)
    {
        do {
            let shared = try deviceKeys.agreement.sharedSecretFromKeyAgreement(with: authorityKey)
            key = Self.derive(shared, authorityKeyID: authorityKeyID, serial: serial)
        } catch {
            throw ReclaimError(.unknownKey, "The per-device secret could not be agreed: \(error).")
        }
    }

    /// The authority's side.
    public init(
        authorityKey: Curve25519.KeyAgreement.PrivateKey, authorityKeyID: KeyID, devicePublicKey: Curve25519.KeyAgreement.PublicKey,
        serial: SerialNumber
    ) throws(ReclaimError) {
        do {
            let shared = try authorityKey.sharedSecretFromKeyAgreement(with: devicePublicKey)
            key = Self.derive(shared, authorityKeyID: authorityKeyID, serial: serial)
        } catch {
            throw ReclaimError(.unknownKey, "The per-device secret could not be agreed: \(error).")
        }
    }

    /// A secret unsealed from storage (`Authority.sealSecret`).
    init(key: SymmetricKey) {
        self.key = key
    }

    private static func derive(_ shared: SharedSecret, authorityKeyID: KeyID, serial: SerialNumber) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Array(serial.text.utf8), sharedInfo: Array(info.utf8) + authorityKeyID.bytes,
            outputByteCount: 32)
    }

    /// The secret's bytes, for test vectors only.
    public var bytesForTestVectors: [UInt8] { key.withUnsafeBytes { Array($0) } }
}

/// A code that answers one challenge: a reset key (typed from a support case) or a
/// verification code (mailed to the reserved address).
///
/// It is an HMAC under the per-device secret over the challenge's serial, nonce,
/// purpose and expiry, cut to a length a person can type, in Crockford base32:
/// `K7QF-9XTM-2RVA-H4` (70 bits) or `7KQ2M-9XDPA` (50 bits). A device allows five wrong
/// tries per challenge, so even the shorter code is out of reach of guessing.
public struct RecoveryCode: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case resetKey
        case verificationCode

        var label: String {
            switch self {
            case .resetKey: "reclaim reset key v1"
            case .verificationCode: "reclaim verification code v1"
            }
        }

        /// Characters of five bits each.
        public var length: Int { self == .resetKey ? 14 : 10 }
        var groupSize: Int { self == .resetKey ? 4 : 5 }
        public var purpose: ChallengePurpose { self == .resetKey ? .supportCase : .reservedEmail }
        var name: String { self == .resetKey ? "reset key" : "verification code" }
    }

    public let kind: Kind
    /// Upper-case Crockford characters without separators.
    public let characters: String

    /// Derives the code that answers `challenge`.
    public static func derive(_ kind: Kind, secret: PerDeviceSecret, challenge: ChallengeContent) -> RecoveryCode {
        var writer = CanonicalWriter(domain: kind.label)
        writer.append(tag: 1, challenge.serial.text)
        writer.append(tag: 2, challenge.nonce)
        writer.append(tag: 3, [challenge.purpose.rawValue])
        writer.append(tag: 4, challenge.expiresAt.unixSeconds)
        let mac = HMAC<SHA256>.authenticationCode(for: writer.bytes, using: secret.key)
        return RecoveryCode(kind: kind, characters: Base32.crockfordPrefix(of: Array(mac), bitCount: kind.length * 5))
    }

    private init(kind: Kind, characters: String) {
        self.kind = kind
        self.characters = characters
    }

    /// Reads what a person typed: any case, with or without dashes and spaces, and with
    /// O, I and L read as 0, 1 and 1.
    public init(parsing typed: String, kind: Kind) throws(ReclaimError) {
        let compact = typed.filter { !$0.isWhitespace && $0 != "-" }
        guard let canonical = Base32.canonicalCrockford(compact) else {
            throw ReclaimError(
                .malformedInput,
                "A \(kind.name) uses only the digits 0–9 and the letters A–Z (no U); check what you typed.")
        }
        guard canonical.count == kind.length else {
            throw ReclaimError(
                .malformedInput, "A \(kind.name) has \(kind.length) characters; this one has \(canonical.count). Check what you typed.")
        }
        self.init(kind: kind, characters: canonical)
    }

    /// Grouped for reading aloud and typing.
    public var description: String {
        var groups: [Substring] = []
        var rest = Substring(characters)
        while !rest.isEmpty {
            groups.append(rest.prefix(kind.groupSize))
            rest = rest.dropFirst(kind.groupSize)
        }
        return groups.joined(separator: "-")
    }

    /// Compares in constant time.
    public func matches(_ other: RecoveryCode) -> Bool {
        kind == other.kind && Bytes.constantTimeEqual(Array(characters.utf8), Array(other.characters.utf8))
    }
}
