import ArgumentParser
import AsyncHTTPClient
import Crypto
import DeviceAgent
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Platform
import ReclaimCore
import SQLKit
import ServiceLifecycle

/// A platform on a temporary data folder, with one enrolled device whose keys the
/// benchmark holds, so it can make as many genuine challenges as it needs.
struct BenchPlatform {
    let services: PlatformServices
    let deviceKeys: DeviceKeys
    let serial: SerialNumber
    let model = DeviceModel.catalogue[0]

    static func make(databaseURL: String?, port: Int = 0) async throws -> BenchPlatform {
        let folder = NSTemporaryDirectory() + "reclaim-bench-platform-\(UUID().uuidString.prefix(8))"
        var settings = ServerSettings(dataDirectory: folder)
        if let databaseURL { settings.databaseURL = databaseURL }
        settings.lightPasswordHashing = true
        settings.port = port
        let services = try await PlatformServices.open(settings: settings, logger: quietLogger)
        let identity = Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: services.authority.bundle)
        _ = try await services.authority.enroll([identity.enrollment!], actor: .system)
        return BenchPlatform(services: services, deviceKeys: identity.keys, serial: identity.serial)
    }

    func challenge() throws -> String {
        let content = ChallengeContent.make(purpose: .supportCase, serial: serial, model: model.name, now: Date(), lifetime: 3600)
        return try Challenge.seal(content, deviceKeys: deviceKeys, authority: services.authority.bundle)
    }
}

struct AuthorityThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authority",
        abstract: "Reset keys plus reset files issued per second, against raw Ed25519 signatures per second.")

    @Option(help: "Rounds.") var rounds = 5
    @Option(help: "Seconds per measurement.") var seconds = 1.0

    func run() async throws {
        let platform = try await BenchPlatform.make(databaseURL: nil)
        let authority = platform.services.authority
        // Challenges are opened beforehand: the figure is about issuing.
        var opened: [OpenedChallenge] = []
        for _ in 0..<64 { opened.append(try await authority.open(try platform.challenge())) }
        let signingKey = Curve25519.Signing.PrivateKey()
        let message = Array(repeating: UInt8(7), count: 96)

        func rate(_ body: () async throws -> Int) async rethrows -> Double {
            let start = ContinuousClock.now
            var done = 0
            while ContinuousClock.now - start < .seconds(seconds) { done += try await body() }
            let elapsed = ContinuousClock.now - start
            return Double(done) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }

        var signatures: [Double] = []
        var core: [Double] = []
        var recorded: [Double] = []
        var index = 0
        for round in 0...rounds {
            let sign = try await rate {
                _ = try signingKey.signature(for: message)
                return 1
            }
            let issued = try await rate {
                let challenge = opened[index % opened.count]
                index += 1
                _ = try authority.core.resetKey(for: challenge)
                _ = try authority.core.resetFile(for: challenge, caseID: "bench", now: Date()).xml
                return 2
            }
            let stored = try await rate {
                let challenge = opened[index % opened.count]
                index += 1
                let request = RecoveryAuthority.Request(actor: .system, reason: "benchmark", caseID: "bench")
                _ = try await authority.issueResetKey(for: challenge, request: request)
                _ = try await authority.issueResetFile(for: challenge, request: request).xml
                return 2
            }
            guard round > 0 else { continue }  // the first round warms up
            signatures.append(sign)
            core.append(issued)
            recorded.append(stored)
            print(
                String(
                    format: "round %d: Ed25519 %.0f/s, issued %.0f/s (ratio %.2f), issued and recorded in SQLite %.0f/s (ratio %.3f)",
                    round, sign, issued, issued / sign, stored, stored / sign))
        }
        let ratios = zip(core, signatures).map { $0 / $1 }
        let storedRatios = zip(recorded, signatures).map { $0 / $1 }
        print(String(format: "median Ed25519 signatures: %.0f/s", median(signatures)))
        print(String(format: "median reset keys + files issued: %.0f/s, ratio %.2f (goal ≥ 0.5)", median(core), median(ratios)))
        print(
            String(
                format: "median issued with issuance record and audit entry (SQLite): %.0f/s, ratio %.3f", median(recorded),
                median(storedRatios)))
        await platform.services.close()
    }
}

struct APILatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-latency",
        abstract: "p99 latency of the JSON API at a fixed request rate, against a bare Hummingbird route at the same rate.")

    @Option(help: "Requests per second.") var rate = 200
    @Option(help: "Seconds per measurement.") var seconds = 10.0
    @Option(help: "Rounds.") var rounds = 3
    @Option(help: "postgres://… to measure PostgreSQL as well as SQLite.") var postgres: String?

    func run() async throws {
        let baseline = try await Self.measureBaseline(rate: rate, seconds: seconds, rounds: rounds)
        print(String(format: "bare Hummingbird route: p50 %.2f ms, p99 %.2f ms", baseline.p50, baseline.p99))
        var databases: [(String, String?)] = [("SQLite", nil)]
        if let postgres { databases.append(("PostgreSQL", postgres)) }
        for (name, url) in databases {
            let platform = try await BenchPlatform.make(databaseURL: url.map(Self.freshDatabase))
            let figures = try await Self.measurePlatform(platform, rate: rate, seconds: seconds, rounds: rounds)
            print(
                String(
                    format: "%@: p50 %.2f ms, p99 %.2f ms (p99 ratio to the bare route %.1f), %d errors", name, figures.p50, figures.p99,
                    figures.p99 / baseline.p99, figures.errors))
            await platform.services.close()
        }
    }

    /// A new database on the same server, so every run starts empty.
    static func freshDatabase(_ url: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/reclaim_bench_" + Bytes.hex(Bytes.random(count: 4))
        let name = String(components.path.dropFirst())
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            let admin = try await Database.open(url: url, logger: quietLogger)
            try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            await admin.close()
            semaphore.signal()
        }
        semaphore.wait()
        return components.string!
    }

    struct Figures {
        var p50: Double
        var p99: Double
        var errors: Int
    }

    static func measureBaseline(rate: Int, seconds: Double, rounds: Int) async throws -> Figures {
        let router = Router()
        router.get("/api/v1/me") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"email":"a@example.com","id":"x","name":"A","role":"reviewer"}"#)))
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: quietLogger)
        return try await serving(app, port: stream) { port in
            try await openLoop(url: "http://127.0.0.1:\(port)", token: "none", challenge: nil, rate: rate, seconds: seconds, rounds: rounds)
        }
    }

    static func measurePlatform(_ platform: BenchPlatform, rate: Int, seconds: Double, rounds: Int) async throws -> Figures {
        let reviewer = try await platform.services.accounts.create(
            email: "reviewer@example.com", name: "R", role: .reviewer, password: "correct horse battery staple", confirmed: true,
            actor: .system)
        let token = try await platform.services.accounts.createToken(for: reviewer, name: "bench")
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let (router, _) = buildPlatformRouter(services: platform.services)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: quietLogger)
        let challenge = try platform.challenge()
        return try await serving(app, port: stream) { port in
            try await openLoop(
                url: "http://127.0.0.1:\(port)", token: token, challenge: challenge, rate: rate, seconds: seconds, rounds: rounds)
        }
    }

    static func serving<A: ApplicationProtocol>(_ app: A, port: AsyncStream<Int>, _ body: @escaping @Sendable (Int) async throws -> Figures)
        async throws -> Figures
    {
        let group = ServiceGroup(configuration: .init(services: [app], logger: quietLogger))
        return try await withThrowingTaskGroup(of: Figures?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var bound = 0
            for await value in port {
                bound = value
                break
            }
            let figures = try await body(bound)
            await group.triggerGracefulShutdown()
            var result = figures
            for try await value in tasks { if let value { result = value } }
            return result
        }
    }

    /// Sends requests on a fixed schedule, whether or not earlier ones were answered, and
    /// times each from when it was due (so a slow server cannot hide its queue). Nine in
    /// ten read the signed-in account (`GET /api/v1/me`: token lookup and update); one in
    /// ten issues a reset key (`POST /api/v1/authority/reset-keys`: open, issue, record).
    static func openLoop(url: String, token: String, challenge: String?, rate: Int, seconds: Double, rounds: Int) async throws -> Figures {
        var p50s: [Double] = []
        var p99s: [Double] = []
        var errors = 0
        let client = HTTPClient(
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        for round in 0...rounds {
            let latencies = NIOLockedValueBox([Double]())
            let failures = NIOLockedValueBox(0)
            let count = Int(Double(rate) * (round == 0 ? 2 : seconds))
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for index in 0..<count {
                    let due = start + .nanoseconds(Int64(1e9 / Double(rate)) * Int64(index))
                    try await Task.sleep(until: due, clock: .continuous)
                    tasks.addTask {
                        var request: HTTPClientRequest
                        if let challenge, index % 10 == 9 {
                            request = HTTPClientRequest(url: url + "/api/v1/authority/reset-keys")
                            request.method = .POST
                            request.body = .bytes(ByteBuffer(string: #"{"challenge":"\#(challenge)","reason":"benchmark"}"#))
                        } else {
                            request = HTTPClientRequest(url: url + "/api/v1/me")
                        }
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        do {
                            let response = try await client.execute(request, timeout: .seconds(10))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            if response.status.code >= 300 { failures.withLockedValue { $0 += 1 } }
                        } catch {
                            failures.withLockedValue { $0 += 1 }
                        }
                        let elapsed = ContinuousClock.now - due
                        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                        latencies.withLockedValue { $0.append(ms) }
                    }
                }
                try await tasks.waitForAll()
            }
            guard round > 0 else { continue }
            let sorted = latencies.withLockedValue { $0 }.sorted()
            p50s.append(sorted[sorted.count / 2])
            p99s.append(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))])
            errors += failures.withLockedValue { $0 }
        }
        try await client.shutdown()
        return Figures(p50: median(p50s), p99: median(p99s), errors: errors)
    }
}
