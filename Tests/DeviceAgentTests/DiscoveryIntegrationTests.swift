import Crypto
import DeviceAgent
import Foundation
import Logging
import NIOConcurrencyHelpers
import ReclaimCore
import ReclaimLAN
import ReclaimTestSupport
import ServiceLifecycle
import Testing

@testable import SADP

/// Whether the tests run in a private network namespace where loopback carries
/// multicast (`scripts/test` runs them there and says how).
let insideNetworkNamespace = ProcessInfo.processInfo.environment["RECLAIM_NETNS"] == "1"

/// A fleet of devices answering discovery on its own port and addresses, so suites can run side by side.
struct LiveFleet: Sendable {
    let fleet: Fleet
    let port: Int
    var devices: [Device] { fleet.members.map(\.device) }

    static let nextBlock = NIOLockedValueBox(0)

    /// Runs `count` devices (activated with `password` when given) for the duration of `body`.
    static func with<T: Sendable>(
        count: Int, password: String? = nil, clock: TestClock = TestClock(), _ body: @Sendable (LiveFleet) async throws -> T
    ) async throws -> T {
        let block = nextBlock.withLockedValue { value -> Int in
            value += 1
            return value
        }
        let directory = temporaryDirectory()
        var members: [Fleet.Member] = []
        for index in 0..<count {
            let device = try makeDevice(
                model: DeviceModel.catalogue[index % 3], clock: clock, directory: directory + "/\(index)")
            if let password { try await device.activate(password: password, source: "factory") }
            members.append(.init(device: device, host: "127.30.\(block).\(index + 1)", port: 18000 + block))
        }
        let fleet = Fleet(members: members, dataDirectory: directory)
        let port = 38000 + block
        let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
        let responder = SADPResponder(
            fleet: fleet, configuration: .init(interface: "127.0.0.1", port: port), logger: testLogger,
            onReady: { readyContinuation.finish() })
        var services: [any Service] = [responder]
        services += try DeviceHTTPServer(logger: testLogger).services(for: members) { _, _ in }
        // FLEET_DEBUG=1 shows the fleet's service life cycle, when a test's fleet misbehaves.
        var debugLogger = Logger(label: "fleet")
        debugLogger.logLevel = ProcessInfo.processInfo.environment["FLEET_DEBUG"] != nil ? .debug : .critical
        return try await withServices(services, logger: debugLogger) {
            for await _ in ready {}
        } _: {
            try await body(LiveFleet(fleet: fleet, port: port))
        }
    }

    var clientConfiguration: SADPClient.Configuration {
        SADPClient.Configuration(interface: "127.0.0.1", port: port)
    }

    /// Runs the `reclaim` command line against this fleet and returns what it printed;
    /// with `stopAfter`, interrupts it then (for commands that run until stopped).
    func reclaim(_ arguments: [String], input: String? = nil, stopAfter: Duration? = nil) async throws
        -> (status: Int32, output: String, errors: String)
    {
        let process = Process()
        let bin =
            ProcessInfo.processInfo.environment["RECLAIM_BIN"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug")
        process.executableURL = bin.appendingPathComponent("reclaim")
        process.arguments = arguments + ["--interface", "127.0.0.1", "--port", String(port), "--timeout", "2"]
        let output = Pipe(), errors = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        if let stopAfter {
            Task {
                try await Task.sleep(for: stopAfter)
                process.interrupt()
            }
        }
        // Waiting for the child blocks a thread: not one of the few that run the devices
        // it is talking to, or both would wait on each other.
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let errorData = errors.fileHandleForReading.readDataToEndOfFile()
                let outputData = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(
                    returning: (
                        process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self)
                    ))
            }
        }
    }
}

/// Writes `text` to a new file in a temporary folder and returns its path.
func temporaryFile(_ text: String, name: String = "file") -> String {
    let path = temporaryDirectory() + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

// Serialized: each test starts `reclaim` processes, and a dozen starting at once on a
// small machine delay the devices' answers past any sensible discovery window.
@Suite(.enabled(if: insideNetworkNamespace, "needs multicast on loopback: run in a network namespace (scripts/test does)"), .serialized)
struct DiscoveryIntegrationTests {
    @Test func everyDeviceOfAFarmAnswersAnInquiry() async throws {
        try await LiveFleet.with(count: 25) { live in
            // A window as long as a LAN tool's scan: the answers are asserted, not their speed,
            // and the other suites' processes may hold both cores meanwhile.
            let found = try await SADPClient.withClient(live.clientConfiguration) { try await $0.discover(timeout: .seconds(3)) }
            #expect(found.count == 25)
            #expect(Set(found.map(\.mac)) == Set(live.devices.map(\.identity.mac)))
            let first = try #require(found.first { $0.mac == live.devices[0].identity.mac })
            #expect(first.ipv4Address == live.fleet.members[0].host)
            #expect(first.serial == live.devices[0].identity.serial.text)
            #expect(first.activated == false)
            #expect(first.reclaimProtocol == 1)
        }
    }

    @Test func aUnicastProbeReachesOnlyTheDeviceAtThatAddress() async throws {
        try await LiveFleet.with(count: 3) { live in
            var configuration = live.clientConfiguration
            configuration.multicastGroup = nil
            configuration.unicastTargets = [live.fleet.members[1].host]
            let found = try await SADPClient.withClient(configuration) { try await $0.discover(timeout: .milliseconds(1500)) }
            #expect(found.map(\.mac) == [live.devices[1].identity.mac])
        }
    }

    @Test func verbsForAnotherMACAreIgnored() async throws {
        try await LiveFleet.with(count: 2) { live in
            await #expect(throws: SADPClient.Failure.self) {
                try await SADPClient.withClient(live.clientConfiguration) { client in
                    try await client.request(
                        .getSecurityQuestion, to: MACAddress("c2-52-ff-ff-ff-ff")!, wait: .milliseconds(200), attempts: 2)
                }
            }
        }
    }

    @Test func aPasswordInTheClearIsNeverRead() async throws {
        try await LiveFleet.with(count: 1) { live in
            let device = live.devices[0]
            let answer = try await SADPClient.withClient(live.clientConfiguration) { client in
                // The legacy shape: <Password> in the message itself.
                try await client.request(.activate, to: device.identity.mac, fields: [SADPField("Password", goodPassword)])
            }
            #expect(answer.result == .failed)
            #expect(answer["ErrorMessage"]?.contains("sealed") == true)
            #expect(await device.isActivated == false)
        }
    }

    /// UDP's source address is whatever the sender writes. An exchange belongs to the
    /// address that started it: sealed guesses sent under it "from" another address are
    /// refused unread, counted against no one, and leave the owner's exchange in place.
    @Test func sealedGuessesFromAForgedSourceAreRefusedAndCountedAgainstNoOne() async throws {
        try await LiveFleet.with(count: 1, password: goodPassword) { live in
            let device = live.devices[0]
            let mac = device.identity.mac
            // The owner, at 127.0.0.1, starts an exchange.
            let key = Curve25519.KeyAgreement.PrivateKey()
            let owner = try await SADPClient.withClient(live.clientConfiguration) { client in
                try await client.request(
                    .exchangeCode, to: mac, fields: [SADPField("ClientKey", Bytes.base64(key.publicKey.rawRepresentation))])
            }
            let side = try SecretTransport.ClientSide(
                clientKey: key, devicePublicKey: try #require(owner["DeviceKey"].flatMap { Bytes.fromBase64($0) }),
                id: try #require(owner["ExchangeID"]))
            // Someone who learned the exchange's id sends wrong passwords sealed under it, from another address.
            var forged = live.clientConfiguration
            forged.interface = "127.0.0.77"
            let refusals = try await SADPClient.withClient(forged) { client in
                var refusals: [SADPMessage] = []
                for _ in 0..<10 {
                    let secrets = SADPSecrets([SADPField("Password", "Wrong-pass1")])
                    refusals.append(
                        try await client.request(
                            .reboot, to: mac, sealed: SADPSealed(exchangeID: side.id, ciphertext: side.seal(secrets.document))))
                }
                return refusals
            }
            #expect(refusals.allSatisfy { $0.result == .failed && $0["ErrorMessage"]?.contains("unknown or expired") == true })
            #expect(await device.attemptsLeft(for: "127.0.0.77") == 5, "refused unread: not a guess")
            #expect(await device.attemptsLeft(for: "127.0.0.1") == 5, "nothing counted against the owner's address")
            // The owner's exchange is still there, and works.
            let done = try await SADPClient.withClient(live.clientConfiguration) { client in
                let secrets = SADPSecrets([SADPField("Password", goodPassword)])
                return try await client.request(
                    .reboot, to: mac, sealed: SADPSealed(exchangeID: side.id, ciphertext: side.seal(secrets.document)))
            }
            #expect(done.result == .success)
        }
    }

    @Test func aRetriedRequestGetsTheSameAnswerAndIsCarriedOutOnce() async throws {
        try await LiveFleet.with(count: 1) { live in
            let device = live.devices[0]
            let message = SADPMessage(kind: .probe, uuid: "RETRY-1", verb: .getCode, mac: device.identity.mac)
            try await device.activate(password: goodPassword, source: "t")
            let answers = try await SADPClient.withClient(live.clientConfiguration) { client in
                var answers: [SADPMessage] = []
                for _ in 0..<2 {
                    let stream = client.register(message.uuid)
                    try await client.send(message)
                    for await answer in stream {
                        answers.append(answer)
                        break
                    }
                    client.unregister(message.uuid)
                }
                return answers
            }
            #expect(answers.count == 2)
            #expect(answers[0] == answers[1])
            #expect(await device.pendingChallenges.count == 1)
        }
    }

    @Test func theLANToolActivatesEveryInactiveDeviceAtOnce() async throws {
        try await LiveFleet.with(count: 6) { live in
            let weak = try await live.reclaim(["activate", "--all-inactive", "--password-file", temporaryFile("admin123\n")])
            #expect(weak.status != 0)
            #expect(weak.output.contains("Failed: 6") || weak.errors.contains("common passwords"))
            for device in live.devices { #expect(await device.isActivated == false) }

            let run = try await live.reclaim(["activate", "--all-inactive", "--password-file", temporaryFile("Lab-Farm-2026-Qx\n")])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("Activated: 6 of 6."))
            #expect(run.errors.contains("[6/6]"))
            for device in live.devices { try await device.verifyPassword("Lab-Farm-2026-Qx", source: "t") }
            let again = try await live.reclaim(["activate", "--all-inactive", "--password-file", temporaryFile("Lab-Farm-2026-Qx\n")])
            #expect(again.output.contains("No inactive device"))
        }
    }

    @Test func scanShowsATableAndJSON() async throws {
        try await LiveFleet.with(count: 3, password: goodPassword) { live in
            let table = try await live.reclaim(["scan"])
            #expect(table.status == 0)
            #expect(table.output.contains("SERIAL"))
            #expect(table.output.contains("3 devices."))
            for device in live.devices { #expect(table.output.contains(device.identity.serial.text)) }
            let json = try await live.reclaim(["scan", "--json"])
            let decoded = try JSONDecoder().decode([DeviceAnnouncement].self, from: Data(json.output.utf8))
            #expect(decoded.count == 3)
            #expect(decoded.allSatisfy { $0.activated == true })
        }
    }

    @Test func watchShowsDevicesAsTheyComeAndChange() async throws {
        try await LiveFleet.with(count: 2) { live in
            Task {
                try await Task.sleep(for: .seconds(3))
                try await live.devices[1].activate(password: goodPassword, source: "elsewhere")
            }
            let watch = try await live.reclaim(["scan", "--watch", "--timeout", "1"], stopAfter: .seconds(6))
            let lines = watch.output.split(separator: "\n")
            #expect(lines.filter { $0.contains(" + ") }.count == 2)
            #expect(
                lines.contains { $0.contains(" ~ ") && $0.contains(live.devices[1].identity.serial.text) && $0.contains("activated=yes") })
        }
    }

    @Test func restoreInactiveNeedsThePasswordAndErasesTheDevice() async throws {
        try await LiveFleet.with(count: 1, password: goodPassword) { live in
            let device = live.devices[0]
            let wrong = try await live.reclaim(
                ["restore-inactive", "--device", device.identity.serial.text, "--password-file", temporaryFile("Wrong-pass1")])
            #expect(wrong.errors.contains("4 attempts left"))
            #expect(await device.isActivated)
            let run = try await live.reclaim(
                ["restore-inactive", "--device", device.identity.serial.text, "--password-file", temporaryFile(goodPassword)])
            #expect(run.status == 0, "\(run.errors)")
            #expect(await device.isActivated == false)
        }
    }

    @Test func aDeviceNotOnTheLANIsReportedWithWhatToDo() async throws {
        try await LiveFleet.with(count: 1, password: goodPassword) { live in
            let run = try await live.reclaim([
                "forgot", "--device", "DS-NOPE20200101AAAA1", "--key", "x", "--new-password-file", temporaryFile("x"),
            ])
            #expect(run.status != 0)
            #expect(run.errors.contains("No device DS-NOPE20200101AAAA1 answered on the LAN"))
        }
    }
}

/// Every `reclaim forgot` mode, end to end: the tool finds a farm device, proves
/// ownership the way the mode says, and the device takes the new password.
@Suite(.enabled(if: insideNetworkNamespace, "needs multicast on loopback: run in a network namespace (scripts/test does)"), .serialized)
struct ForgotThroughTheLANToolTests {
    let newPassword = "Nuova-Pass-2026x"

    func forgot(_ live: LiveFleet, _ device: Device, _ arguments: [String], input: String? = nil) async throws
        -> (status: Int32, output: String, errors: String)
    {
        try await live.reclaim(
            ["forgot", "--device", device.identity.serial.text] + arguments + ["--new-password-file", temporaryFile(newPassword + "\n")],
            input: input)
    }

    @Test func withTheGUIDFile() async throws {
        try await LiveFleet.with(count: 2, password: goodPassword) { live in
            let device = live.devices[1]
            let guid = temporaryDirectory() + "/device.guid.xml"
            let export = try await live.reclaim(
                ["guid", "export", "--device", device.identity.serial.text, "--out", guid, "--password-file", temporaryFile(goodPassword)])
            #expect(export.status == 0, "\(export.errors)")
            let run = try await forgot(live, device, ["--guid", guid])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("the new admin password is set"))
            try await device.verifyPassword(newPassword, source: "t")
            let again = try await forgot(live, device, ["--guid", guid])
            #expect(again.errors.contains("No GUID file is valid"))
        }
    }

    @Test func withTheSecurityQuestions() async throws {
        try await LiveFleet.with(count: 1, password: goodPassword) { live in
            let device = live.devices[0]
            let set = try await live.reclaim(
                [
                    "questions", "set", "--device", device.identity.mac.description, "--answers-file",
                    temporaryFile("1: Bianchi\n5: Fiat\n9: Officine Rossi\n"), "--password-file", temporaryFile(goodPassword),
                ])
            #expect(set.status == 0, "\(set.errors)")
            let wrong = try await forgot(live, device, ["--questions", "--answers-file", temporaryFile("1: Verdi\n5: Fiat\n9: x\n")])
            #expect(wrong.status != 0)
            #expect(wrong.errors.contains("4 attempts left"))
            let run = try await forgot(
                live, device, ["--questions", "--answers-file", temporaryFile("1: bianchi\n5: FIAT\n9: officine  rossi\n")])
            #expect(run.status == 0, "\(run.errors)")
            try await device.verifyPassword(newPassword, source: "t")
        }
    }

    @Test func withASupportResetKeyAndRefusingTheSerialAndDateCode() async throws {
        let clock = TestClock()
        try await LiveFleet.with(count: 1, password: goodPassword, clock: clock) { live in
            let device = live.devices[0]
            let qr = temporaryDirectory() + "/support.png"
            let export = try await live.reclaim(["export-qr", "--device", device.identity.serial.text, "--out", qr])
            #expect(export.status == 0, "\(export.errors)")
            let text = export.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(FileManager.default.fileExists(atPath: qr))

            let serial = device.identity.serial
            let made = Int(serial.manufactureDate)!
            let legacy = LegacySerialDateCode.compute(serial: serial.text, year: made / 10000, month: made / 100 % 100, day: made % 100)
            let refused = try await forgot(live, device, ["--key", legacy])
            #expect(refused.status != 0)
            #expect(refused.errors.contains("14 characters"))

            let key = try TestAuthority.authority.resetKey(for: try TestAuthority.open(text, device: device, now: clock.now))
            let run = try await forgot(live, device, ["--key", key.description])
            #expect(run.status == 0, "\(run.errors)")
            try await device.verifyPassword(newPassword, source: "t")
            let reused = try await forgot(live, device, ["--key", key.description])
            #expect(reused.errors.contains("No challenge is waiting"))
        }
    }

    @Test func withASupportResetFile() async throws {
        let clock = TestClock()
        try await LiveFleet.with(count: 1, password: goodPassword, clock: clock) { live in
            let device = live.devices[0]
            let export = try await live.reclaim([
                "export-qr", "--device", device.identity.serial.text, "--out", temporaryDirectory() + "/q.png",
            ])
            let opened = try TestAuthority.open(
                export.output.trimmingCharacters(in: .whitespacesAndNewlines), device: device, now: clock.now)
            let file = try TestAuthority.authority.resetFile(for: opened, caseID: "RC-77", now: clock.now)
            let run = try await forgot(live, device, ["--file", temporaryFile(file.xml, name: "reset.xml")])
            #expect(run.status == 0, "\(run.errors)")
            try await device.verifyPassword(newPassword, source: "t")
        }
    }

    @Test func withTheReservedEmailCode() async throws {
        let clock = TestClock()
        try await LiveFleet.with(count: 1, password: goodPassword, clock: clock) { live in
            let device = live.devices[0]
            let set = try await live.reclaim(
                [
                    "email", "set", "--device", device.identity.serial.text, "--address", "owner@example.org", "--password-file",
                    temporaryFile(goodPassword),
                ])
            #expect(set.status == 0, "\(set.errors)")
            // The tool exports the QR code and waits for the code; the authority answers it.
            let pending = try await device.issueChallenge(purpose: .reservedEmail, source: "elsewhere")
            _ = pending
            let qr = try await live.reclaim([
                "export-qr", "--device", device.identity.serial.text, "--purpose", "email", "--out", temporaryDirectory() + "/e.png",
            ])
            let opened = try TestAuthority.open(qr.output.trimmingCharacters(in: .whitespacesAndNewlines), device: device, now: clock.now)
            #expect(opened.content.reservedEmail == "owner@example.org")
            let code = try TestAuthority.authority.verificationCode(for: opened)
            let run = try await forgot(live, device, ["--email"], input: code.description + "\n")
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("RC1:"), "the QR code's text is printed for the user to hand on")
            try await device.verifyPassword(newPassword, source: "t")
        }
    }

    @Test func aWeakNewPasswordIsRefusedBeforeAnythingIsSent() async throws {
        try await LiveFleet.with(count: 1, password: goodPassword) { live in
            let device = live.devices[0]
            let run = try await live.reclaim(
                [
                    "forgot", "--device", device.identity.serial.text, "--key", "AAAA-AAAA-AAAA-AA", "--new-password-file",
                    temporaryFile("password1\n"),
                ])
            #expect(run.status != 0)
            #expect(run.errors.contains("common passwords"))
            #expect(await device.attemptsLeft(for: "127.0.0.1") == 5, "nothing reached the device")
        }
    }
}

@Suite(.enabled(if: insideNetworkNamespace, "needs multicast on loopback: run in a network namespace (scripts/test does)"), .serialized)
struct NetworkSettingsThroughTheLANToolTests {
    @Test func aDeviceGivenANewAddressMovesThereAndAnswersFromIt() async throws {
        try await LiveFleet.with(count: 2, password: goodPassword) { live in
            let device = live.devices[0]
            let newAddress = live.fleet.members[0].host.replacingOccurrences(of: ".1", with: ".77", options: .backwards)
            let set = try await live.reclaim(
                [
                    "network", "set", "--device", device.identity.serial.text, "--ipv4", newAddress, "--mask", "255.0.0.0",
                    "--password-file", temporaryFile(goodPassword),
                ])
            #expect(set.status == 0, "\(set.errors)")
            try await Task.sleep(for: .milliseconds(600))
            let scan = try await live.reclaim(["scan", "--json"])
            let found = try JSONDecoder().decode([DeviceAnnouncement].self, from: Data(scan.output.utf8))
            #expect(found.first { $0.mac == device.identity.mac }?.ipv4Address == newAddress)
            // Its web page and API moved too.
            let reply = try await HTTPForTests.get("http://\(newAddress):\(live.fleet.members[0].port)/SDK/activateStatus")
            #expect(reply.contains("<Activated>true</Activated>"))

            let refused = try await live.reclaim(
                [
                    "network", "set", "--device", device.identity.serial.text, "--ipv4", "192.0.2.10", "--password-file",
                    temporaryFile(goodPassword),
                ])
            #expect(refused.status != 0)
            #expect(refused.errors.contains("not an address this machine has"))
        }
    }
}
