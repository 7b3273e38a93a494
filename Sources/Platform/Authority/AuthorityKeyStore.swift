public import Foundation
public import ReclaimCore

/// The authority's private keys and the factory's enrollment token, in files of the
/// data folder that only the server's user may read (mode 0600, folder 0700).
///
/// Made on first start. Rotation adds a new signing and agreement key and keeps the old
/// ones, so reset files signed and challenges sealed before still verify and open.
public struct AuthorityKeyStore: Sendable {
    public let directory: String

    public init(dataDirectory: String) {
        directory = (dataDirectory as NSString).appendingPathComponent("authority")
    }

    var keysPath: String { (directory as NSString).appendingPathComponent("keys.json") }
    var factoryTokenPath: String { (directory as NSString).appendingPathComponent("factory-token") }

    /// The keys, made and saved first if there are none yet.
    public func loadOrCreate(now: Date = Date()) throws -> AuthorityKeys {
        if let keys = try load() { return keys }
        let keys = AuthorityKeys.generate(now: now)
        try save(keys)
        return keys
    }

    public func load() throws -> AuthorityKeys? {
        guard FileManager.default.fileExists(atPath: keysPath) else { return nil }
        try checkPrivate(keysPath)
        do {
            return try JSONDecoder.reclaim.decode(AuthorityKeys.self, from: Data(contentsOf: URL(fileURLWithPath: keysPath)))
        } catch {
            throw PlatformError(.keyStore, "The authority key file \(keysPath) cannot be read (\(error)); restore it from a backup.")
        }
    }

    /// Adds new current keys, keeping the old ones; returns the new set.
    public func rotate(now: Date = Date()) throws -> AuthorityKeys {
        var keys = try loadOrCreate(now: now)
        keys.rotate(now: now)
        try save(keys)
        return keys
    }

    func save(_ keys: AuthorityKeys) throws {
        try makePrivateDirectory()
        try writePrivate(try JSONEncoder.reclaim.encode(keys), to: keysPath)
    }

    /// The token the factory presents to enroll devices, made on first use.
    public func factoryToken() throws -> String {
        if FileManager.default.fileExists(atPath: factoryTokenPath) {
            try checkPrivate(factoryTokenPath)
            let token = try String(contentsOfFile: factoryTokenPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.count >= 32 else {
                throw PlatformError(
                    .keyStore, "The factory token in \(factoryTokenPath) is shorter than 32 characters; delete the file to make a new one.")
            }
            return token
        }
        try makePrivateDirectory()
        let token = "rcf_" + Bytes.hex(Bytes.random(count: 24))
        try writePrivate(Data((token + "\n").utf8), to: factoryTokenPath)
        return token
    }

    private func makePrivateDirectory() throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Writes through a temporary file created 0600, then renames, so the key is never
    /// readable by others, not even for an instant, and never half written.
    private func writePrivate(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw PlatformError(.keyStore, "Cannot create \(temporary): \(String(cString: strerror(errno))).") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0 else {
            unlink(temporary)
            throw PlatformError(.keyStore, "Cannot write \(path): \(String(cString: strerror(errno))).")
        }
        guard rename(temporary, path) == 0 else {
            throw PlatformError(.keyStore, "Cannot replace \(path): \(String(cString: strerror(errno))).")
        }
    }

    /// Refuses key files that others can read: someone loosened them, or they came from
    /// a copy that did not keep permissions.
    private func checkPrivate(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        guard info.st_mode & 0o077 == 0 else {
            throw PlatformError(
                .keyStore,
                "\(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); run `chmod 600 \(path)` and start again."
            )
        }
    }
}
