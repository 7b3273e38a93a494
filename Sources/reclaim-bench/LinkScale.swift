import ArgumentParser
import DeviceAgent
import Foundation
import Hummingbird
import Platform
import ReclaimCore
import ServiceLifecycle

/// Cloud links at scale: one platform instance (this process) holding the links of a
/// farm (another process). Memory per link, CPU at idle, and the time from approving a
/// command to the device's acknowledgement, against the same round trip with only the
/// sampled devices linked.
struct LinkScale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links", abstract: "N cloud links on one platform: memory per link, CPU at idle, approval → acknowledgement.")

    @Option(help: "Devices in the farm, each with a link.") var count = 10_000
    @Option(help: "Commands timed in each phase.") var samples = 200
    @Option(help: "The platform's HTTP port.") var port = 47_900
    @Option(help: "Seconds of idle CPU measured.") var idleSeconds = 20.0
    @Option(help: "Devices per farm process (two sockets each, under the open-files limit).") var perProcess = 4_000

    func run() async throws {
        let platform = try await BenchPlatform.make(databaseURL: nil, port: port)
        let services = platform.services
        let app = buildPlatformApplication(services: services)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        let base = "http://127.0.0.1:\(port)"
        try await Task.sleep(for: .seconds(1))

        // The farm's devices, made once and enrolled; each run of the farm then links at once.
        let folder = NSTemporaryDirectory() + "reclaim-bench-links-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let passwordFile = folder + "/password"
        try "Tr4mvia-Nord-26\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let bundleFile = folder + "/bundle.json"
        try JSONEncoder.reclaim.encode(services.authority.bundle).write(to: URL(fileURLWithPath: bundleFile))
        // A device holds two sockets (its HTTP listener and its link); the farm is split into
        // processes of at most `perProcess` devices so none passes the open-files limit.
        let parts = stride(from: 0, to: count, by: perProcess).map { min(perProcess, count - $0) }
        func farm(_ part: Int, _ devices: Int, linked: Bool) async throws -> Process {
            var arguments = [
                "--count", String(devices), "--first-address", "127.\(2 + part).0.1", "--http-port", String(port + 1),
                "--data", folder + "/farm-\(part)", "--activated-password-file", passwordFile, "--hash-cost", "light", "--no-discovery",
                "--authority-bundle", bundleFile,
            ]
            if linked { arguments += ["--platform", base] }
            return try await launchFarm(arguments).process
        }
        func wholeFarm(linked: Bool) async throws -> [Process] {
            var processes: [Process] = []
            for (part, devices) in parts.enumerated() { processes.append(try await farm(part, devices, linked: linked)) }
            return processes
        }
        func stop(_ processes: [Process]) {
            for process in processes { process.terminate() }
            for process in processes { process.waitUntilExit() }
        }
        stop(try await wholeFarm(linked: false))
        var records: [DeviceEnrollment] = []
        for part in parts.indices {
            records += try JSONDecoder().decode(
                [DeviceEnrollment].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/farm-\(part)/enrollments.json")))
        }
        for start in stride(from: 0, to: records.count, by: 1000) {
            _ = try await services.authority.enroll(Array(records[start..<min(start + 1000, records.count)]), actor: .system)
        }
        let sampled = Array(records.prefix(min(samples, parts[0])))
        print("reclaim-bench links: \(count) devices enrolled; \(samples) commands timed per phase")

        func waitForLinks(_ wanted: Int, within seconds: Double) async throws -> Double {
            let start = ContinuousClock.now
            while await services.links.count != wanted {
                guard ContinuousClock.now - start < .seconds(seconds) else {
                    throw ValidationError("only \(await services.links.count) of \(wanted) links after \(seconds) s")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            return Double((ContinuousClock.now - start).components.seconds)
                + Double((ContinuousClock.now - start).components.attoseconds) / 1e18
        }

        // Approval → acknowledgement, one command at a time, each a new sealed password.
        func roundTrips() async throws -> [Double] {
            let outcomes = await services.links.outcomes()
            var iterator = outcomes.makeAsyncIterator()
            var times: [Double] = []
            for (index, record) in sampled.enumerated() {
                let sealed = try SealedPassword.seal(String(format: "Bench-Pass-%04dx", index), for: record)
                let start = ContinuousClock.now
                let sent = try await services.links.send(
                    .setAdminPassword(sealed), to: record.serial, requestID: "bench", validity: 60, actor: .system)
                while let outcome = await iterator.next(), outcome.id != sent.id {}
                times.append(milliseconds(ContinuousClock.now - start))
            }
            return times
        }

        // Baseline: only the sampled devices linked.
        // The first part's first devices are the sampled ones.
        let small = try await farm(0, min(samples, parts[0]), linked: true)
        _ = try await waitForLinks(min(samples, parts[0]), within: 60)
        let baseline = try await roundTrips().sorted()
        stop([small])
        _ = try await waitForLinks(0, within: 60)

        // The whole farm.
        let before = residentKB()
        let full = try await wholeFarm(linked: true)
        defer { for process in full { process.terminate() } }
        let linkSeconds = try await waitForLinks(count, within: 600)
        try await Task.sleep(for: .seconds(3))
        let after = residentKB()
        let idleStart = cpuSeconds()
        try await Task.sleep(for: .seconds(idleSeconds))
        let idle = (cpuSeconds() - idleStart) / idleSeconds * 100
        let loaded = try await roundTrips().sorted()
        stop(full)

        func p99(_ values: [Double]) -> Double { values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * 0.99))] }
        print(String(format: "all %d linked in %.1f s", count, linkSeconds))
        print(
            String(
                format: "memory: %.1f KiB per link (resident %d → %d KiB)", Double(after - before) / Double(count), before, after))
        print(String(format: "CPU at idle with %d links: %.1f%% of one core (heartbeats every 25 s)", count, idle))
        print(
            String(
                format: "approval → acknowledgement with %d links: p50 %.1f ms, p99 %.1f ms (goal p99 ≤ 100 ms)", samples,
                median(baseline), p99(baseline)))
        print(
            String(
                format: "approval → acknowledgement with %d links: p50 %.1f ms, p99 %.1f ms (%.2f× / %.2f× the baseline)", count,
                median(loaded), p99(loaded), median(loaded) / max(0.001, median(baseline)), p99(loaded) / max(0.001, p99(baseline))))
        await services.close()
    }

    func residentKB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap {
            Int($0.split(separator: " ").dropFirst().first ?? "")
        }
            ?? 0
    }

    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
