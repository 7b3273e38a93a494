public import Logging
public import ServiceLifecycle

/// Runs `services` while `body` runs, then shuts them down gracefully and waits until they
/// have stopped — also when `body` throws — so no test leaves a server behind.
///
/// - Parameter ready: called before `body`; waits until the services listen.
public func withServices<T: Sendable>(
    _ services: [any Service], logger: Logger = testLogger, ready: @Sendable () async throws -> Void = {},
    _ body: @Sendable () async throws -> T
) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: services, logger: logger))
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        let result: Result<T, any Error>
        do {
            try await ready()
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        for try await _ in tasks {}
        return try result.get()
    }
}
