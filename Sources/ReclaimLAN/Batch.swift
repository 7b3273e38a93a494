public import SADP

/// Runs one operation over many devices at once, so that one slow or dead device never
/// holds up the rest (each operation has its own timeouts and retries), and reports
/// progress as each device finishes.
public struct Batch: Sendable {
    public struct Outcome: Sendable {
        public let device: DeviceAnnouncement
        /// Nil when the operation succeeded.
        public let error: String?
    }

    public var concurrency: Int

    public init(concurrency: Int = 32) {
        self.concurrency = concurrency
    }

    public func run(
        _ devices: [DeviceAnnouncement], progress: @escaping @Sendable (Int, Int, Outcome) -> Void,
        _ operation: @escaping @Sendable (DeviceAnnouncement) async throws -> Void
    ) async -> [Outcome] {
        await withTaskGroup(of: Outcome.self) { group in
            var outcomes: [Outcome] = []
            var next = 0
            func start() {
                let device = devices[next]
                next += 1
                group.addTask {
                    do {
                        try await operation(device)
                        return Outcome(device: device, error: nil)
                    } catch {
                        return Outcome(device: device, error: "\(error)")
                    }
                }
            }
            while next < min(concurrency, devices.count) { start() }
            while let outcome = await group.next() {
                outcomes.append(outcome)
                progress(outcomes.count, devices.count, outcome)
                if next < devices.count { start() }
            }
            return outcomes
        }
    }
}
