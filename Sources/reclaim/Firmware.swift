import ArgumentParser
import Foundation
import ReclaimCore
import ReclaimLAN
import SADP

struct FirmwareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "firmware", abstract: "Firmware updates.", subcommands: [Upgrade.self])

    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install a signed firmware package on a device and print the release before and after.",
            discussion: """
                The device installs only a package signed with a release key it trusts, made for its model, and newer than
                what it runs; anything else is refused and nothing changes. --device takes HOST:PORT to reach the device's
                API directly (no discovery), or its address, serial or MAC to find it on the LAN.
                """)

        @OptionGroup var discovery: DiscoveryOptions
        @Option(help: "The device: HOST:PORT of its API, or its address, serial or MAC.") var device: String
        @Option(help: "The firmware package (.pkg), from `reclaim-server firmware sign`.") var file: String
        @Option(help: "A file holding the admin password.") var passwordFile: String?

        /// `HOST:PORT` when the device is named by its API's address rather than for discovery.
        var directAddress: (host: String, port: Int)? {
            guard let colon = device.lastIndex(of: ":"), let port = Int(device[device.index(after: colon)...]),
                (1...65_535).contains(port), !device[..<colon].isEmpty, !device[..<colon].contains(":")
            else { return nil }
            return (String(device[..<colon]), port)
        }

        func run() async throws {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ValidationError("Cannot read the firmware package \(file).")
            }
            // Refused here already when it is too large for any device, before the password is asked.
            guard contents.count <= FirmwarePackage.maxSize else {
                throw ValidationError(FirmwareRefusal.tooLarge(limit: FirmwarePackage.maxSize).reason)
            }
            let package = Array(contents)
            let password = try Terminal.secret("Admin password", file: passwordFile)
            let timeout = DeviceAPI.uploadTimeout
            try await reporting {
                let api: DeviceAPI
                if let direct = directAddress {
                    api = DeviceAPI(host: direct.host, port: direct.port, password: password, timeout: timeout)
                } else {
                    let selector = DeviceSelector(device)
                    let target = try await discovery.withSession { session in try await session.find(selector) }
                    api = try DeviceAPI(target, password: password, timeout: timeout)
                }
                let change = try await api.upgradeFirmware(package)
                // Reached at HOST:PORT, the device is named by the serial it gave, as discovery names it.
                let name = directAddress == nil ? api.label : "\(change.serial ?? "?") (\(api.label))"
                Terminal.print("\(name): firmware \(change.previous.displayString) → \(change.installed.displayString).")
            }
        }
    }
}
