public import Foundation
public import ReclaimCore

/// Everything about a device that changes and must survive a power cut: whether it is
/// activated, its admin credential, its recovery set-up, pending challenges and
/// attempt counters. A factory reset replaces it with a new, empty one.
public struct DeviceState: Sendable, Codable {
    public var format = "reclaim-device-state-1"
    public var admin: AdminAccount?
    public var recovery = RecoverySetup()
    public var pendingChallenges: [PendingChallenge] = []
    public var lockout = LockoutBook()
    public var settings = DeviceSettings()
    /// When the device was last reset to factory state.
    public var factoryResetAt: Date?
    /// Cloud-link commands applied and not yet expired: a command is applied once.
    public var appliedCommands: [AppliedCommand]?
    /// The last firmware package installed; nil while the device runs the firmware it was
    /// made with. A factory reset keeps it: it erases the configuration, not the firmware.
    public var firmwareUpdate: FirmwareUpdate?

    public init() {}

    public var isActivated: Bool { admin != nil }

    /// The firmware the device runs: the last one installed, or the one it was made with.
    public func installedFirmware(_ identity: DeviceIdentity) -> DeviceModel.Firmware {
        firmwareUpdate?.firmware ?? identity.firmware
    }
}

/// A firmware package the device installed, and what it replaced.
public struct FirmwareUpdate: Sendable, Codable, Hashable {
    public var firmware: DeviceModel.Firmware
    public var previous: DeviceModel.Firmware
    /// The release key that signed it.
    public var keyID: KeyID
    public var installedAt: Date
    /// Who installed it: the caller's address, as the lock-out book names callers.
    public var installedBy: String
}

/// A cloud-link command the device applied, kept until it expires (after that its
/// signature no longer passes anyway).
public struct AppliedCommand: Sendable, Codable, Hashable {
    public var id: String
    public var expiresAt: Date
}

/// The admin account. There is one user, `admin`, as on real devices.
public struct AdminAccount: Sendable, Codable {
    public static let userName = PasswordPolicy.adminUserName

    /// Salted slow hash: what every check other than HTTP Digest uses.
    public var passwordHash: SlowHash
    /// `H(admin:realm:password)` for MD5 and SHA-256. HTTP Digest can only be checked
    /// against this value, and every ISAPI client speaks Digest, so the device must keep
    /// it. It is as good as the password to anyone who reads the state file, which is
    /// why the file is readable by its owner only (see docs/device.md).
    public var digestHA1: [String: String]
    public var changedAt: Date
    /// Counts password changes; a GUID file and sign-in sessions belong to one generation.
    public var generation: Int
    /// How the password was last set: activation, change, or a recovery mode.
    public var setBy: String
    /// The password's strength class, judged when it was set (the device keeps no password to judge later).
    public var strength: PasswordPolicy.Strength?

    public init(
        password: String, realm: String, cost: SlowHash.Cost, now: Date, generation: Int, setBy: String, policy: PasswordPolicy? = nil
    ) {
        self.init(
            passwordHash: SlowHash(hashing: password, cost: cost), password: password, realm: realm, now: now,
            generation: generation, setBy: setBy, policy: policy)
    }

    /// With a slow hash computed elsewhere (a farm shares one for its lab password).
    public init(
        passwordHash: SlowHash, password: String, realm: String, now: Date, generation: Int, setBy: String, policy: PasswordPolicy? = nil
    ) {
        self.passwordHash = passwordHash
        self.digestHA1 = Dictionary(
            uniqueKeysWithValues: Digest.Algorithm.allCases.map {
                ($0.rawValue, Digest.ha1($0, user: Self.userName, realm: realm, password: password))
            })
        self.changedAt = now.wholeSeconds
        self.generation = generation
        self.setBy = setBy
        self.strength = policy?.strength(of: password, userName: Self.userName)
    }

    func ha1(_ algorithm: Digest.Algorithm) -> String? { digestHA1[algorithm.rawValue] }
}

/// What the owner set up for getting back in.
public struct RecoverySetup: Sendable, Codable {
    public var questions: [SecurityQuestions.Record]?
    public var reservedEmail: String?
    public var guid: GUIDRecord?

    public init() {}
}

/// The last exported GUID file, as a hash; void once used or after a password change.
public struct GUIDRecord: Sendable, Codable {
    public var secretHash: SlowHash
    public var exportedAt: Date
    /// The admin password generation it was exported under.
    public var generation: Int
}

/// A challenge the device issued and still honours until it expires, is used, or
/// meets too many wrong answers.
public struct PendingChallenge: Sendable, Codable {
    public var content: ChallengeContent
    /// The sealed text form, so the same QR code can be shown again.
    public var text: String
    /// The address that asked for it.
    public var requestedBy: String
    public var failedAttempts = 0

    /// Wrong keys, codes or files after which a challenge is void.
    public static let maxFailedAttempts = 5
    /// Challenges one address keeps at most; its next one replaces its oldest.
    public static let maxPerSource = 4
    /// Challenges a device keeps at most.
    public static let maxPending = 16
    /// A challenge younger than this may give way to a new one; an older one is kept while
    /// any younger one could go instead.
    public static let settledAge: TimeInterval = 60

    /// Adds `challenge` to `pending` within the limits above.
    ///
    /// Anyone on the network may ask for a challenge, so a flood must not void the one an
    /// owner exported for an open support case: when the device is full, the challenge that
    /// goes is the newest one of the address holding the most, chosen among the challenges
    /// younger than ``settledAge`` (all of them only when none is).
    static func admit(_ challenge: PendingChallenge, to pending: inout [PendingChallenge], now: Date) {
        let source = challenge.requestedBy
        if pending.count(where: { $0.requestedBy == source }) >= maxPerSource,
            let oldest = pending.firstIndex(where: { $0.requestedBy == source })
        {
            pending.remove(at: oldest)
        } else if pending.count >= maxPending {
            let young = pending.indices.filter { now.timeIntervalSince(pending[$0].content.issuedAt) < settledAge }
            let candidates = young.isEmpty ? Array(pending.indices) : young
            let counts = Dictionary(grouping: pending, by: \.requestedBy).mapValues(\.count)
            let most = candidates.map { counts[pending[$0].requestedBy] ?? 0 }.max() ?? 0
            // Pending challenges are kept in the order they came: the last candidate is the newest.
            if let newest = candidates.last(where: { counts[pending[$0].requestedBy] == most }) {
                pending.remove(at: newest)
            }
        }
        pending.append(challenge)
    }
}

/// Settings the admin can change; a factory reset restores these defaults.
public struct DeviceSettings: Sendable, Codable {
    public var lockout = LockoutSettings()
    /// How long an exported challenge stays valid (real devices: 48 hours).
    public var challengeLifetime: TimeInterval = 48 * 3600
    /// Nil shows the model kind's default name.
    public var deviceName: String?
    public var timeZone = "CST-1:00:00"
    public var motionDetectionEnabled = false
    public var motionSensitivity = 50
    /// UPnP port mapping; off by default (a hardening check flags it when on).
    public var upnpEnabled = false
    /// Network parameters as set through discovery (`update`); nil fields keep the defaults.
    public var network = NetworkSettings()

    public init() {}
}

/// The network parameters a device reports in discovery and takes from `update`.
public struct NetworkSettings: Sendable, Codable, Hashable {
    public var ipv4Address: String?
    public var subnetMask: String?
    public var gateway: String?
    public var dhcp = false
    public var httpPort: Int?

    public init() {}
}
