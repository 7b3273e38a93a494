import ArgumentParser
import Foundation
import ReclaimCore
import ReclaimLAN
import ReclaimQR
import SADP

struct Forgot: OneDeviceCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reset a forgotten admin password with one of the device's recovery modes.",
        discussion: """
            Modes: --guid FILE (the exported GUID file), --questions (the three answers), --key KEY (a support case's
            reset key), --file reset.xml (a support case's reset file), --email (a code sent to the reserved address:
            the QR code is exported, then the code is asked for). For a support case, export the QR code first with
            `reclaim export-qr`.
            """)

    @OptionGroup var discovery: DiscoveryOptions
    @Option(help: "The device (address, serial or MAC).") var device: String
    @Option(help: "Reset with this GUID file.") var guid: String?
    @Flag(help: "Reset by answering the security questions.") var questions = false
    @Option(help: "With --questions: a file of `ID: answer` lines instead of prompts.") var answersFile: String?
    @Option(help: "Reset with this reset key.") var key: String?
    @Option(help: "Reset with this reset file.") var file: String?
    @Flag(help: "Reset with a verification code sent to the reserved e-mail.") var email = false
    @Option(help: "With --email: the verification code, if already received.") var code: String?
    @Option(help: "With --email: also write the QR code to this PNG.") var qrOut: String?
    @Option(help: "With --email: hand the QR code to the recovery authority at this server (e.g. https://reclaim.example.com).")
    var submit: String?
    @Option(help: "A file holding the new admin password (otherwise it is asked for).") var newPasswordFile: String?

    func validate() throws {
        let modes = [guid != nil, questions, key != nil, file != nil, email].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("Choose one mode: --guid FILE, --questions, --key KEY, --file FILE or --email.") }
        if submit != nil, !email { throw ValidationError("--submit goes with --email.") }
    }

    func run() async throws {
        let guidFile = try guid.map { try readFile($0, what: "GUID file") }
        let resetFile = try file.map { try readFile($0, what: "reset file") }
        let platform = try submit.map { url throws(LANError) in try PlatformClient(url: url) }
        try await withDevice { session, target in
            guard target.activated != false else {
                throw LANError(
                    .notActivated, "\(target.label) is not activated: it has no password to recover. Use `reclaim activate`.")
            }
            let proof: LANSession.Proof
            if let guidFile {
                proof = .guidFile(guidFile)
            } else if questions {
                let asked = try await session.questions(of: target)
                proof = .answers(try Answers.read(ids: asked.map(\.id), file: answersFile, required: true))
            } else if let key {
                proof = .resetKey(key)
            } else if let resetFile {
                proof = .resetFile(resetFile)
            } else {
                let challenge = try await session.exportChallenge(target, purpose: .reservedEmail)
                if let qrOut { try writeQR(challenge.text, to: qrOut) }
                if let platform {
                    Terminal.progress(try await platform.submitEmailChallenge(challenge.text))
                } else {
                    Terminal.progress(
                        "Hand this QR code text to the recovery authority (or scan the PNG with the owner app); the code goes to the reserved e-mail:"
                    )
                    Terminal.print(challenge.text)
                }
                proof = .verificationCode(try code ?? Terminal.line("Verification code"))
            }
            let password = try Terminal.secret("New admin password", file: newPasswordFile, confirm: true)
            try session.checkLocally(password, for: target)
            try await session.recover(target, with: proof, newPassword: password)
            Terminal.print("\(target.label): the new admin password is set. Export a fresh GUID file: any earlier one no longer works.")
        }
    }
}

func readFile(_ path: String, what: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path), data.count <= 64 * 1024 else {
        throw ValidationError("Cannot read the \(what) \(path).")
    }
    return String(decoding: data, as: UTF8.self)
}

func writeQR(_ text: String, to path: String) throws {
    guard let code = QRCode(text) else { throw LANError(.failed, "The challenge is too long for a QR code.") }
    guard FileManager.default.createFile(atPath: path, contents: Data(code.png())) else {
        throw LANError(.badInput, "Cannot write \(path).")
    }
}

struct ExportQR: OneDeviceCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-qr",
        abstract: "Export a device's QR code: for a support case (the default) or the reserved e-mail.",
        discussion:
            "Writes a PNG that phone cameras and QR readers decode, and prints its text. Earlier codes stay valid until they expire.")

    @OptionGroup var discovery: DiscoveryOptions
    @Option(help: "The device (address, serial or MAC).") var device: String
    @Option(help: "The PNG to write.") var out: String
    @Option(help: "support or email.") var purpose: Purpose = .support

    enum Purpose: String, ExpressibleByArgument {
        case support, email
    }

    func run() async throws {
        try await withDevice { session, target in
            let challenge = try await session.exportChallenge(target, purpose: purpose == .support ? .supportCase : .reservedEmail)
            try writeQR(challenge.text, to: out)
            Terminal.progress(
                "\(target.label): QR code written to \(out)" + (challenge.expiresAt.map { ", valid until \($0)" } ?? "") + ".")
            Terminal.print(challenge.text)
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The hardening check: password strength, firmware, UPnP, recovery set up, a fresh GUID file.",
        discussion: """
            Without --device, every device on the LAN. Password strength and UPnP need the admin password.
            With --fix, the safe fixes are made too (UPnP off), each device is checked again, and what is left for a
            person (a weak password, no recovery method, old firmware…) is listed: --fix never changes those.
            """)

    @OptionGroup var discovery: DiscoveryOptions
    @Option(name: .customLong("device"), help: "A device to check (address, serial or MAC); repeatable.") var devices: [String] = []
    @Option(help: "A file holding the admin password, to check its strength and UPnP (and, with --fix, to fix).") var passwordFile: String?
    @Flag(help: "Make the safe fixes (UPnP off) with the admin password, then check again.") var fix = false
    @Flag(help: "Print JSON, for scripts.") var json = false

    func run() async throws {
        // Fixing needs the password: asked for when no file gives it, as every command that changes a device does.
        let password =
            try passwordFile.map { try Terminal.secret("Admin password", file: $0) }
            ?? (fix ? try Terminal.secret("Admin password", file: nil) : nil)
        try await reporting {
            try await discovery.withSession { session in
                let found = try await session.scan()
                let targets = devices.isEmpty ? found : try devices.map { try DeviceSelector($0).pick(from: found) }
                var reports: [AuditReport] = []
                for target in targets {
                    if fix, let password {
                        reports.append(await Auditor.auditAndFix(target, password: password))
                    } else {
                        reports.append(await Auditor.audit(target, password: password))
                    }
                }
                Terminal.print(json ? try ScanOutput.json(reports) : ScanOutput.audit(reports))
            }
        }
    }
}
