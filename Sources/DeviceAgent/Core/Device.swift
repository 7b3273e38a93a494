import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOPosix
public import ReclaimCore

/// One device: its identity, its state, and every operation that reads or changes
/// them — activation, sign-in, recovery set-up, the recovery modes, the reset button.
///
/// Every credential goes through ``LockoutBook`` with the caller's address. Every change
/// is written to the data folder before it takes effect in memory, so a crash leaves
/// either the old state or the new one. Slow hashes run off the event loops; because
/// the actor can be re-entered while one runs, each operation re-checks what it read
/// before it commits.
public actor Device {
    public nonisolated let identity: DeviceIdentity
    public nonisolated let configuration: DeviceConfiguration
    /// Digest nonces; stateless, so checking one needs no actor hop.
    public nonisolated let nonces = DigestNonces()
    public nonisolated let opaque = Bytes.hex(Bytes.random(count: 8))
    nonisolated let store: DeviceStore
    /// Writes of `state.json`, one after another.
    nonisolated let writes = DispatchQueue(label: "reclaim.device.state", target: .global(qos: .utility))
    nonisolated let logger: Logger

    var state: DeviceState
    /// Listeners waiting to hear that the device's address or port changed.
    nonisolated let endpointWatchers = NIOLockedValueBox<[AsyncStream<Void>.Continuation]>([])
    /// What a Digest check reads, beside the actor: see ``DigestGate``.
    nonisolated let gate: NIOLockedValueBox<DigestGate>
    /// Web sign-in sessions. Not persisted: a reboot signs everyone out.
    var sessions: [String: WebSession] = [:]
    /// Secret-transport exchanges awaiting a sealed password.
    var exchanges: [String: SecretTransport.DeviceSide] = [:]
    /// The deviceInfo document, built once and read without an actor hop: clients
    /// fetch it on every connect, and it changes only with the device name.
    nonisolated let deviceInfoCache = NIOLockedValueBox<String?>(nil)
    nonisolated let startedAt = Date()

    public init(identity: DeviceIdentity, state: DeviceState, store: DeviceStore, configuration: DeviceConfiguration, logger: Logger) {
        self.identity = identity
        self.state = state
        var gate = DigestGate(realm: identity.realm)
        gate.refresh(from: state)
        self.gate = NIOLockedValueBox(gate)
        self.store = store
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "device"] = .string(identity.serial.text)
        self.logger = logger
    }

    /// Opens the device kept in `store`.
    public static func open(store: DeviceStore, configuration: DeviceConfiguration, logger: Logger) throws -> Device {
        Device(
            identity: try store.loadIdentity(), state: try store.loadState(), store: store, configuration: configuration, logger: logger)
    }

    var now: Date { configuration.clock() }

    /// Adopts `newState` at once, then writes it to disk before returning.
    ///
    /// The write runs on the device's own serial queue, off the threads that run every
    /// device and request: a thousand devices flushing their state must not stall the
    /// rest. The queue keeps the writes in the order the changes were made, and the
    /// operation answers only once its change is on disk, so a crash leaves the old state
    /// or the new one, and no caller was told of a change that was lost.
    func commit(_ newState: DeviceState) async throws(DeviceError) {
        adopt(newState)
        let store = self.store
        let failure: (any Error)? = await withCheckedContinuation { continuation in
            writes.async {
                do {
                    try store.save(newState)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
        if let failure {
            logger.error("state not saved", metadata: ["error": "\(failure)"])
            throw DeviceError(
                .storage, "The device could not save the change; try again. If it persists, the data folder is full or read-only.")
        }
    }

    /// Makes `newState` the device's state in memory, and the gate's snapshot of it.
    func adopt(_ newState: DeviceState) {
        state = newState
        gate.withLockedValue { $0.refresh(from: newState) }
    }

    /// A stream that yields whenever the device is given another address or port.
    public nonisolated func endpointChanges() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        endpointWatchers.withLockedValue { $0.append(continuation) }
        return stream
    }

    /// Runs CPU-heavy work (scrypt) on the blocking thread pool, not on an event loop.
    nonisolated func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        (try? await NIOThreadPool.singleton.runIfActive(work)) ?? work()
    }

    // MARK: - What the device shows

    public var isActivated: Bool { state.isActivated }
    public var settings: DeviceSettings { state.settings }
    public var admin: AdminAccount? { state.admin }
    public var recoverySetup: RecoverySetup { state.recovery }
    public var pendingChallenges: [PendingChallenge] { state.pendingChallenges }

    /// The lock that stops `source` now, if any.
    public func lock(for source: String) -> Lock? {
        state.lockout.lock(for: source, now: now)
    }

    public func attemptsLeft(for source: String) -> Int {
        state.lockout.attemptsLeft(for: source, now: now, settings: state.settings.lockout)
    }

    public var deviceName: String {
        state.settings.deviceName ?? identity.model.kind.defaultName
    }

    // MARK: - Activation (F1)

    /// Sets the first admin password. Before this, nothing but activation works.
    public func activate(password: String, source: String) async throws(DeviceError) {
        guard !state.isActivated else {
            throw DeviceError(.alreadyActivated, "The device is already activated; sign in as admin instead.")
        }
        if let lock = state.lockout.lock(for: source, now: now) { throw .locked(lock, now: now) }
        try checkPolicy(password)
        let account = await makeAccount(password: password, generation: 1, setBy: "activation")
        guard !state.isActivated else {
            throw DeviceError(.alreadyActivated, "The device is already activated; sign in as admin instead.")
        }
        var next = state
        next.admin = account
        try await commit(next)
        logger.notice("activated", metadata: ["source": .string(source)])
    }

    func checkPolicy(_ password: String) throws(DeviceError) {
        let violations = identity.passwordPolicy.violations(of: password, userName: AdminAccount.userName)
        guard violations.isEmpty else {
            throw DeviceError(.passwordRule, violations.map(\.description).joined(separator: " "), violations: violations)
        }
    }

    func makeAccount(password: String, generation: Int, setBy: String) async -> AdminAccount {
        let realm = identity.realm, cost = configuration.hashCost, at = now, policy = identity.passwordPolicy
        return await offload {
            AdminAccount(password: password, realm: realm, cost: cost, now: at, generation: generation, setBy: setBy, policy: policy)
        }
    }

    // MARK: - Failures and successes

    /// Counts a failed attempt and returns the error that tells the caller.
    func fail(_ kind: CredentialKind, source: String, what: String) async -> DeviceError {
        var next = state
        let outcome = next.lockout.recordFailure(source: source, kind: kind, now: now, settings: next.settings.lockout)
        // Counting must not depend on the disk: the count holds in memory even if the write fails.
        try? await commit(next)
        logger.warning(
            "credential refused",
            metadata: ["kind": .string(kind.rawValue), "source": .string(source), "attemptsLeft": "\(outcome.attemptsLeft)"])
        return .wrong(what, outcome, now: now)
    }

    /// Sets a new admin password after a successful recovery or change, voiding the
    /// GUID file and every sign-in session.
    func replacePassword(in next: inout DeviceState, with account: AdminAccount) {
        next.admin = account
        next.recovery.guid = nil
        sessions.removeAll()
    }
}

extension DeviceModel.Kind {
    var defaultName: String {
        switch self {
        case .ipCamera: "IP CAMERA"
        case .nvr: "Network Video Recorder"
        case .dvr: "Embedded Net DVR"
        }
    }
}
