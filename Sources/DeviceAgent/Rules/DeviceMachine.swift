import Foundation
import ReclaimCore

/// The device's rules — activation, every credential check, every recovery mode, the
/// challenges, sessions and secret-transport exchanges — as a value the ``Device`` actor
/// drives.
///
/// Pure: no disk, no sockets, no clock of its own, no slow hashing. Each operation takes
/// the proof, the caller's address and the time, changes the state as the rules say, and
/// returns a ``Step``: refuse with this error, run this slow work and call back, or
/// accept. The actor performs the work off the event loops, hands the result to
/// ``finish(_:_:now:)``, and writes the state to disk whenever ``revision`` moved.
///
/// A guess whose check needs slow work (a password, the answers, a GUID file) is
/// *reserved* before the work starts: it counts as a failure for the lock-out until the
/// work says otherwise. So a burst of simultaneous guesses cannot overrun the limit while
/// the hashes run, and the actor never has to re-check what it read before an `await`:
/// ``finish(_:_:now:)`` checks each attempt's premises (the password generation, the GUID
/// file, the challenge) against the state as it is then.
struct DeviceMachine: Sendable {
    let profile: DeviceProfile
    /// What is stored. Every change moves ``revision``, so no change can miss the disk.
    /// Only the machine's own methods change it (and its sessions and exchanges); the actor reads.
    var state: DeviceState {
        didSet { revision &+= 1 }
    }
    /// Counts changes of ``state``; the actor saves when it differs from what it wrote.
    private(set) var revision: UInt64 = 0
    /// Guesses whose slow check is under way. Not stored: a restart ends them.
    private(set) var reservations = AttemptReservations()
    /// Web sign-in sessions. Not stored: a reboot signs everyone out.
    var sessions: [String: WebSession] = [:]
    /// Secret-transport exchanges awaiting a sealed secret. Not stored.
    var exchanges: [String: Exchange] = [:]
    private var nextAttemptID: UInt64 = 0
    /// The per-device secret shared with the authority, agreed on first use.
    private var cachedSecret: PerDeviceSecret?

    init(profile: DeviceProfile, state: DeviceState) {
        self.profile = profile
        self.state = state
    }

    /// What to do next.
    enum Step: Sendable {
        /// Refuse with this error (any failure it counted is already in ``state``).
        case refuse(DeviceError)
        /// Run the attempt's work off the event loops, then hand the result to ``finish(_:_:now:)``.
        case work(Attempt)
        /// Done: the change, if any, is in ``state``.
        case accept
    }

    // MARK: - What every operation checks

    var settings: DeviceSettings { state.settings }
    var lockout: LockoutSettings { state.settings.lockout }

    func requireActivated() throws(DeviceError) -> AdminAccount {
        guard let admin = state.admin else {
            throw DeviceError(.notActivated, "The device is not activated: it has no password yet. Activate it first.")
        }
        return admin
    }

    func checkPolicy(_ password: String) throws(DeviceError) {
        let violations = profile.policy.violations(of: password, userName: AdminAccount.userName)
        guard violations.isEmpty else {
            throw DeviceError(.passwordRule, violations.map(\.description).joined(separator: " "), violations: violations)
        }
    }

    /// Refuses a caller who is locked out, or who would be if every guess of theirs under
    /// way turned out wrong.
    func checkLock(source: String, credential: CredentialKind?, now: Date) throws(DeviceError) {
        if let lock = state.lockout.lock(for: source, now: now) { throw .locked(lock, now: now) }
        if credential == .guidFile, let lock = state.lockout.guidLock(now: now) { throw .locked(lock, now: now) }
        guard credential != nil else { return }
        if let lock = state.lockout.projectedLock(
            source: source, pendingFromSource: reservations.count(from: source), pendingOnDevice: reservations.total,
            pendingGUID: credential == .guidFile ? reservations.guid : 0, now: now, settings: lockout)
        {
            throw .locked(lock, now: now)
        }
    }

    /// Counts a failed attempt; returns the error that tells the caller.
    mutating func recordFailure(_ kind: CredentialKind, source: String, what: String, now: Date) -> DeviceError {
        let outcome = state.lockout.recordFailure(source: source, kind: kind, now: now, settings: lockout)
        return .wrong(what, outcome, now: now)
    }

    /// Clears the caller's failures after a success.
    mutating func recordSuccess(_ kind: CredentialKind, source: String) {
        var book = state.lockout
        if book.recordSuccess(source: source, kind: kind) { state.lockout = book }
    }

    /// A new admin password: the GUID file, every sign-in session and every pending
    /// challenge end with the old one (a challenge asked to reset the password it replaced).
    mutating func replacePassword(with account: AdminAccount) {
        state.admin = account
        state.recovery.guid = nil
        state.pendingChallenges.removeAll()
        sessions.removeAll()
    }

    /// A new reserved address (or none): a verification code mailed to a former address
    /// must never work, so e-mail challenges sealed with another address are void.
    mutating func replaceReservedEmail(with address: String?) {
        state.recovery.reservedEmail = address
        state.pendingChallenges.removeAll { $0.content.purpose == .reservedEmail && $0.content.reservedEmail != address }
    }

    /// Back to "not activated", the configuration erased; the identity and the installed
    /// firmware stay (going back to the firmware it was made with would be a downgrade that no
    /// signature allowed).
    mutating func eraseToFactoryState(now: Date) {
        var fresh = DeviceState()
        fresh.factoryResetAt = now.wholeSeconds
        fresh.firmwareUpdate = state.firmwareUpdate
        state = fresh
        sessions.removeAll()
        exchanges.removeAll()
        reservations = AttemptReservations()
    }

    /// The secret a reset key or verification code is a MAC under.
    mutating func perDeviceSecret() throws(DeviceError) -> PerDeviceSecret {
        if let cachedSecret { return cachedSecret }
        do {
            let secret = try profile.agreePerDeviceSecret()
            cachedSecret = secret
            return secret
        } catch {
            throw DeviceError(.modeUnavailable, error.reason)
        }
    }

    // MARK: - Attempts under way

    /// Starts an attempt that needs slow work. A guess (`credential` set) is reserved.
    mutating func begin(_ purpose: Attempt.Purpose, source: String, guess credential: CredentialKind?, work: SlowWork) -> Step {
        nextAttemptID &+= 1
        let attempt = Attempt(
            id: nextAttemptID, source: source, guess: credential, generation: state.admin?.generation, purpose: purpose, work: work)
        if let credential { reservations.reserve(attempt.id, source: source, guid: credential == .guidFile) }
        return .work(attempt)
    }

    /// Settles an attempt once its slow work is done.
    mutating func finish(_ attempt: Attempt, _ result: SlowWork.Result, now: Date) -> Step {
        reservations.release(attempt.id)
        if let guess = attempt.guess, !result.passed {
            return .refuse(recordFailure(guess, source: attempt.source, what: attempt.purpose.wrongGuess, now: now))
        }
        // The state may have moved while the work ran: check what the attempt stood on.
        guard state.admin?.generation == attempt.generation else {
            return .refuse(
                state.admin == nil && attempt.generation != nil
                    ? DeviceError(.notActivated, "The device was reset to factory state meanwhile; nothing was done.")
                    : attempt.generation == nil
                        ? DeviceError(.alreadyActivated, "The device is already activated; sign in as admin instead.")
                        : DeviceError(.conflict, "The admin password changed meanwhile; nothing was done. Try again."))
        }
        if let guess = attempt.guess { recordSuccess(guess, source: attempt.source) }
        do {
            try complete(attempt, result, now: now)
        } catch {
            return .refuse(error)
        }
        return .accept
    }

    /// The change an attempt makes once its check passed and its premises still hold.
    private mutating func complete(_ attempt: Attempt, _ result: SlowWork.Result, now: Date) throws(DeviceError) {
        switch attempt.purpose {
        case .activate, .changePassword:
            guard let account = result.account else { return }
            replacePassword(with: account)
        case .signIn, .confirmPassword:
            break
        case .setSecurityQuestions:
            state.recovery.questions = result.questions
        case .setReservedEmail(let address):
            replaceReservedEmail(with: address)
        case .updateNetwork(let network):
            state.settings.network = network
        case .restoreInactive:
            eraseToFactoryState(now: now)
        case .reboot:
            sessions.removeAll()
            exchanges.removeAll()
        case .exportGUID(let file):
            guard let hash = result.guidHash, let generation = attempt.generation else { return }
            state.recovery.guid = GUIDRecord(secretHash: hash, exportedAt: file.issuedAt, generation: generation)
        case .recover(let mode, let premise):
            try completeRecovery(mode, premise: premise, account: result.account, source: attempt.source)
        }
    }
}

/// What the machine knows of the device that never changes while it runs.
struct DeviceProfile: Sendable {
    let serial: SerialNumber
    let modelName: String
    let realm: String
    let policy: PasswordPolicy
    let hashCost: SlowHash.Cost
    let keys: DeviceKeys
    let authority: AuthorityBundle?
    /// The firmware it was made with, until a package replaces it.
    let factoryFirmware: DeviceModel.Firmware
    /// The release keys firmware packages must be signed with.
    let releaseKeys: [ReleaseKey]
    let model: DeviceModel

    init(identity: DeviceIdentity, hashCost: SlowHash.Cost, releaseKeys: [ReleaseKey] = []) {
        serial = identity.serial
        modelName = identity.modelName
        realm = identity.realm
        policy = identity.passwordPolicy
        self.hashCost = hashCost
        keys = identity.keys
        authority = identity.authority
        factoryFirmware = identity.firmware
        self.releaseKeys = releaseKeys
        model = identity.model
    }

    /// What its model offers with `firmware` (the catalogue's rule, shared with the platform's
    /// compatibility page).
    func recoveryMethods(running firmware: DeviceModel.Firmware) -> [RecoveryMethod] {
        model.recoveryMethods(firmware: firmware, enrolled: authority != nil)
    }

    var hasAuthority: Bool { authority != nil }

    func agreePerDeviceSecret() throws(ReclaimError) -> PerDeviceSecret {
        guard let authority, let key = authority.agreementKey(authority.currentAgreementKey.id) else {
            throw ReclaimError(.unsupported, "This device has no recovery authority.")
        }
        return try PerDeviceSecret(deviceKeys: keys, authorityKey: key, authorityKeyID: authority.currentAgreementKey.id, serial: serial)
    }
}

/// An operation waiting for its slow work: what it is for, what it stood on, and whether
/// it is a guess that was reserved against the lock-out.
struct Attempt: Sendable {
    let id: UInt64
    let source: String
    /// The credential guessed, counted as a failure until the work says it was right.
    let guess: CredentialKind?
    /// The password generation the attempt was started under (nil: not activated then).
    let generation: Int?
    let purpose: Purpose
    let work: SlowWork

    enum Purpose: Sendable {
        case activate
        case signIn
        /// An operation that re-asks the password before a change made elsewhere.
        case confirmPassword
        case changePassword
        case setSecurityQuestions
        case setReservedEmail(String?)
        case updateNetwork(NetworkSettings)
        case restoreInactive
        case reboot
        case exportGUID(GUIDFile)
        case recover(RecoveryModes.Mode, RecoveryPremise)

        /// What the caller is told when the guess was wrong.
        var wrongGuess: String {
            switch self {
            case .recover(.guidFile, _): "This GUID file is not the current one: it was used, replaced, or voided by a password change."
            case .recover(.securityQuestions, _): "One or more answers are wrong."
            case .signIn: "Wrong password."
            default: "Wrong password."
            }
        }
    }
}

/// What a recovery attempt was checked against, to be found unchanged when it completes.
struct RecoveryPremise: Sendable {
    /// The challenge the key, code or file answers; consumed on success.
    var challengeNonce: [UInt8]?
    /// The GUID file export the file matched.
    var guidExportedAt: Date?
    /// The cloud-link command carried out, remembered on success so it applies once.
    var command: AppliedCommand?
}

/// Guesses whose slow check is under way, per source and in all.
struct AttemptReservations: Sendable {
    private var live: [UInt64: (source: String, guid: Bool)] = [:]
    private var bySource: [String: Int] = [:]
    private(set) var total = 0
    private(set) var guid = 0

    func count(from source: String) -> Int { bySource[source] ?? 0 }

    mutating func reserve(_ id: UInt64, source: String, guid isGUID: Bool) {
        live[id] = (source, isGUID)
        bySource[source, default: 0] += 1
        total += 1
        if isGUID { guid += 1 }
    }

    /// Ends a reservation; a second release, or one after a factory reset, does nothing.
    mutating func release(_ id: UInt64) {
        guard let (source, isGUID) = live.removeValue(forKey: id) else { return }
        let left = (bySource[source] ?? 1) - 1
        bySource[source] = left > 0 ? left : nil
        total -= 1
        if isGUID { guid -= 1 }
    }
}
