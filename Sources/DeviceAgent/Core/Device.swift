public import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOPosix
public import ReclaimCore

/// One device: its identity, and the actor that performs what its rules decide.
///
/// The rules — activation, sign-in, recovery set-up, every recovery mode, the reset
/// button — live in ``DeviceMachine``, a value with no I/O. This actor only performs the
/// machine's steps: slow hashing on the blocking thread pool, writing the state to the
/// data folder before answering, logging. Because the machine reserves every guess before
/// its slow work and re-checks each attempt's premises when it finishes, nothing here has
/// to reason about what changed while an `await` was suspended.
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

    var machine: DeviceMachine
    /// The machine revision last written to disk.
    var savedRevision: UInt64
    /// Changes waiting for a write: the revision each needs on disk, and who to answer.
    private var writers: [(revision: UInt64, continuation: CheckedContinuation<(any Error)?, Never>)] = []
    /// Whether a write is under way.
    private var writing = false
    /// How many times the state was written, for the tests of coalescing.
    private(set) var stateWrites = 0
    /// Listeners waiting to hear that the device's address or port changed.
    nonisolated let endpointWatchers = NIOLockedValueBox<[AsyncStream<Void>.Continuation]>([])
    /// The cloud link's listeners, told of every recovery made on the LAN.
    nonisolated let recoveryWatchers = NIOLockedValueBox<[AsyncStream<LinkReport>.Continuation]>([])
    /// The cloud link's listeners, told when what its heartbeat says changed (activated or
    /// not, the firmware), so the platform never reads a stale state until the next beat.
    nonisolated let statusWatchers = NIOLockedValueBox<[AsyncStream<Void>.Continuation]>([])
    /// What a Digest check reads, beside the actor: see ``DigestGate``.
    nonisolated let gate: NIOLockedValueBox<DigestGate>
    /// The deviceInfo document, built once and read without an actor hop: clients
    /// fetch it on every connect, and it changes only with the device name.
    nonisolated let deviceInfoCache = NIOLockedValueBox(DocumentCache())
    nonisolated let startedAt = Date()

    public init(identity: DeviceIdentity, state: DeviceState, store: DeviceStore, configuration: DeviceConfiguration, logger: Logger) {
        self.identity = identity
        machine = DeviceMachine(
            profile: DeviceProfile(identity: identity, hashCost: configuration.hashCost, releaseKeys: configuration.releaseKeys),
            state: state)
        savedRevision = machine.revision
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
    var state: DeviceState { machine.state }

    // MARK: - Performing the machine's steps

    /// Performs `step` to its end: runs slow work off the event loops and settles it, saves
    /// what changed, and throws the refusal, if any.
    func perform(_ step: DeviceMachine.Step) async throws(DeviceError) {
        var step = step
        while true {
            switch step {
            case .accept:
                try await save()
                return
            case .refuse(let error):
                // A counted failure holds in memory even if the disk refuses it.
                try? await save()
                if error.code == .wrongCredential || error.code == .locked {
                    logger.warning(
                        "credential refused",
                        metadata: ["reason": .string(error.code.rawValue), "attemptsLeft": "\(error.attemptsLeft ?? 0)"])
                }
                throw error
            case .work(let attempt):
                let work = attempt.work
                let result = await offload { work.perform() }
                step = machine.finish(attempt, result, now: now)
            }
        }
    }

    /// Writes the machine's state if it changed since the last write, and answers only
    /// once it is on disk.
    ///
    /// The write runs on the device's own serial queue, off the threads that run every
    /// device and request: a thousand devices flushing their state must not stall the
    /// rest. Writes are coalesced: while one is under way, every change made meanwhile waits
    /// for the next, which writes the newest state once — a burst of requests costs two
    /// writes, not one each. A crash leaves the old state or the new one, and no caller is
    /// told of a change before it is on disk.
    func save() async throws(DeviceError) {
        let revision = machine.revision
        guard revision != savedRevision else { return }
        let snapshot = machine.state
        gate.withLockedValue { $0.refresh(from: snapshot) }
        let failure: (any Error)? = await withCheckedContinuation { continuation in
            writers.append((revision, continuation))
            if !writing {
                writing = true
                Task { await self.writeUntilCurrent() }
            }
        }
        if let failure {
            logger.error("state not saved", metadata: ["error": "\(failure)"])
            throw DeviceError(
                .storage, "The device could not save the change; try again. If it persists, the data folder is full or read-only.")
        }
    }

    /// Writes the newest state until every waiting change is on disk.
    private func writeUntilCurrent() async {
        defer { writing = false }
        while !writers.isEmpty {
            let revision = machine.revision
            let snapshot = machine.state
            let store = self.store
            let failure: (any Error)? = await withCheckedContinuation { continuation in
                writes.async {
                    do {
                        try store.save(snapshot)
                        continuation.resume(returning: nil)
                    } catch {
                        continuation.resume(returning: error)
                    }
                }
            }
            stateWrites += 1
            if failure == nil { savedRevision = revision }
            // Everyone whose change this write held is answered; later changes go round again.
            let done = writers.filter { $0.revision <= revision }
            writers.removeAll { $0.revision <= revision }
            for (_, continuation) in done { continuation.resume(returning: failure) }
        }
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
    public var recoveryModes: RecoveryModes { machine.recoveryModes }

    /// Everything a page or document shows of the device, read in one hop.
    public var snapshot: DeviceSnapshot {
        DeviceSnapshot(state: state, modes: machine.recoveryModes, now: now, startedAt: startedAt)
    }

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

    /// The configured questions, in order, to show at "forgot password".
    public var configuredQuestions: [SecurityQuestion] {
        (state.recovery.questions ?? []).compactMap { SecurityQuestions.question(id: $0.questionID) }
    }

    /// The reserved address with most of it hidden, to show at "forgot password".
    public var maskedReservedEmail: String? {
        state.recovery.reservedEmail.map(Self.mask)
    }

    nonisolated static func mask(_ address: String) -> String {
        let parts = address.split(separator: "@", maxSplits: 1)
        guard parts.count == 2, let first = parts[0].first else { return "***" }
        return "\(first)***@\(parts[1])"
    }
}

/// A document rendered outside the actor, kept until the state it shows changes.
struct DocumentCache: Sendable {
    /// Moves on every change that voids the document.
    var generation: UInt64 = 0
    var document: String?

    mutating func invalidate() {
        generation &+= 1
        document = nil
    }
}

extension Device {
    /// The cached deviceInfo document, if built, without an actor hop.
    nonisolated var cachedDeviceInfoDocument: String? { deviceInfoCache.withLockedValue { $0.document } }

    /// `GET /ISAPI/System/deviceInfo`, rendered outside the actor and cached, unless the
    /// device name changed while it was rendered.
    public nonisolated func deviceInfoDocument() async -> String {
        let generation = deviceInfoCache.withLockedValue { $0.generation }
        let document = ISAPIDocuments.deviceInfo(identity, await snapshot)
        deviceInfoCache.withLockedValue { cache in
            if cache.generation == generation { cache.document = document }
        }
        return document
    }
}

/// What a device shows at one moment: its stored state, the recovery modes, the time.
/// Pages and ISAPI documents are rendered from it outside the actor.
public struct DeviceSnapshot: Sendable {
    public let state: DeviceState
    public let modes: RecoveryModes
    public let now: Date
    public let startedAt: Date

    public var configuredQuestions: [SecurityQuestion] {
        (state.recovery.questions ?? []).compactMap { SecurityQuestions.question(id: $0.questionID) }
    }

    public var maskedReservedEmail: String? { state.recovery.reservedEmail.map(Device.mask) }
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
