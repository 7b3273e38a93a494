import ArgumentParser
import Foundation
import ReclaimCore

/// The lab's release tooling: a release key, and firmware packages signed with it.
///
/// The private key stays in the folder `keygen` wrote it to; devices get only the public
/// one (`reclaim-device --firmware-key release-key.pub.json`).
struct FirmwareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware", abstract: "Release keys and signed firmware packages for lab devices.",
        subcommands: [Keygen.self, Sign.self])

    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a release key: DIR/release-key.json (private, signs packages) and DIR/release-key.pub.json (for devices).")

        @Option(help: "The folder to write the two key files to.")
        var out: String

        func run() async throws {
            let privatePath = (out as NSString).appendingPathComponent("release-key.json")
            let publicPath = (out as NSString).appendingPathComponent("release-key.pub.json")
            // A key already made may have signed releases devices trust: never replace it silently.
            guard !FileManager.default.fileExists(atPath: privatePath) else {
                throw ValidationError("\(privatePath) exists already; choose another folder to make a new key.")
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let key = ReleaseSigningKey.generate()
            try write(try JSONEncoder.reclaim.encode(key), to: privatePath, mode: 0o600)
            try write(try JSONEncoder.reclaim.encode(key.publicKey), to: publicPath, mode: 0o644)
            print("Release key \(key.id): private key in \(privatePath) (keep it off devices), public key in \(publicPath).")
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a firmware package for one or more models.",
            discussion: "Models: " + DeviceModel.catalogue.map(\.name).joined(separator: ", "))

        @Option(help: "The private release key (release-key.json).")
        var key: String

        @Option(name: .customLong("model"), help: "A model the package is for; repeatable.")
        var models: [String] = []

        @Option(help: "The release's version, such as V5.7.16.")
        var version: String

        @Option(help: "The release's build date, YYMMDD.")
        var build: String

        @Option(help: "The payload: the firmware image (any file in a lab).")
        var payload: String

        @Option(help: "Where to write the package (.pkg).")
        var out: String

        func validate() throws {
            guard !models.isEmpty else { throw ValidationError("Name the models the package is for with --model (repeatable).") }
        }

        func run() async throws {
            guard let keyData = FileManager.default.contents(atPath: key) else { throw ValidationError("Cannot read the key \(key).") }
            guard let image = FileManager.default.contents(atPath: payload) else {
                throw ValidationError("Cannot read the payload \(payload).")
            }
            let signing: ReleaseSigningKey
            do {
                signing = try ReleaseSigningKey.decode(json: keyData)
            } catch {
                throw ValidationError("\(key): \(error.reason)")
            }
            let firmware = DeviceModel.Firmware(version, build: build)
            let package: FirmwarePackage
            do {
                package = try FirmwarePackage.sign(models: models, firmware: firmware, payload: Array(image), with: signing)
            } catch {
                throw ValidationError(error.reason)
            }
            try write(Data(package.bytes), to: out, mode: 0o644)
            print(
                "Signed \(firmware.displayString) for \(models.joined(separator: ", ")) with release key \(signing.id): \(out) (\(package.bytes.count) bytes)."
            )
        }
    }
}

/// Writes `data` to `path`, made with `mode` from the start, so a private key is never
/// readable by others even for a moment.
private func write(_ data: Data, to path: String, mode: Int) throws {
    try? FileManager.default.removeItem(atPath: path)
    guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: mode]) else {
        throw ValidationError("Cannot write \(path).")
    }
}
