import ArgumentParser
import Foundation
import ReclaimCore
import ReclaimLAN

/// `reclaim case`: support cases from a terminal, as the portal opens them.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Support cases on the platform: open one, follow it, fetch its reset file, close it.",
        subcommands: [Open.self, Status.self, List.self, Fetch.self, Close.self])

    struct PlatformOptions: ParsableArguments {
        @Option(help: "The platform's address, e.g. https://reclaim.example.com.") var platform: String
        @Option(help: "A file holding an API token of your portal account (POST /api/v1/tokens).") var tokenFile: String

        func client() throws -> CaseClient {
            guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8), !token.isEmpty else {
                throw LANError(.badInput, "Cannot read a token from \(tokenFile); make one in the portal and save it there.")
            }
            return CaseClient(platform: try PlatformClient(url: platform), token: token)
        }
    }

    struct Open: OneDeviceCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a device password reset case: the device's challenge and a photo of its label.",
            discussion: """
                The challenge comes from the device over the LAN (--device), from its exported QR code (--qr), or as \
                text (--qr-text). With --wait the command waits for the result: it prints the reset key, or saves the \
                reset file, for `reclaim forgot --key` or `--file`.
                """)

        @OptionGroup var platform: PlatformOptions
        @OptionGroup var discovery: DiscoveryOptions
        @Option(help: "The device on this LAN (address, serial or MAC): its challenge is asked for here.") var device: String = ""
        @Option(help: "The device's exported QR code (PNG).") var qr: String?
        @Option(help: "The text of the device's QR code (RC1:…).") var qrText: String?
        @Option(help: "A photo of the device's label (JPEG or PNG).") var label: String
        @Option(help: "Wait this many seconds for the result.") var wait: Int?
        @Option(help: "With --wait, where to save a reset file (default reset-SERIAL.xml).") var out: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            let given = [!device.isEmpty, qr != nil, qrText != nil].filter { $0 }.count
            guard given == 1 else { throw ValidationError("Give the device's challenge one way: --device, --qr or --qr-text.") }
        }

        func run() async throws {
            try await reporting {
                let client = try platform.client()
                guard let photo = FileManager.default.contents(atPath: label) else {
                    throw LANError(.badInput, "Cannot read the label photo \(label).")
                }
                let challenge: CaseClient.Challenge
                let channel: String
                if let qr {
                    guard let bytes = FileManager.default.contents(atPath: qr) else { throw LANError(.badInput, "Cannot read \(qr).") }
                    challenge = .qrPicture([UInt8](bytes))
                    channel = "other-network"
                } else if let qrText {
                    challenge = .text(qrText)
                    channel = "other-network"
                } else {
                    let exported = try await discovery.withSession { session in
                        try await session.exportChallenge(try await session.find(DeviceSelector(device)), purpose: .supportCase)
                    }
                    challenge = .text(exported.text)
                    channel = "lan-device"
                }
                var value = try await client.open(channel: channel, challenge: challenge, photo: [UInt8](photo))
                Terminal.progress("Case \(value.id) opened for \(value.model) \(value.serial).")
                if let wait {
                    let deadline = Date().addingTimeInterval(TimeInterval(wait))
                    while !value.isDecided, !value.awaitsReview, Date() < deadline {
                        try await Task.sleep(for: .milliseconds(500))
                        value = try await client.status(value.id)
                    }
                }
                try await report(value, client: client, out: out, json: json)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A case's state, and its reset key when it is ready.")
        @OptionGroup var platform: PlatformOptions
        @Argument(help: "The case ID.") var id: String
        @Option(help: "Where to save a reset file (default reset-SERIAL.xml).") var out: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reporting {
                let client = try platform.client()
                try await report(try await client.status(id), client: client, out: out, json: json)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Your company's cases, newest first.")
        @OptionGroup var platform: PlatformOptions
        @Option(help: "Only cases in this state: in-progress, to-confirm, closed, rejected.") var state: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reporting {
                let cases = try await platform.client().list(state: state)
                if json {
                    Terminal.print(String(decoding: try JSONEncoder.reclaim.encode(cases), as: UTF8.self))
                } else {
                    for value in cases {
                        Terminal.print(
                            "\(value.id)  \(value.createdAt.formatted(date: .numeric, time: .shortened))  \(value.state.padding(toLength: 11, withPad: " ", startingAt: 0))  \(value.model) \(value.serial)"
                        )
                    }
                    if cases.isEmpty { Terminal.progress("No cases.") }
                }
            }
        }
    }

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save the reset file of a case that is To confirm.")
        @OptionGroup var platform: PlatformOptions
        @Argument(help: "The case ID.") var id: String
        @Option(help: "Where to save it.") var out: String

        func run() async throws {
            try await reporting {
                let bytes = try await platform.client().resetFile(id)
                guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                    throw LANError(.badInput, "Cannot write \(out).")
                }
                Terminal.print(out)
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a case: done with its key or file, or no longer needed.")
        @OptionGroup var platform: PlatformOptions
        @Argument(help: "The case ID.") var id: String

        func run() async throws {
            try await reporting {
                let value = try await platform.client().close(id)
                Terminal.print("Case \(value.id): \(value.state).")
            }
        }
    }
}

/// Prints a case as the person at the terminal needs it: the key, or where the file was saved.
private func report(_ value: CaseSummary, client: CaseClient, out: String?, json: Bool) async throws {
    var saved: String?
    if value.state == "to-confirm", value.resetFile != nil {
        let path = out ?? "reset-\(value.serial).xml"
        guard FileManager.default.createFile(atPath: path, contents: Data(try await client.resetFile(value.id))) else {
            throw LANError(.badInput, "Cannot write \(path).")
        }
        saved = path
    }
    if json {
        var object = (try JSONSerialization.jsonObject(with: try JSONEncoder.reclaim.encode(value))) as? [String: Any] ?? [:]
        if let saved { object["savedFile"] = saved }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        Terminal.print(String(decoding: data, as: UTF8.self))
        return
    }
    Terminal.print("Case \(value.id): \(value.state)")
    if let key = value.resetKey {
        Terminal.print("Reset key: \(key)")
        Terminal.progress("Use it on the device's network: reclaim forgot --device ADDRESS --key \(key)")
    }
    if let saved {
        Terminal.print("Reset file: \(saved)")
        Terminal.progress("Use it on the device's network: reclaim forgot --device ADDRESS --file \(saved)")
    }
    if value.awaitsReview {
        let when = value.review?.expectedBy.map { " by \($0.formatted(date: .abbreviated, time: .shortened))" } ?? ""
        Terminal.progress("The label could not be checked automatically; a reviewer will look at it\(when).")
    }
    if let reason = value.rejectReason {
        Terminal.print("Rejected: \(reason)\(value.rejectText.map { ": \($0)" } ?? "")")
    }
    if let closed = value.closeReason { Terminal.print("Closed: \(closed)") }
}
