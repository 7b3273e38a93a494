public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that a crash at any instant leaves either the old or the new
/// content, never a mix and never nothing: write a temporary file beside the target,
/// flush it to disk, rename it over the target, flush the directory.
public enum AtomicFile {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let operation: String
        public let code: Int32
        public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    }

    /// Replaces `path` with `data`, readable and writable by the owner only.
    ///
    /// - Parameter durable: flush to disk before returning. A farm creating a thousand
    ///   new devices may pass `false` and call `sync` once at the end instead.
    public static func write(_ data: some DataProtocol, to path: String, durable: Bool = true) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(path: temporary, operation: "create", code: errno) }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            let bytes = [UInt8](data)
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { buffer in
                    Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw Failure(path: temporary, operation: "write", code: errno)
                }
                written += result
            }
            if durable, fsync(fd) != 0 { throw Failure(path: temporary, operation: "fsync", code: errno) }
            closed = true
            if close(fd) != 0 { throw Failure(path: temporary, operation: "close", code: errno) }
            if rename(temporary, path) != 0 { throw Failure(path: path, operation: "rename", code: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        if durable { try syncDirectory(directory) }
    }

    /// Flushes a directory's entries (a rename is durable only once its directory is).
    public static func syncDirectory(_ directory: String) throws {
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: directory, operation: "open", code: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw Failure(path: directory, operation: "fsync", code: errno) }
    }

    /// Removes temporary files a crash left behind in `directory`.
    public static func removeLeftovers(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.contains(".tmp-") {
            unlink((directory as NSString).appendingPathComponent(name))
        }
    }
}
