import ArgumentParser
import DeviceAgent
import Foundation
import NIOConcurrencyHelpers
import Platform
import QRReader
import ReclaimCore
import ReclaimQR
import SQLKit
import ServiceLifecycle

/// Support cases: from submitting a readable label to its reset key being ready, at a
/// fixed rate of new cases, against the time to read one label photo alone.
struct CaseLatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases", abstract: "Submit → key ready for support cases at a fixed rate, against reading one photo alone.")

    @Option(help: "New cases per second.") var rate = 10
    @Option(help: "Seconds of submitting.") var seconds = 30.0
    @Option(help: "postgres://… to measure PostgreSQL as well as SQLite.") var postgres: String?

    func run() async throws {
        let count = Int(Double(rate) * seconds)
        var databases: [(String, String?)] = [("SQLite", nil)]
        if let postgres { databases.append(("PostgreSQL", APILatency.freshDatabase(postgres))) }

        // The baseline: reading one label photo, as the check does, alone.
        let sample = Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: nil)
        let samplePhoto = LabelArtwork(
            payload: LabelPayload(serial: sample.serial, verificationCode: sample.labelCode, model: sample.modelName),
            kind: sample.model.kind, mac: sample.mac.description
        ).png()
        var reads: [Double] = []
        for _ in 0..<30 {
            let start = ContinuousClock.now
            _ = try QRImageReader.codes(inPhoto: samplePhoto) { LabelPayload(text: $0.text) != nil }
            reads.append(milliseconds(ContinuousClock.now - start))
        }
        print(String(format: "reading one label photo alone: median %.1f ms", median(reads)))
        print("reclaim-bench cases: \(count) cases at \(rate)/s, each with a readable label of its own device")

        for (name, url) in databases {
            let platform = try await BenchPlatform.make(databaseURL: url)
            let services = platform.services
            let installer = try await services.accounts.create(
                email: "installer@example.com", name: "I", role: .installer, password: "correct horse battery staple",
                companyName: "Bench", confirmed: true, actor: .system)
            _ = try await services.accounts.certify(company: installer.companyId!, actor: .system)
            var openings: [SupportCases.Opening] = []
            var identities: [DeviceIdentity] = []
            for index in 0..<count {
                let identity = Factory.makeIdentity(
                    model: DeviceModel.catalogue[index % DeviceModel.catalogue.count], authority: services.authority.bundle)
                identities.append(identity)
                let content = ChallengeContent.make(
                    purpose: .supportCase, serial: identity.serial, model: identity.modelName, now: Date(), lifetime: 3600)
                let photo = LabelArtwork(
                    payload: LabelPayload(serial: identity.serial, verificationCode: identity.labelCode, model: identity.modelName),
                    kind: identity.model.kind, mac: identity.mac.description
                ).png()
                openings.append(
                    .init(
                        channel: .lanDevice,
                        challenge: try Challenge.seal(content, deviceKeys: identity.keys, authority: services.authority.bundle),
                        photo: photo, acknowledged: true))
            }
            _ = try await services.authority.enroll(identities.map { $0.enrollment! }, actor: .system)

            let group = ServiceGroup(configuration: .init(services: services.backgroundServices, logger: quietLogger))
            let submitted = NIOLockedValueBox([String: ContinuousClock.Instant]())
            let ready = NIOLockedValueBox([String: ContinuousClock.Instant]())
            let failures = NIOLockedValueBox(0)
            let all = openings
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // Watches for cases that reached To confirm, every 20 ms.
                tasks.addTask {
                    while ready.withLockedValue({ $0.count }) + failures.withLockedValue({ $0 }) < count {
                        let ids = try await services.database.read { db in
                            try await db.select().column("id").from("support_cases").where("state", .equal, "to-confirm")
                                .all(decodingColumn: "id", as: String.self)
                        }
                        let now = ContinuousClock.now
                        ready.withLockedValue { seen in for id in ids where seen[id] == nil { seen[id] = now } }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                let start = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { submits in
                    for (index, opening) in all.enumerated() {
                        let due = start + .nanoseconds(Int64(1e9 / Double(rate)) * Int64(index))
                        try await Task.sleep(until: due, clock: .continuous)
                        submits.addTask {
                            do {
                                let value = try await services.cases.open(opening, by: installer)
                                submitted.withLockedValue { $0[value.id] = due }
                            } catch {
                                failures.withLockedValue { $0 += 1 }
                            }
                        }
                    }
                    try await submits.waitForAll()
                }
                // Every case is either ready or failed: stop the watcher and the services.
                let deadline = ContinuousClock.now + .seconds(120)
                while ready.withLockedValue({ $0.count }) + failures.withLockedValue({ $0 }) < count, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                await group.triggerGracefulShutdown()
                tasks.cancelAll()
            }
            let times = submitted.withLockedValue { submitted in
                ready.withLockedValue { ready in submitted.compactMap { id, due in ready[id].map { milliseconds($0 - due) } } }
            }.sorted()
            let p99 = times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * 0.99))]
            print(
                String(
                    format:
                        "%@: submit → key ready p50 %.0f ms, p99 %.0f ms (goal ≤ 2000 ms; %.0f × reading one photo alone); %d of %d ready, %d refused",
                    name, median(times), p99, p99 / max(0.001, median(reads)), times.count, count, failures.withLockedValue { $0 }))
            await services.close()
        }
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
