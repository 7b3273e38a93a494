import Crypto
public import Foundation
public import ReclaimCore

/// A signed statement of how far the audit log went: its entry count and the hash of its
/// last entry, signed by the authority's key and kept in a file outside the database
/// (`DATA/audit/checkpoint.json`). The server writes one every minute while the log grows,
/// and when it stops; `audit verify` holds the log against it, so entries cut off the end,
/// up to the last checkpoint, cannot go unnoticed.
public struct AuditCheckpoint: Sendable, Codable, Equatable {
    public let seq: Int64
    public let hash: String
    public let at: Date
    public let keyID: KeyID
    public let signature: String

    static let domain = "reclaim-audit-checkpoint-1"

    static func bytes(seq: Int64, hash: String, at: Date) -> [UInt8] {
        var writer = CanonicalWriter(domain: domain)
        writer.append(tag: 1, UInt64(bitPattern: seq))
        writer.append(tag: 2, hash)
        writer.append(tag: 3, UInt64(max(0, at.timeIntervalSince1970.rounded(.down))))
        return writer.bytes
    }

    /// A checkpoint of `head`, signed with the authority's current signing key.
    static func sign(seq: Int64, hash: String, at: Date, keys: AuthorityKeys) throws -> AuditCheckpoint {
        let key = keys.currentSigningKey
        let signature = try key.key.signature(for: bytes(seq: seq, hash: hash, at: at.wholeSeconds))
        return AuditCheckpoint(seq: seq, hash: hash, at: at.wholeSeconds, keyID: key.id, signature: Bytes.base64(Array(signature)))
    }

    /// Whether the authority signed it.
    func isSigned(by bundle: AuthorityBundle) -> Bool {
        guard let key = bundle.signingKey(keyID), let signature = Bytes.fromBase64(self.signature) else { return false }
        return key.isValidSignature(signature, for: Self.bytes(seq: seq, hash: hash, at: at))
    }
}
