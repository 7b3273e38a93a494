import ArgumentParser
import AsyncHTTPClient
import CImageScan
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Platform

/// What anyone may send the public recovery endpoint — large photos, many at once — must
/// not slow the rest of the server: `/health` latency while 32 clients upload
/// 6,000 × 6,000 photos, against `/health` alone, in the same run. Each client uploads again
/// as soon as it is answered, unless told "busy" (429), as a well-behaved client would.
struct UploadPressure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uploads",
        abstract: "/health p50/p99 while N clients upload large photos to POST /api/v1/recovery/email, against /health alone.")

    @Option(help: "Rounds; each measures /health alone, then under uploads.") var rounds = 3
    @Option(help: "Seconds per measurement.") var seconds = 8.0
    @Option(help: "Clients uploading at once.") var uploads = 32
    @Option(help: "Width and height of each photo, in pixels.") var side = 6000
    @Option(help: "/health requests per second.") var rate = 50

    func run() async throws {
        let photo = Self.photo(side: side)
        print(
            "reclaim-bench uploads: \(rounds) rounds × \(seconds) s, /health at \(rate)/s, \(uploads) clients uploading \(side)×\(side) JPEG photos of \(photo.count / 1024) KiB"
        )
        let folder = NSTemporaryDirectory() + "reclaim-bench-uploads-\(UUID().uuidString.prefix(8))"
        var settings = ServerSettings(dataDirectory: folder)
        settings.lightPasswordHashing = true
        settings.port = 0
        settings.emailRecoveryPerSource = 1_000_000
        let services = try await PlatformServices.open(settings: settings, logger: quietLogger)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let (router, _) = buildPlatformRouter(services: services)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: quietLogger)
        let baseline = Self.residentKiB()
        let figures = try await APILatency.serving(app, port: stream) { port in
            let url = "http://127.0.0.1:\(port)"
            var alone: [(Double, Double)] = []
            var pressed: [(Double, Double)] = []
            var answers: [UInt: Int] = [:]
            var peak = baseline
            for round in 1...rounds {
                alone.append(try await Self.health(url, rate: rate, seconds: seconds))
                let (health, statuses, roundPeak) = try await Self.underUploads(
                    url, photo: photo, clients: uploads, rate: rate, seconds: seconds)
                pressed.append(health)
                statuses.forEach { answers[$0.key, default: 0] += $0.value }
                peak = max(peak, roundPeak)
                print(
                    String(
                        format: "round %d: /health alone p50 %.2f ms p99 %.2f ms; under uploads p50 %.2f ms p99 %.2f ms", round,
                        alone.last!.0,
                        alone.last!.1, health.0, health.1))
            }
            print(
                String(
                    format: "median: /health alone p99 %.2f ms; under %d uploads p99 %.2f ms (goal ≤ 100 ms); p50 %.2f → %.2f ms",
                    median(alone.map(\.1)), uploads, median(pressed.map(\.1)), median(alone.map(\.0)), median(pressed.map(\.0))))
            print("upload answers: " + answers.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }.joined(separator: ", "))
            print("resident memory: \(baseline / 1024) MiB before, \(peak / 1024) MiB at the peak (the uploading clients included)")
            return APILatency.Figures(p50: 0, p99: 0, errors: 0)
        }
        _ = figures
        await services.close()
    }

    /// /health at a fixed rate for `seconds`: p50 and p99 in milliseconds.
    static func health(_ url: String, rate: Int, seconds: Double) async throws -> (Double, Double) {
        let client = HTTPClient(configuration: .init(connectionPool: .init(idleTimeout: .seconds(30))))
        defer { Task { try? await client.shutdown() } }
        let latencies = NIOLockedValueBox([Double]())
        let start = ContinuousClock.now
        let count = Int(Double(rate) * seconds)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for index in 0..<count {
                let due = start + .nanoseconds(Int64(1e9 / Double(rate)) * Int64(index))
                try await Task.sleep(until: due, clock: .continuous)
                tasks.addTask {
                    let response = try? await client.execute(HTTPClientRequest(url: url + "/health"), timeout: .seconds(10))
                    _ = try? await response?.body.collect(upTo: 1 << 16)
                    let elapsed = ContinuousClock.now - due
                    latencies.withLockedValue {
                        $0.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let sorted = latencies.withLockedValue { $0 }.sorted()
        return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))])
    }

    /// /health measured while `clients` upload `photo` over and over; also the answers the
    /// uploads got and the peak resident memory in KiB.
    static func underUploads(_ url: String, photo: [UInt8], clients: Int, rate: Int, seconds: Double) async throws
        -> ((Double, Double), [UInt: Int], Int)
    {
        let boundary = "benchboundary"
        var body = Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                .utf8)
        body += photo
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        let form = body
        let statuses = NIOLockedValueBox([UInt: Int]())
        let peak = NIOLockedValueBox(residentKiB())
        let client = HTTPClient(
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)))
        let deadline = ContinuousClock.now + .seconds(seconds)
        let healthFigures = try await withThrowingTaskGroup(of: (Double, Double)?.self) { tasks in
            for _ in 0..<clients {
                tasks.addTask {
                    while ContinuousClock.now < deadline {
                        var request = HTTPClientRequest(url: url + "/api/v1/recovery/email")
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
                        request.body = .bytes(ByteBuffer(bytes: form))
                        let response = try? await client.execute(request, timeout: .seconds(120))
                        _ = try? await response?.body.collect(upTo: 1 << 16)
                        let status = response?.status.code ?? 0
                        statuses.withLockedValue { $0[status, default: 0] += 1 }
                        // As a client should: told to come back later, it does not come back in this round.
                        if status == 429 { try? await Task.sleep(until: deadline, clock: .continuous) }
                    }
                    return nil
                }
            }
            tasks.addTask {
                while ContinuousClock.now < deadline {
                    let now = residentKiB()
                    peak.withLockedValue { $0 = max($0, now) }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return nil
            }
            tasks.addTask { try await Self.health(url, rate: rate, seconds: seconds) }
            var result = (0.0, 0.0)
            for try await value in tasks { if let value { result = value } }
            return result
        }
        try await client.shutdown()
        return (healthFigures, statuses.withLockedValue { $0 }, peak.withLockedValue { $0 })
    }

    /// A grey photo-like picture (gradients and a grid, so it compresses like a photo of a
    /// label, not like a blank page), as a JPEG of quality 85.
    static func photo(side: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let grid = (x / 37 + y / 41) % 2 == 0 ? 40 : 0
                pixels[y * side + x] = UInt8(truncatingIfNeeded: (x * 255 / side + y * 97 / side + grid + (x ^ y) % 13))
            }
        }
        guard let handle = tjInitCompress() else { return [] }
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let result = pixels.withUnsafeBufferPointer {
            tjCompress2(
                handle, $0.baseAddress, Int32(side), 0, Int32(side), Int32(TJPF_GRAY.rawValue), &output, &size,
                Int32(TJSAMP_GRAY.rawValue), 85, 0)
        }
        guard result == 0, let output else { return [] }
        defer { tjFree(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    /// This process's resident memory, in KiB.
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
