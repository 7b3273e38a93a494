import ArgumentParser
import Foundation
import ReclaimCore
import ReclaimLAN
import ReclaimQR
import SADP

@main
struct Reclaim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim",
        abstract: "The installer's LAN tool: find Reclaim devices, activate them, set up and use their password recovery.",
        discussion: """
            Devices are found with SADP-compatible discovery (UDP 37020, multicast 239.255.255.250). Name a device
            with --device and its IPv4 address, serial or MAC. Passwords are asked for without echo, or read from a
            file (--password-file, --new-password-file); every secret travels sealed.
            """,
        subcommands: [
            Scan.self, Activate.self, Network.self, GUID.self, Questions.self, Email.self, Forgot.self, ExportQR.self, Audit.self,
            RestoreInactive.self, FirmwareCommand.self, CaseCommand.self, Helper.self,
        ])
}

struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the devices on the LAN.")

    @OptionGroup var discovery: DiscoveryOptions
    @Flag(help: "Print JSON, for scripts.") var json = false
    @Flag(help: "Keep scanning and show changes as they happen (Ctrl-C stops).") var watch = false

    func run() async throws {
        try await reporting {
            try await discovery.withSession { session in
                guard watch else {
                    let devices = try await session.scan()
                    Terminal.print(json ? try ScanOutput.json(devices) : ScanOutput.table(devices))
                    return
                }
                var known: [String: DeviceAnnouncement] = [:]
                while !Task.isCancelled {
                    let devices = try await session.scan()
                    let lines = ScanOutput.changes(from: known, to: devices)
                    for line in lines { Terminal.print(line) }
                    known = Dictionary(devices.map { ($0.mac.description, $0) }, uniquingKeysWith: { $1 })
                }
            }
        }
    }
}

struct Activate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set the first admin password of one device, several, or every inactive one at once.",
        discussion: "The password is checked against each device's policy before anything is sent.")

    @OptionGroup var discovery: DiscoveryOptions
    @Option(name: .customLong("device"), help: "A device to activate (address, serial or MAC); repeatable.") var devices: [String] = []
    @Flag(help: "Activate every device on the LAN that is not activated.") var allInactive = false
    @Option(help: "A file holding the new admin password (otherwise it is asked for).") var passwordFile: String?

    func validate() throws {
        guard !devices.isEmpty || allInactive else { throw ValidationError("Name devices with --device, or pass --all-inactive.") }
    }

    func run() async throws {
        let password = try Terminal.secret("New admin password", file: passwordFile, confirm: true)
        try await reporting {
            try await discovery.withSession { session in
                let found = try await session.scan()
                var targets = try devices.map { try DeviceSelector($0).pick(from: found) }
                if allInactive { targets += found.filter { $0.activated == false && !targets.contains($0) } }
                guard !targets.isEmpty else {
                    Terminal.print("No inactive device on the LAN (\(found.count) found).")
                    return
                }
                try await runBatch("activated", targets) { device in try await session.activate(device, password: password) }
            }
        }
    }
}

/// Runs `operation` on every device, printing progress and a summary; fails if any did.
func runBatch(_ verb: String, _ devices: [DeviceAnnouncement], _ operation: @escaping @Sendable (DeviceAnnouncement) async throws -> Void)
    async throws
{
    let outcomes = await Batch().run(
        devices,
        progress: { done, total, outcome in
            Terminal.progress("[\(done)/\(total)] " + (outcome.error.map { "failed: \($0)" } ?? "\(outcome.device.label): \(verb)"))
        }, operation)
    let failed = outcomes.filter { $0.error != nil }
    Terminal.print("\(verb.capitalized): \(outcomes.count - failed.count) of \(outcomes.count).")
    if !failed.isEmpty {
        Terminal.print("Failed: \(failed.count):")
        for outcome in failed { Terminal.print("  \(outcome.error!)") }
        throw ExitCode.failure
    }
}

struct Network: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A device's network parameters.", subcommands: [Set.self])

    struct Set: OneDeviceCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a device's IPv4 address, mask, gateway, DHCP or HTTP port (over discovery), or UPnP (over its API).")

        @OptionGroup var discovery: DiscoveryOptions
        @Option(help: "The device (address, serial or MAC).") var device: String
        @Option(help: "New IPv4 address.") var ipv4: String?
        @Option(help: "Subnet mask.") var mask: String?
        @Option(help: "Default gateway.") var gateway: String?
        @Flag(help: "Take the address from DHCP.") var dhcp = false
        @Option(help: "HTTP port.") var httpPort: Int?
        @Option(help: "UPnP port mapping: off stops the device asking the router to open ports to it.") var upnp: Switch?
        @Option(help: "A file holding the admin password.") var passwordFile: String?

        enum Switch: String, ExpressibleByArgument, CaseIterable {
            case on, off
        }

        /// Whether anything discovery's `update` carries was given.
        var changesAddressing: Bool { ipv4 != nil || mask != nil || gateway != nil || dhcp || httpPort != nil }

        func validate() throws {
            guard changesAddressing || upnp != nil else {
                throw ValidationError("Say what to set: --ipv4, --mask, --gateway, --dhcp, --http-port or --upnp on|off.")
            }
        }

        func run() async throws {
            let password = try Terminal.secret("Admin password", file: passwordFile)
            try await withDevice { session, target in
                // UPnP first: a new address would move the API this call goes to.
                if let upnp {
                    try await DeviceAPI(target, password: password).setUPnP(enabled: upnp == .on)
                    Terminal.print("\(target.label): UPnP turned \(upnp.rawValue).")
                }
                guard changesAddressing else { return }
                try await session.setNetwork(
                    target, .init(ipv4Address: ipv4, subnetMask: mask, gateway: gateway, dhcp: dhcp, httpPort: httpPort),
                    password: password)
                Terminal.print("\(target.label): network parameters set.")
            }
        }
    }
}

struct GUID: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "guid", abstract: "GUID files.", subcommands: [Export.self])

    struct Export: OneDeviceCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a new GUID file: keep it offline; it resets the password once, until the next password change.")

        @OptionGroup var discovery: DiscoveryOptions
        @Option(help: "The device (address, serial or MAC).") var device: String
        @Option(help: "Where to write the file (default: its own name in this folder).") var out: String?
        @Option(help: "A file holding the admin password.") var passwordFile: String?

        func run() async throws {
            let password = try Terminal.secret("Admin password", file: passwordFile)
            try await withDevice { session, target in
                let (name, contents) = try await session.exportGUID(target, password: password)
                let path = out ?? name
                guard
                    FileManager.default.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
                else { throw LANError(.badInput, "Cannot write \(path).") }
                Terminal.print("\(target.label): GUID file written to \(path). Any earlier GUID file no longer works.")
            }
        }
    }
}

struct Questions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Security questions.", subcommands: [Set.self, List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The catalogue of questions to choose from.")
        @Flag(help: "In Italian.") var italian = false

        func run() {
            for question in SecurityQuestions.catalogue {
                Terminal.print(String(format: "%2d  ", question.id) + question.text(italian ? .italian : .english))
            }
        }
    }

    struct Set: OneDeviceCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set three security questions and their answers.",
            discussion: "Choose three different questions from `reclaim questions list`; answers are compared without case or accents.")

        @OptionGroup var discovery: DiscoveryOptions
        @Option(help: "The device (address, serial or MAC).") var device: String
        @Option(name: .customLong("question"), help: "A question id; three times.") var questionIDs: [Int] = []
        @Option(
            help: "A file with three lines `ID: answer` (otherwise each answer is asked for).") var answersFile: String?
        @Option(help: "A file holding the admin password.") var passwordFile: String?

        func run() async throws {
            let choices = try Answers.read(ids: questionIDs, file: answersFile, required: true).map {
                SecurityQuestions.Choice(questionID: $0.key, answer: $0.value)
            }
            let password = try Terminal.secret("Admin password", file: passwordFile)
            try await withDevice { session, target in
                try await session.setQuestions(target, choices.sorted { $0.questionID < $1.questionID }, password: password)
                Terminal.print("\(target.label): security questions set.")
            }
        }
    }
}

/// Answers to security questions, from a file of `ID: answer` lines or typed at prompts.
enum Answers {
    static func read(ids: [Int], file: String?, required: Bool) throws -> [Int: String] {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("Cannot read \(file).") }
            var answers: [Int: String] = [:]
            for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let id = Int(parts[0].trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("\(file): write each answer as `ID: answer` (\(line)).")
                }
                answers[id] = parts[1].trimmingCharacters(in: .whitespaces)
            }
            return answers
        }
        guard !ids.isEmpty else { throw ValidationError("Name the questions with --question ID (three times), or give --answers-file.") }
        var answers: [Int: String] = [:]
        for id in ids {
            guard let question = SecurityQuestions.question(id: id) else {
                throw ValidationError("Question \(id) is not in the catalogue (see `reclaim questions list`).")
            }
            answers[id] = try Terminal.secret(question.english, file: nil)
        }
        return answers
    }
}

struct Email: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The reserved e-mail.", subcommands: [Set.self])

    struct Set: OneDeviceCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the reserved e-mail: the only address a recovery verification code is ever sent to.")

        @OptionGroup var discovery: DiscoveryOptions
        @Option(help: "The device (address, serial or MAC).") var device: String
        @Option(help: "The reserved address.") var address: String
        @Option(help: "A file holding the admin password.") var passwordFile: String?

        func run() async throws {
            let password = try Terminal.secret("Admin password", file: passwordFile)
            try await withDevice { session, target in
                try await session.setEmail(target, address: address, password: password)
                Terminal.print("\(target.label): reserved e-mail set to \(address).")
            }
        }
    }
}

struct RestoreInactive: OneDeviceCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore-inactive",
        abstract: "Return a device to \"not activated\", erasing its configuration, with its admin password.",
        discussion:
            "The remote counterpart of holding the reset button: the device keeps no password, and the next step is `reclaim activate`.")

    @OptionGroup var discovery: DiscoveryOptions
    @Option(help: "The device (address, serial or MAC).") var device: String
    @Option(help: "A file holding the admin password.") var passwordFile: String?

    func run() async throws {
        let password = try Terminal.secret("Admin password", file: passwordFile)
        try await withDevice { session, target in
            try await session.restoreInactive(target, password: password)
            Terminal.print("\(target.label): back to not activated, its configuration erased. Activate it with `reclaim activate`.")
        }
    }
}
