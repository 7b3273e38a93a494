import Foundation
import ReclaimCore

/// A device's data folder: `identity.json` (written once, at manufacture) and
/// `state.json` (rewritten atomically on every change). Both are readable by the
/// owner only.
public struct DeviceStore: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    var identityPath: String { (directory as NSString).appendingPathComponent("identity.json") }
    var statePath: String { (directory as NSString).appendingPathComponent("state.json") }

    public var hasIdentity: Bool { FileManager.default.fileExists(atPath: identityPath) }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case alreadyProvisioned(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason):
                "\(path) cannot be read (\(reason)); restore it from a backup or provision the device anew"
            case .alreadyProvisioned(let path): "\(path) already holds a device; choose an empty folder"
            }
        }
    }

    /// Writes a new device's identity and an empty state.
    public func create(_ identity: DeviceIdentity, initialState: DeviceState = DeviceState(), durable: Bool = true) throws {
        guard !hasIdentity else { throw Failure.alreadyProvisioned(path: directory) }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try AtomicFile.write(try JSONEncoder.reclaim.encode(initialState), to: statePath, durable: durable)
        // Identity last: a folder with an identity is a complete device.
        try AtomicFile.write(try JSONEncoder.reclaim.encode(identity), to: identityPath, durable: durable)
    }

    public func loadIdentity() throws -> DeviceIdentity {
        try decode(DeviceIdentity.self, from: identityPath)
    }

    /// The saved state; an empty one if none was ever saved.
    public func loadState() throws -> DeviceState {
        AtomicFile.removeLeftovers(in: directory)
        guard FileManager.default.fileExists(atPath: statePath) else { return DeviceState() }
        return try decode(DeviceState.self, from: statePath)
    }

    public func save(_ state: DeviceState) throws {
        try AtomicFile.write(try JSONEncoder.reclaim.encode(state), to: statePath)
    }

    private func decode<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        do {
            return try JSONDecoder.reclaim.decode(type, from: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw Failure.unreadable(path: path, reason: "\(error)")
        }
    }
}
