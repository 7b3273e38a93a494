import ArgumentParser
import DeviceAgent
import Foundation
import Logging
import ReclaimCore
import ReclaimQR

@main
struct ReclaimDevice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim-device",
        abstract: "A Reclaim device: one simulated IP camera, NVR or DVR, or a lab farm of many.",
        subcommands: [Run.self, Farm.self, Provision.self, Label.self, Button.self, Console.self])
}

/// Options every command that starts devices shares.
struct DeviceOptions: ParsableArguments {
    @Option(
        help:
            "A JSON authority bundle the devices trust (from the recovery authority). Without one, only the GUID file and security questions can reset a password."
    )
    var authorityBundle: String?

    @Option(help: "Cost of the slow password hashes: standard, or light (labs and tests only).")
    var hashCost: HashCost = .standard

    @Option(
        name: .customLong("firmware-key"),
        help:
            "A public release key (release-key.pub.json from `reclaim-server firmware keygen`) that firmware packages may be signed with; repeatable. Without one, every package is refused."
    )
    var firmwareKeys: [String] = []

    @Option(help: "The address of the interface to answer discovery on (the multicast group is joined there).")
    var sadpInterface: String = "127.0.0.1"

    @Option(help: "The discovery port.")
    var sadpPort: Int = 37020

    @Flag(help: "Do not answer discovery (SADP).")
    var noDiscovery = false

    @Option(
        help:
            "The platform's address (http://HOST:PORT). Each device keeps a cloud link to it, so its owner can approve a new password from the owner app."
    )
    var platform: String?

    var discovery: SADPResponder.Configuration? {
        noDiscovery ? nil : SADPResponder.Configuration(interface: sadpInterface, port: sadpPort)
    }

    enum HashCost: String, ExpressibleByArgument {
        case standard, light
        var cost: SlowHash.Cost { self == .standard ? .standard : .light }
    }

    func authority() throws -> AuthorityBundle? {
        try authorityBundle.map {
            try readKeyFile($0, "the authority bundle") { data throws(ReclaimError) in try AuthorityBundle.decode(json: data) }
        }
    }

    /// The release keys to trust; a private key given by mistake is refused, so it never
    /// lands beside a device.
    func releaseKeys() throws -> [ReleaseKey] {
        try firmwareKeys.map { try readKeyFile($0, "the release key") { data throws(ReclaimError) in try ReleaseKey.decode(json: data) } }
    }

    /// A key file an option names, read by `decode`; a failure names the file and says why.
    private func readKeyFile<T>(_ path: String, _ what: String, _ decode: (Data) throws(ReclaimError) -> T) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("Cannot read \(what) \(path).") }
        do {
            return try decode(data)
        } catch {
            throw ValidationError("\(path): \(error.reason)")
        }
    }

    func deviceConfiguration() throws -> DeviceConfiguration {
        DeviceConfiguration(hashCost: hashCost.cost, releaseKeys: try releaseKeys())
    }
}

func makeLogger() -> Logger {
    var logger = Logger(label: "reclaim-device")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return logger
}

/// Prints a line and flushes at once, so a script waiting for it sees it.
func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run one device from its data folder (provisioned on first start).")

    @Option(help: "The device's data folder.")
    var data: String

    @Option(help: "Address to listen on, HOST:PORT.")
    var http: String = "127.0.0.1:8080"

    @Option(help: "Model for a new device (see `reclaim-device provision --help`).")
    var model: String = DeviceModel.catalogue[0].name

    @OptionGroup var options: DeviceOptions

    func run() async throws {
        let (host, port) = try parseHostPort(http)
        let store = DeviceStore(directory: data)
        if !store.hasIdentity {
            guard let model = DeviceModel.named(model) else { throw ValidationError(unknownModel(model)) }
            try store.create(Factory.makeIdentity(model: model, authority: try options.authority()))
        }
        let logger = makeLogger()
        let device = try Device.open(store: store, configuration: try options.deviceConfiguration(), logger: logger)
        let fleet = Fleet(members: [.init(device: device, host: host, port: port)], dataDirectory: data)
        try fleet.writeEnrollments()
        let identity = device.identity
        let activated = await device.isActivated
        try await fleet.run(logger: logger, discovery: options.discovery, platform: options.platform) {
            announce(
                "reclaim-device: \(identity.modelName) \(identity.serial) ready on http://\(host):\(port)/ "
                    + (activated ? "(activated)" : "(not activated: open the page to activate it)"))
        }
    }
}

struct Farm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a lab of N devices, device i on its own loopback address.",
        discussion: """
            Devices keep their identity and state in DATA/devices/NNNN, so a farm restarts as it was.
            With --activated-password-file every new device starts activated with that admin password
            (a lab convenience: no device ever has a default password); without it, all start not activated.
            """)

    @Option(help: "How many devices.")
    var count: Int

    @Option(help: "Address of the first device; device i gets this plus i.")
    var firstAddress: String = "127.1.0.1"

    @Option(help: "The HTTP port every device listens on.")
    var httpPort: Int

    @Option(help: "The farm's data folder.")
    var data: String

    @Option(help: "A file holding the admin password new devices start activated with.")
    var activatedPasswordFile: String?

    @OptionGroup var options: DeviceOptions

    func validate() throws {
        guard (1...65_000).contains(count) else { throw ValidationError("--count must be between 1 and 65000.") }
        guard (1...65_535).contains(httpPort) else { throw ValidationError("--http-port must be between 1 and 65535.") }
    }

    func run() async throws {
        var password: String?
        if let file = activatedPasswordFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("Cannot read the password file \(file).")
            }
            password = text.trimmingCharacters(in: .newlines)
        }
        let started = Date()
        let logger = makeLogger()
        let layout = FarmLayout(
            count: count, firstAddress: firstAddress, httpPort: httpPort, dataDirectory: data, activatedPassword: password,
            authority: try options.authority(), configuration: try options.deviceConfiguration())
        let fleet: Fleet
        do {
            fleet = try layout.open(logger: logger)
        } catch let failure as FarmLayout.Failure {
            throw ValidationError(failure.description)
        }
        try fleet.writeEnrollments()
        let first = fleet.members.first!.host, last = fleet.members.last!.host, count = self.count, port = httpPort, data = self.data
        try await fleet.run(logger: logger, discovery: options.discovery, platform: options.platform) {
            let seconds = Date().timeIntervalSince(started)
            announce(
                "reclaim-device: farm ready: \(Language.english.counted(count, one: "1 device", other: "{n} devices")) on \(first)–\(last) port \(port) "
                    + "(data \(data), \(String(format: "%.2f", seconds)) s)")
        }
    }
}

struct Provision: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a new device: its keys and identity in DATA, and print the enrollment record the authority takes.",
        discussion: "Models: " + DeviceModel.catalogue.map(\.name).joined(separator: ", "))

    @Option(help: "The new device's data folder (must not hold a device).")
    var data: String

    @Option(help: "The device model.")
    var model: String = DeviceModel.catalogue[0].name

    @OptionGroup var options: DeviceOptions

    func run() async throws {
        guard let model = DeviceModel.named(model) else { throw ValidationError(unknownModel(model)) }
        guard let authority = try options.authority() else {
            throw ValidationError("Provisioning enrolls the device with an authority: pass --authority-bundle FILE.")
        }
        let identity = Factory.makeIdentity(model: model, authority: authority)
        let store = DeviceStore(directory: data)
        do {
            try store.create(identity)
        } catch let failure as DeviceStore.Failure {
            throw ValidationError(failure.description)
        }
        announce(String(decoding: try JSONEncoder.reclaim.encode(identity.enrollment!), as: UTF8.self))
    }
}

struct Label: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a device's label: model, serial and verification code; with --png, draw it.")

    @Argument(help: "The device's serial number.")
    var serial: String

    @Option(help: "The data folder of the device or of the farm.")
    var data: String = "."

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Also draw the label, as the factory prints it, into this PNG file.")
    var png: String?

    func run() async throws {
        guard let identity = findIdentity(serial: serial, in: data) else {
            throw ValidationError("No device with serial \(serial) in \(data); pass the data folder with --data.")
        }
        if let png {
            let artwork = LabelArtwork(
                payload: LabelPayload(serial: identity.serial, verificationCode: identity.labelCode, model: identity.modelName),
                kind: identity.model.kind, mac: identity.mac.description)
            do {
                try Data(artwork.png()).write(to: URL(fileURLWithPath: png), options: .atomic)
            } catch {
                throw ValidationError("Cannot write \(png): \(error.localizedDescription)")
            }
        }
        if json {
            let label: [String: String] = [
                "model": identity.modelName, "serial": identity.serial.text, "verificationCode": identity.labelCode,
                "mac": identity.mac.description, "manufactured": identity.serial.manufactureDate,
            ]
            announce(String(decoding: try JSONEncoder.reclaim.encode(label), as: UTF8.self))
        } else {
            announce(
                """
                Model:             \(identity.modelName)
                Serial:            \(identity.serial)
                Verification code: \(identity.labelCode)
                MAC:               \(identity.mac)
                Made:              \(identity.serial.manufactureDate)
                """)
        }
    }
}

struct Button: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Press a running device's reset button; held 10 s or more it resets the device to factory state.")

    @Argument(help: "The device's serial number.")
    var serial: String

    @Option(help: "How long the button is held, in seconds.")
    var hold: Double

    @Option(help: "The data folder of the running device or farm.")
    var data: String = "."

    func run() async throws {
        let socket = (data as NSString).appendingPathComponent("control.sock")
        let answer: String
        do {
            answer = try ControlClient.send("button \(serial) \(hold)", to: socket)
        } catch {
            throw ValidationError("No running device answers at \(socket) (\(error)); start it with reclaim-device run or farm.")
        }
        switch answer {
        case "ok factoryReset": announce("\(serial): reset to factory state; it is not activated and its configuration is erased.")
        case "ok ignored": announce("\(serial): button held \(hold) s, less than 10 s; nothing changed.")
        default: throw ValidationError(answer.replacingOccurrences(of: "error ", with: ""))
        }
    }
}

func parseHostPort(_ text: String) throws -> (String, Int) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
        throw ValidationError("--http takes HOST:PORT, such as 127.0.0.1:8080.")
    }
    return (String(text[..<colon]), port)
}

func unknownModel(_ name: String) -> String {
    "Unknown model \(name); choose one of " + DeviceModel.catalogue.map(\.name).joined(separator: ", ") + "."
}

func findIdentity(serial: String, in directory: String) -> DeviceIdentity? {
    var folders = [directory]
    let devices = (directory as NSString).appendingPathComponent("devices")
    if let names = try? FileManager.default.contentsOfDirectory(atPath: devices) {
        folders += names.sorted().map { (devices as NSString).appendingPathComponent($0) }
    }
    for folder in folders {
        let store = DeviceStore(directory: folder)
        if store.hasIdentity, let identity = try? store.loadIdentity(), identity.serial.text.caseInsensitiveCompare(serial) == .orderedSame
        {
            return identity
        }
    }
    return nil
}
