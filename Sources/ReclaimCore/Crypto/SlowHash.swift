import Crypto
import Foundation
import _CryptoExtras

/// A salted, deliberately slow hash (scrypt) of a secret a person chose or holds:
/// a password, an answer to a security question, a GUID.
///
/// Stored as one self-describing string, `$scrypt$ln=14,r=8,p=1$SALT$HASH`, so the
/// cost can be raised later and old records still verify.
public struct SlowHash: Sendable, Hashable, CodableAsText {
    /// scrypt's cost: N = 2^logN, block size r, parallelism p.
    public struct Cost: Sendable, Hashable, Codable {
        public var logN: Int
        public var blockSize: Int
        public var parallelism: Int

        public init(logN: Int, blockSize: Int = 8, parallelism: Int = 1) {
            self.logN = logN
            self.blockSize = blockSize
            self.parallelism = parallelism
        }

        /// 16 MiB and some 50 ms a hash: what a device uses.
        public static let standard = Cost(logN: 14)
        /// 1 MiB: for test suites and lab farms that hash thousands of times, never for a device in service.
        public static let light = Cost(logN: 10)
    }

    public let cost: Cost
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Hashes `secret` with a fresh random salt.
    public init(hashing secret: String, cost: Cost = .standard) {
        self.init(hashing: Array(secret.utf8), salt: Bytes.random(count: 16), cost: cost)
    }

    public init(hashing secret: [UInt8], salt: [UInt8], cost: Cost) {
        self.cost = cost
        self.salt = salt
        self.hash = Self.derive(secret, salt: salt, cost: cost)
    }

    /// True when `secret` is the one that was hashed. Takes as long as hashing does.
    public func matches(_ secret: String) -> Bool {
        matches(Array(secret.utf8))
    }

    public func matches(_ secret: [UInt8]) -> Bool {
        Bytes.constantTimeEqual(Self.derive(secret, salt: salt, cost: cost), hash)
    }

    static func derive(_ secret: [UInt8], salt: [UInt8], cost: Cost) -> [UInt8] {
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: secret, salt: salt, outputByteCount: 32,
                rounds: 1 << cost.logN, blockSize: cost.blockSize, parallelism: cost.parallelism)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            // Only impossible parameters make scrypt fail; they come from this file or a record it wrote.
            preconditionFailure("scrypt refused its parameters: \(error)")
        }
    }

    // MARK: Text form

    public var description: String {
        "$scrypt$ln=\(cost.logN),r=\(cost.blockSize),p=\(cost.parallelism)$\(Self.b64(salt))$\(Self.b64(hash))"
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for pair in parts[2].split(separator: ",") {
            let kv = pair.split(separator: "=")
            guard kv.count == 2, let value = Int(kv[1]) else { return nil }
            values[String(kv[0])] = value
        }
        guard let logN = values["ln"], (1...22).contains(logN),
            let r = values["r"], (1...32).contains(r),
            let p = values["p"], (1...16).contains(p),
            let salt = Bytes.fromBase64(parts[3]), let hash = Bytes.fromBase64(parts[4]), hash.count == 32
        else { return nil }
        self.cost = Cost(logN: logN, blockSize: r, parallelism: p)
        self.salt = salt
        self.hash = hash
    }

    private static func b64(_ bytes: [UInt8]) -> String {
        Bytes.base64(bytes).replacingOccurrences(of: "=", with: "")
    }
}
