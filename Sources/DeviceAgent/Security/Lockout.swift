public import Foundation

/// How many failed attempts lock what, and for how long. Set through
/// `PUT /ISAPI/Security/illegalLoginLock`.
public struct LockoutSettings: Sendable, Hashable, Codable {
    /// Failures from one source address before that address is locked out.
    public var maxFailuresPerSource: Int = 5
    /// Failures from all sources together before the whole device is locked.
    /// Higher than the per-source limit so one noisy address can't lock the owner out.
    public var maxFailuresPerDevice: Int = 20
    /// How long a lock lasts.
    public var lockDuration: TimeInterval = 1800
    /// Bad GUID files before the GUID mode is locked (as on real devices).
    public var maxGUIDFailures: Int = 7

    public init() {}

    /// The range of limits a device accepts: lock-out can be tuned, never switched off.
    public static let failureLimits = 3...50
    public static let durationLimits: ClosedRange<TimeInterval> = 60...86400
}

/// Which lock applies.
public enum LockScope: String, Sendable, Hashable, Codable {
    /// The caller's address is locked.
    case source
    /// The device refuses every caller.
    case device
    /// The GUID mode is locked; other modes still work.
    case guidMode
}

/// A lock in force.
public struct Lock: Sendable, Hashable {
    public let scope: LockScope
    public let until: Date

    public func remainingSeconds(at now: Date) -> Int { max(1, Int((until.timeIntervalSince(now)).rounded(.up))) }
}

/// What a failure leaves behind.
public struct FailureOutcome: Sendable, Hashable {
    /// Attempts left before the caller's address is locked (0 when locked).
    public let attemptsLeft: Int
    /// The lock that this failure engaged or that was already in force.
    public let lock: Lock?
}

/// The credential a failed attempt presented; each path counts towards the same limits.
public enum CredentialKind: String, Sendable, Codable {
    case password, guidFile, securityAnswers, verificationCode, resetKey, resetFile, activation, cloudCommand
}

/// Counts failed credential attempts per source address and per device, and decides
/// when to lock. Pure: the device persists it after every change.
///
/// One book serves every credential path — login, GUID, questions, codes, keys,
/// files — so no path is a way around another's limit. Failures are forgotten when a
/// lock ends, after a lock-duration without failures, or on success.
public struct LockoutBook: Sendable, Hashable, Codable {
    public struct Counter: Sendable, Hashable, Codable {
        public var failures = 0
        public var lastFailureAt: Date?
        public var lockedUntil: Date?

        mutating func expire(now: Date, window: TimeInterval) {
            if let lockedUntil, lockedUntil <= now {
                self = Counter()
            } else if lockedUntil == nil, let last = lastFailureAt, now.timeIntervalSince(last) >= window {
                self = Counter()
            }
        }

        var isEmpty: Bool { failures == 0 && lockedUntil == nil }
    }

    public private(set) var sources: [String: Counter] = [:]
    public private(set) var device = Counter()
    public private(set) var guidMode = Counter()

    /// Sources remembered at most; the quietest are forgotten first.
    static let maxSources = 512

    public init() {}

    /// The lock that stops `source` now, if any: the device lock first, then the source's.
    public func lock(for source: String, now: Date) -> Lock? {
        if let until = device.lockedUntil, until > now { return Lock(scope: .device, until: until) }
        if let until = sources[source]?.lockedUntil, until > now { return Lock(scope: .source, until: until) }
        return nil
    }

    /// The lock on the GUID mode, if any.
    public func guidLock(now: Date) -> Lock? {
        guard let until = guidMode.lockedUntil, until > now else { return nil }
        return Lock(scope: .guidMode, until: until)
    }

    /// The lock that would stop `source` if every attempt still under way failed: the
    /// caller may not start another guess past the limit while its earlier ones are checked.
    public func projectedLock(
        source: String, pendingFromSource: Int, pendingOnDevice: Int, pendingGUID: Int, now: Date, settings: LockoutSettings
    ) -> Lock? {
        let until = now.addingTimeInterval(settings.lockDuration)
        var device = self.device
        device.expire(now: now, window: settings.lockDuration)
        if device.failures + pendingOnDevice >= settings.maxFailuresPerDevice { return Lock(scope: .device, until: until) }
        var counter = sources[source] ?? Counter()
        counter.expire(now: now, window: settings.lockDuration)
        if counter.failures + pendingFromSource >= settings.maxFailuresPerSource { return Lock(scope: .source, until: until) }
        if pendingGUID > 0 {
            var guid = guidMode
            guid.expire(now: now, window: settings.lockDuration)
            if guid.failures + pendingGUID >= settings.maxGUIDFailures { return Lock(scope: .guidMode, until: until) }
        }
        return nil
    }

    /// Attempts `source` has left before its address is locked.
    public func attemptsLeft(for source: String, now: Date, settings: LockoutSettings) -> Int {
        var counter = sources[source] ?? Counter()
        counter.expire(now: now, window: settings.lockDuration)
        return max(0, settings.maxFailuresPerSource - counter.failures)
    }

    /// Records one failed attempt by `source` and returns what it leaves.
    public mutating func recordFailure(source: String, kind: CredentialKind, now: Date, settings: LockoutSettings) -> FailureOutcome {
        var counter = sources[source] ?? Counter()
        counter.expire(now: now, window: settings.lockDuration)
        counter.failures += 1
        counter.lastFailureAt = now
        if counter.failures >= settings.maxFailuresPerSource { counter.lockedUntil = now.addingTimeInterval(settings.lockDuration) }
        sources[source] = counter

        device.expire(now: now, window: settings.lockDuration)
        device.failures += 1
        device.lastFailureAt = now
        if device.failures >= settings.maxFailuresPerDevice { device.lockedUntil = now.addingTimeInterval(settings.lockDuration) }

        if kind == .guidFile {
            guidMode.expire(now: now, window: settings.lockDuration)
            guidMode.failures += 1
            guidMode.lastFailureAt = now
            if guidMode.failures >= settings.maxGUIDFailures { guidMode.lockedUntil = now.addingTimeInterval(settings.lockDuration) }
        }
        forgetQuietSources(now: now, settings: settings)
        return FailureOutcome(
            attemptsLeft: max(0, settings.maxFailuresPerSource - counter.failures),
            lock: lock(for: source, now: now) ?? (kind == .guidFile ? guidLock(now: now) : nil))
    }

    /// A success clears the caller's count and the device-wide count (the owner is back).
    /// Returns whether anything changed, so the caller can skip a write.
    public mutating func recordSuccess(source: String, kind: CredentialKind) -> Bool {
        var changed = false
        if let counter = sources[source], !counter.isEmpty {
            sources[source] = nil
            changed = true
        }
        if device.failures > 0, device.lockedUntil == nil {
            device = Counter()
            changed = true
        }
        if kind == .guidFile, !guidMode.isEmpty {
            guidMode = Counter()
            changed = true
        }
        return changed
    }

    /// Whether any counter holds something; a book with nothing in it needs no write.
    public var isEmpty: Bool { sources.isEmpty && device.isEmpty && guidMode.isEmpty }

    private mutating func forgetQuietSources(now: Date, settings: LockoutSettings) {
        guard sources.count > Self.maxSources else { return }
        for (key, var counter) in sources {
            counter.expire(now: now, window: settings.lockDuration)
            sources[key] = counter.isEmpty ? nil : counter
        }
        while sources.count > Self.maxSources,
            let quietest = sources.filter({ $0.value.lockedUntil == nil }).min(by: {
                ($0.value.lastFailureAt ?? .distantPast) < ($1.value.lastFailureAt ?? .distantPast)
            })
        {
            sources[quietest.key] = nil
        }
    }
}
