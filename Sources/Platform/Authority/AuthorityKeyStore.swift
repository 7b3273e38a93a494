public import Crypto
public import Foundation
public import ReclaimCore

/// The authority's private keys, the audit key and the factory's enrollment token, in
/// files of the data folder that only the server's user may read (mode 0600, folder 0700).
///
/// With a master key (`authority.master-key`, or `authority.master-key-file` outside the
/// data folder), the private keys and the audit key are also sealed with AES-GCM under it:
/// a copy of the data folder, or of a backup, then gives nothing without the master key.
/// Files written before a master key was set are sealed the first time they are read with
/// one. Without it, the file permissions and the server's user account are the protection.
///
/// Made on first start. Rotation adds a new signing and agreement key and keeps the old
/// ones, so reset files signed and challenges sealed before still verify and open.
public struct AuthorityKeyStore: Sendable {
    public let directory: String
    let masterKey: SymmetricKey?

    public init(dataDirectory: String, masterKey: SymmetricKey? = nil) {
        directory = (dataDirectory as NSString).appendingPathComponent("authority")
        self.masterKey = masterKey
    }

    /// The store of a server's settings, with its master key if one is set.
    public init(settings: ServerSettings) throws {
        self.init(dataDirectory: settings.dataDirectory, masterKey: try settings.authorityMasterKey())
    }

    var keysPath: String { (directory as NSString).appendingPathComponent("keys.json") }
    var factoryTokenPath: String { (directory as NSString).appendingPathComponent("factory-token") }
    var auditKeyPath: String { (directory as NSString).appendingPathComponent("audit-key") }

    /// What a sealed file holds.
    struct Sealed: Codable {
        var format = "reclaim-sealed-1"
        let sealed: String
    }

    /// The keys, made and saved first if there are none yet.
    public func loadOrCreate(now: Date = Date()) throws -> AuthorityKeys {
        if let keys = try load() { return keys }
        let keys = AuthorityKeys.generate(now: now)
        try save(keys)
        return keys
    }

    public func load() throws -> AuthorityKeys? {
        guard let data = try readPrivate(keysPath) else { return nil }
        do {
            return try JSONDecoder.reclaim.decode(AuthorityKeys.self, from: data)
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
        try writeSecret(try JSONEncoder.reclaim.encode(keys), to: keysPath)
    }

    /// A secret file's content, opened with the master key when it is sealed; a file in the
    /// clear is sealed now when a master key is set.
    func readPrivate(_ path: String) throws -> Data? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        try checkPrivate(path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let sealed = try? JSONDecoder().decode(Sealed.self, from: data), sealed.format == "reclaim-sealed-1" else {
            if masterKey != nil { try writeSecret(data, to: path) }
            return data
        }
        guard let masterKey else {
            throw PlatformError(
                .keyStore,
                "\(path) is sealed with a master key; set authority.master-key or authority.master-key-file to the one it was sealed with.")
        }
        guard let bytes = Bytes.fromBase64(sealed.sealed), let box = try? AES.GCM.SealedBox(combined: bytes),
            let opened = try? AES.GCM.open(box, using: masterKey, authenticating: Array(path.utf8.suffix(64)))
        else {
            throw PlatformError(.keyStore, "\(path) does not open with the master key given; give the one it was sealed with.")
        }
        return opened
    }

    /// Writes a secret file, sealed when a master key is set.
    func writeSecret(_ data: Data, to path: String) throws {
        guard let masterKey else { return try writePrivate(data, to: path) }
        // Bound to the file's path end, so a sealed audit key cannot pass for sealed authority keys.
        let box = try AES.GCM.seal(data, using: masterKey, authenticating: Array(path.utf8.suffix(64)))
        guard let combined = box.combined else { throw PlatformError(.keyStore, "\(path) could not be sealed.") }
        try writePrivate(try JSONEncoder().encode(Sealed(sealed: Bytes.base64(Array(combined)))), to: path)
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

    /// The key that seals every audit entry, made on first use. It lives here, beside the
    /// authority's keys and outside the database, so a copy or a rewrite of the database
    /// alone cannot forge the log.
    public func auditKey() throws -> SymmetricKey {
        if let data = try readPrivate(auditKeyPath) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Bytes.fromBase64(text), bytes.count == 32 else {
                throw PlatformError(.keyStore, "The audit key in \(auditKeyPath) is damaged; restore it from a backup.")
            }
            return SymmetricKey(data: bytes)
        }
        try makePrivateDirectory()
        let bytes = Bytes.random(count: 32)
        try writeSecret(Data((Bytes.base64(bytes) + "\n").utf8), to: auditKeyPath)
        return SymmetricKey(data: bytes)
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
