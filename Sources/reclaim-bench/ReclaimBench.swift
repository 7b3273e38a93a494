import ArgumentParser
import DeviceAgent
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ReclaimCore
import SADP
import ServiceLifecycle

/// Reclaim's benchmarks. Each figure is measured against a baseline taken in the same
/// run, over several rounds, and reported as a median: machines here are shared and
/// noisy, so ratios and medians are what can be compared across runs.
@main
struct ReclaimBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim-bench", abstract: "Reclaim's benchmarks.",
        subcommands: [
            HTTPThroughput.self, FarmFootprint.self, DiscoveryTime.self, Load.self, AuthorityThroughput.self, APILatency.self,
            UploadPressure.self, LabelReading.self, CaseLatency.self, LinkScale.self,
        ])
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

var quietLogger: Logger {
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    return logger
}

/// The directory of this binary, where the other products of the build are.
var binaryDirectory: URL { URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent() }

struct HTTPThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Authenticated GET /ISAPI/System/deviceInfo on a device, against a bare Hummingbird route serving the same bytes.")

    @Option(help: "Rounds; each measures both servers.") var rounds = 5
    @Option(help: "Seconds per measurement.") var seconds = 5.0
    @Option(help: "Concurrent keep-alive connections.") var connections = 16

    func run() async throws {
        let password = "Tr4mvia-Nord"
        let folder = NSTemporaryDirectory() + "reclaim-bench-\(UUID().uuidString.prefix(8))"
        let store = DeviceStore(directory: folder)
        try store.create(Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: nil))
        let device = try Device.open(store: store, configuration: DeviceConfiguration(hashCost: .light), logger: quietLogger)
        try await device.activate(password: password, source: "bench")
        let document = await device.deviceInfoDocument()

        // The baseline: the same response bytes from a plain Hummingbird application.
        let router = Router()
        router.get("/ISAPI/System/deviceInfo") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/xml; charset=\"UTF-8\""],
                body: .init(byteBuffer: ByteBuffer(string: document)))
        }
        let (barePorts, bareReady) = AsyncStream<Int>.makeStream()
        let bare = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { bareReady.yield($0.localAddress?.port ?? 0) }, logger: quietLogger)
        let (devicePorts, deviceReady) = AsyncStream<Int>.makeStream()
        var services: [any Service] = [bare]
        services += try DeviceHTTPServer(logger: quietLogger).services(for: [.init(device: device, host: "127.0.0.1", port: 0)]) {
            deviceReady.yield($1?.port ?? 0)
        }
        let group = ServiceGroup(configuration: .init(services: services, logger: quietLogger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var bareIterator = barePorts.makeAsyncIterator()
            var deviceIterator = devicePorts.makeAsyncIterator()
            let barePort = await bareIterator.next() ?? 0
            let devicePort = await deviceIterator.next() ?? 0

            print("reclaim-bench http: \(rounds) rounds × \(seconds) s, \(connections) connections, load from a separate process")
            // A discarded warm-up of each, so the first round doesn't pay for first allocations.
            _ = try await measure(port: barePort, password: nil, seconds: 1)
            _ = try await measure(port: devicePort, password: password, seconds: 1)
            var ratios: [Double] = [], bareRates: [Double] = [], deviceRates: [Double] = []
            for round in 1...rounds {
                // Alternate which goes first, so drift in the machine's load favours neither.
                let order = round % 2 == 1 ? [false, true] : [true, false]
                var rates: [Bool: Double] = [:]
                for isDevice in order {
                    rates[isDevice] = try await measure(port: isDevice ? devicePort : barePort, password: isDevice ? password : nil)
                }
                let ratio = rates[true]! / rates[false]!
                ratios.append(ratio)
                bareRates.append(rates[false]!)
                deviceRates.append(rates[true]!)
                print(
                    String(
                        format: "round %d: bare %.0f req/s, device (Digest) %.0f req/s, ratio %.3f", round, rates[false]!, rates[true]!,
                        ratio))
            }
            print(
                String(
                    format: "median: bare %.0f req/s, device %.0f req/s, ratio %.3f (goal ≥ 0.7)", median(bareRates), median(deviceRates),
                    median(ratios)))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    func measure(port: Int, password: String?, seconds: Double? = nil) async throws -> Double {
        let seconds = seconds ?? self.seconds
        var arguments = ["load", "--port", String(port), "--seconds", String(seconds), "--connections", String(connections)]
        if let password { arguments += ["--password", password] }
        let output = try await runChild(binaryDirectory.appendingPathComponent("reclaim-bench").path, arguments)
        let parts = output.split(separator: " ")
        guard parts.count >= 4, parts[0] == "completed", let completed = Double(parts[1]), let failed = Int(parts[3]), failed == 0 else {
            throw ValidationError("load client failed: \(output)")
        }
        return completed / seconds
    }
}

/// Starts `reclaim-device farm` with `arguments` and waits for its ready line; returns
/// the process and the seconds it took.
func launchFarm(_ arguments: [String]) async throws -> (process: Process, seconds: Double) {
    let process = Process()
    process.executableURL = binaryDirectory.appendingPathComponent("reclaim-device")
    process.arguments = ["farm"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    let errors = Pipe()
    process.standardError = errors
    let started = Date()
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = pipe.fileHandleForReading.availableData
        guard !chunk.isEmpty else {
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw ValidationError("the farm exited before it was ready: \(said.suffix(500))")
        }
        line.append(chunk)
    }
    guard String(decoding: line, as: UTF8.self).contains("farm ready") else {
        throw ValidationError("unexpected: \(String(decoding: line, as: UTF8.self))")
    }
    // What the farm logs from now on is drained, so its writes never block.
    Thread.detachNewThread { while !errors.fileHandleForReading.availableData.isEmpty {} }
    return (process, Date().timeIntervalSince(started))
}

/// Runs a child process to its end and returns its standard output.
func runChild(_ path: String, _ arguments: [String]) async throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The load generator (run by `http` in its own process).", shouldDisplay: false)

    @Option var host = "127.0.0.1"
    @Option var port: Int
    @Option var path = "/ISAPI/System/deviceInfo"
    @Option var password: String?
    @Option var connections = 16
    @Option var seconds = 5.0

    func run() throws {
        let result = try LoadClient.run(host: host, port: port, path: path, password: password, connections: connections, seconds: seconds)
        print("completed \(result.completed) failed \(result.failed)")
    }
}

struct FarmFootprint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm", abstract: "A farm's resident memory per device and its time until ready, against a farm of one.")

    @Option(help: "Devices in the farm.") var count = 1000
    @Option(help: "Rounds.") var rounds = 3
    @Option(help: "HTTP port of the farm's devices.") var httpPort = 18700

    func run() async throws {
        let passwordFile = NSTemporaryDirectory() + "reclaim-bench-password"
        try "Lab-Farm-2026-Qx\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        print("reclaim-bench farm: \(count) devices against 1, \(rounds) rounds, activated from a password file")
        var perDevice: [Double] = [], cold: [Double] = [], warm: [Double] = []
        for round in 1...rounds {
            let folder = NSTemporaryDirectory() + "reclaim-bench-farm-\(UUID().uuidString.prefix(8))"
            let one = try await start(count: 1, folder: folder + "-one", passwordFile: passwordFile)
            let many = try await start(count: count, folder: folder, passwordFile: passwordFile)
            let again = try await start(count: count, folder: folder, passwordFile: passwordFile)
            let kilobytes = Double(many.residentKB - one.residentKB) / Double(count - 1)
            perDevice.append(kilobytes)
            cold.append(many.seconds)
            warm.append(again.seconds)
            print(
                String(
                    format:
                        "round %d: RSS %d KB for 1 device, %d KB for %d: %.1f KB per device; ready after %.2f s (new), %.2f s (restart)",
                    round, one.residentKB, many.residentKB, count, kilobytes, many.seconds, again.seconds))
            for path in [folder, folder + "-one"] { try? FileManager.default.removeItem(atPath: path) }
        }
        print(
            String(
                format: "median: %.1f KB per device (goal ≤ 150), ready after %.2f s new, %.2f s restarted (goal ≤ 3)",
                median(perDevice), median(cold), median(warm)))
    }

    struct Sample {
        let seconds: Double
        let residentKB: Int
    }

    /// Starts a farm, times it until its ready line, reads its resident memory once it settled, stops it.
    func start(count: Int, folder: String, passwordFile: String) async throws -> Sample {
        let (process, seconds) = try await launchFarm([
            "--count", String(count), "--first-address", "127.1.0.1", "--http-port", String(httpPort), "--data", folder,
            "--activated-password-file", passwordFile,
        ])
        try await Task.sleep(for: .seconds(1))
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let rss =
            status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
            ?? 0
        process.terminate()
        process.waitUntilExit()
        return Sample(seconds: seconds, residentKB: rss)
    }
}

struct DiscoveryTime: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discovery",
        abstract: "Time to discover every device of a farm over SADP multicast, against a farm of one.",
        discussion: "Needs multicast on loopback: scripts/bench runs it in a private network namespace.")

    @Option(help: "Devices in the farm.") var count = 1000
    @Option(help: "Rounds.") var rounds = 10
    @Option(help: "Seconds each round listens.") var listen = 2.0

    func run() async throws {
        print("reclaim-bench discovery: \(count) devices against 1, \(rounds) rounds, each listening \(listen) s")
        var completion: [Double] = [], missedCounts: [Int] = [], baseline: [Double] = []
        let many = try await runFarm(count: count, port: 37120, first: "127.1.0.1")
        let one = try await runFarm(count: 1, port: 37121, first: "127.9.0.1")
        defer {
            for farm in [many, one] {
                farm.terminate()
                farm.waitUntilExit()
            }
        }
        for round in 1...rounds {
            let (single, _) = try await discover(port: 37121, expecting: 1)
            let (complete, found) = try await discover(port: 37120, expecting: count)
            let missed = count - found
            baseline.append(single ?? listen)
            completion.append(complete ?? listen)
            missedCounts.append(missed)
            print(
                String(
                    format: "round %d: 1 device in %.3f s; %d of %d in %@ (%d missed)", round, single ?? listen, found, count,
                    complete.map { String(format: "%.3f s", $0) } ?? "not all", missed))
        }
        print(
            String(
                format: "median: all %d in %.3f s (goal ≤ 1), 1 device in %.3f s, ratio %.1f; missed %d in total over %d rounds (goal 0)",
                count, median(completion), median(baseline), median(completion) / max(median(baseline), 0.001), missedCounts.reduce(0, +),
                rounds))
    }

    /// Seconds until the `expecting`-th device answered (nil if not all did), and how many did.
    func discover(port: Int, expecting: Int) async throws -> (Double?, Int) {
        let started = ContinuousClock.now
        let completed = NIOLockedValueBox<Duration?>(nil)
        let seen = NIOLockedValueBox(0)
        let found = try await SADPClient.withClient(.init(interface: "127.0.0.1", port: port)) { client in
            try await client.discover(timeout: .milliseconds(Int(listen * 1000))) { _ in
                let total = seen.withLockedValue { value -> Int in
                    value += 1
                    return value
                }
                if total == expecting { completed.withLockedValue { $0 = ContinuousClock.now - started } }
            }
        }
        let seconds = completed.withLockedValue { $0 }.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        return (seconds, found.count)
    }

    func runFarm(count: Int, port: Int, first: String) async throws -> Process {
        let folder = NSTemporaryDirectory() + "reclaim-bench-discovery-\(UUID().uuidString.prefix(8))"
        return try await launchFarm([
            "--count", String(count), "--first-address", first, "--http-port", "18800", "--data", folder, "--sadp-port", String(port),
            "--hash-cost", "light",
        ]).process
    }
}
