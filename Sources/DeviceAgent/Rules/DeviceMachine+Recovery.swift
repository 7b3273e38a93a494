import Foundation
import ReclaimCore

/// Which recovery modes a device supports and which are ready to use now.
public struct RecoveryModes: Sendable, Hashable {
    public enum Mode: String, Sendable, CaseIterable, Hashable {
        case guidFile, securityQuestions, reservedEmail, supportKey, supportFile
        /// F7: the owner approved a new password in the owner app; it came over the cloud link.
        case ownerApproval
    }

    /// Modes the firmware has (e-mail and support need a recovery authority).
    public var supported: Set<Mode>
    /// Supported modes that are set up: a GUID exported, questions set, an address reserved.
    public var ready: Set<Mode>
}

/// "Forgot password": the challenges a device issues, and every recovery mode (F2–F6).
extension DeviceMachine {
    var recoveryModes: RecoveryModes {
        var supported: Set<RecoveryModes.Mode> = []
        for method in profile.recoveryMethods(running: firmware) {
            switch method {
            case .guidFile: supported.insert(.guidFile)
            case .securityQuestions: supported.insert(.securityQuestions)
            case .reservedEmail: supported.insert(.reservedEmail)
            case .supportCase: supported.formUnion([.supportKey, .supportFile])
            case .ownerApproval: supported.insert(.ownerApproval)
            }
        }
        var ready: Set<RecoveryModes.Mode> = []
        guard state.isActivated else { return RecoveryModes(supported: supported, ready: []) }
        if state.recovery.guid != nil { ready.insert(.guidFile) }
        if state.recovery.questions != nil { ready.insert(.securityQuestions) }
        if supported.contains(.reservedEmail), state.recovery.reservedEmail != nil { ready.insert(.reservedEmail) }
        ready.formUnion(supported.intersection([.supportKey, .supportFile, .ownerApproval]))
        return RecoveryModes(supported: supported, ready: ready)
    }

    // MARK: Challenges

    /// Makes and keeps a new challenge, sealed for the authority. Earlier live challenges
    /// stay valid: exporting again never voids a key already on its way.
    mutating func issueChallenge(purpose: ChallengePurpose, source: String, now: Date) throws(DeviceError) -> PendingChallenge {
        _ = try requireActivated()
        guard let authority = profile.authority else {
            throw DeviceError(.modeUnavailable, "This device has no recovery authority: use the GUID file or the security questions.")
        }
        var email: String?
        if purpose == .reservedEmail {
            guard let reserved = state.recovery.reservedEmail else {
                throw DeviceError(.modeUnavailable, "No reserved e-mail is set on this device: use another recovery mode.")
            }
            email = reserved
        }
        let content = ChallengeContent.make(
            purpose: purpose, serial: profile.serial, model: profile.modelName, now: now, lifetime: settings.challengeLifetime,
            reservedEmail: email)
        let text: String
        do {
            text = try Challenge.seal(content, deviceKeys: profile.keys, authority: authority)
        } catch {
            throw DeviceError(.modeUnavailable, error.reason)
        }
        let pending = PendingChallenge(content: content, text: text, requestedBy: source)
        var challenges = Self.pruned(state.pendingChallenges, now: now)
        PendingChallenge.admit(pending, to: &challenges, now: now)
        state.pendingChallenges = challenges
        return pending
    }

    /// Drops challenges long past expiry; recently expired ones stay a day so a late key
    /// gets "expired" rather than "unknown".
    static func pruned(_ challenges: [PendingChallenge], now: Date) -> [PendingChallenge] {
        challenges.filter { now.timeIntervalSince($0.content.expiresAt) < 86400 }
    }

    /// Everything a recovery attempt checks before looking at the credential.
    func checkRecovery(_ mode: RecoveryModes.Mode, credential: CredentialKind, newPassword: String, source: String, now: Date)
        throws(DeviceError) -> AdminAccount
    {
        guard let admin = state.admin else {
            throw DeviceError(.notActivated, "The device is not activated: it has no password to recover. Activate it instead.")
        }
        guard recoveryModes.supported.contains(mode) else {
            throw DeviceError(.modeUnavailable, "This device does not support this recovery mode.")
        }
        try checkLock(source: source, credential: credential, now: now)
        try checkPolicy(newPassword)
        return admin
    }

    /// The slow work of a recovery whose proof was checked already: the new password's hashes.
    func newAccountWork(_ password: String, after admin: AdminAccount, mode: RecoveryModes.Mode, now: Date) -> SlowWork.Make {
        .account(password: password, generation: admin.generation + 1, setBy: mode.rawValue)
    }

    // MARK: F2: GUID file

    /// Resets the password with an exported GUID file. The file works once.
    mutating func recover(guidFile bytes: [UInt8], newPassword: String, source: String, now: Date) -> Step {
        let admin: AdminAccount
        do {
            admin = try checkRecovery(.guidFile, credential: .guidFile, newPassword: newPassword, source: source, now: now)
        } catch {
            return .refuse(error)
        }
        guard let record = state.recovery.guid, record.generation == admin.generation else {
            return .refuse(
                DeviceError(
                    .modeUnavailable, "No GUID file is valid on this device: none was exported since the last password change."))
        }
        let file: GUIDFile
        do {
            file = try GUIDFile(xml: bytes)
        } catch {
            return .refuse(recordFailure(.guidFile, source: source, what: error.reason, now: now))
        }
        guard file.serial == profile.serial else {
            return .refuse(
                recordFailure(
                    .guidFile, source: source, what: "This GUID file belongs to device \(file.serial), not to this one.", now: now))
        }
        return begin(
            .recover(.guidFile, RecoveryPremise(guidExportedAt: record.exportedAt)), source: source, guess: .guidFile,
            work: work(
                .guid(record.secretHash, secret: file.secret), newAccountWork(newPassword, after: admin, mode: .guidFile, now: now),
                now: now))
    }

    // MARK: F3: security questions

    /// Resets the password with the answers to the three configured questions.
    mutating func recover(answers: [Int: String], newPassword: String, source: String, now: Date) -> Step {
        let admin: AdminAccount
        do {
            admin = try checkRecovery(.securityQuestions, credential: .securityAnswers, newPassword: newPassword, source: source, now: now)
        } catch {
            return .refuse(error)
        }
        guard let records = state.recovery.questions else {
            return .refuse(DeviceError(.modeUnavailable, "No security questions are set on this device."))
        }
        let pairs = records.map { ($0, answers[$0.questionID] ?? "") }
        return begin(
            .recover(.securityQuestions, RecoveryPremise()), source: source, guess: .securityAnswers,
            work: work(.answers(pairs), newAccountWork(newPassword, after: admin, mode: .securityQuestions, now: now), now: now))
    }

    // MARK: F4 and F5/F6: verification codes and reset keys

    /// Resets the password with a reset key (support case) or a verification code
    /// (reserved e-mail) that answers one of the live challenges. The code is a MAC: it is
    /// checked here, at once, so only the new password's hashes are left for slow work.
    mutating func recover(code typed: String, kind: RecoveryCode.Kind, newPassword: String, source: String, now: Date) -> Step {
        let mode: RecoveryModes.Mode = kind == .resetKey ? .supportKey : .reservedEmail
        let credential: CredentialKind = kind == .resetKey ? .resetKey : .verificationCode
        let name = kind == .resetKey ? "reset key" : "verification code"
        let admin: AdminAccount
        let secret: PerDeviceSecret
        do {
            admin = try checkRecovery(mode, credential: credential, newPassword: newPassword, source: source, now: now)
            secret = try perDeviceSecret()
        } catch {
            return .refuse(error)
        }
        let code: RecoveryCode
        do {
            code = try RecoveryCode(parsing: typed, kind: kind)
        } catch {
            return .refuse(recordFailure(credential, source: source, what: error.reason, now: now))
        }
        let candidates = state.pendingChallenges.filter { $0.content.purpose == kind.purpose }
        guard let match = candidates.first(where: { RecoveryCode.derive(kind, secret: secret, challenge: $0.content).matches(code) })
        else {
            // A wrong answer counts against every live challenge it could have been for.
            var challenges = state.pendingChallenges
            for index in challenges.indices
            where challenges[index].content.purpose == kind.purpose && !challenges[index].content.isExpired(at: now) {
                challenges[index].failedAttempts += 1
            }
            challenges.removeAll { $0.failedAttempts >= PendingChallenge.maxFailedAttempts }
            state.pendingChallenges = challenges
            let live = candidates.contains { !$0.content.isExpired(at: now) }
            return .refuse(
                recordFailure(
                    credential, source: source,
                    what: live
                        ? "This \(name) does not answer any challenge this device issued."
                        : "No challenge is waiting for a \(name): it was used, voided or never issued. Export a new QR code.",
                    now: now))
        }
        guard !match.content.isExpired(at: now) else {
            return .refuse(
                DeviceError(
                    .challengeExpired,
                    "This \(name) answers a challenge that expired at \(match.content.expiresAt.inReason). Export a new QR code and ask again."
                ))
        }
        return begin(
            .recover(mode, RecoveryPremise(challengeNonce: match.content.nonce)), source: source, guess: nil,
            work: work(.none, newAccountWork(newPassword, after: admin, mode: mode, now: now), now: now))
    }

    // MARK: F5/F6: reset file

    /// Resets the password with a reset file signed by the authority.
    mutating func recover(resetFile xml: [UInt8], newPassword: String, source: String, now: Date) -> Step {
        let admin: AdminAccount
        do {
            admin = try checkRecovery(.supportFile, credential: .resetFile, newPassword: newPassword, source: source, now: now)
        } catch {
            return .refuse(error)
        }
        guard let authority = profile.authority else {
            return .refuse(DeviceError(.modeUnavailable, "This device has no recovery authority."))
        }
        let file: ResetFile
        do {
            file = try ResetFile(xml: xml)
            try file.verify(with: authority)
        } catch {
            return .refuse(recordFailure(.resetFile, source: source, what: error.reason, now: now))
        }
        let authorization = file.authorization
        guard authorization.serial == profile.serial else {
            return .refuse(
                recordFailure(
                    .resetFile, source: source, what: "This reset file is for device \(authorization.serial), not for this one.", now: now))
        }
        guard authorization.action == ResetAuthorization.resetAdminPassword else {
            return .refuse(
                recordFailure(
                    .resetFile, source: source, what: "This reset file authorises \(authorization.action), not a password reset.",
                    now: now))
        }
        guard
            let pending = state.pendingChallenges.first(where: {
                $0.content.nonce == authorization.nonce && $0.content.purpose == .supportCase
            })
        else {
            return .refuse(
                recordFailure(
                    .resetFile, source: source,
                    what: "This reset file answers no challenge waiting on this device: it was used already, or the challenge was voided.",
                    now: now))
        }
        guard authorization.expiresAt > now, !pending.content.isExpired(at: now) else {
            return .refuse(
                DeviceError(
                    .challengeExpired,
                    "This reset file expired at \(min(authorization.expiresAt, pending.content.expiresAt).inReason). Export a new QR code and open a new case."
                ))
        }
        return begin(
            .recover(.supportFile, RecoveryPremise(challengeNonce: authorization.nonce)), source: source, guess: nil,
            work: work(.none, newAccountWork(newPassword, after: admin, mode: .supportFile, now: now), now: now))
    }

    // MARK: F7: owner-approved reset, over the cloud link

    /// Applies a command the platform relayed: signed by the authority, for this serial,
    /// unexpired, never applied before. Every refusal of a command counts as a failure of
    /// the cloud source in the one lock-out book, like any other wrong credential.
    mutating func apply(_ signed: SignedCommand, source: String, now: Date) -> Step {
        guard let authority = profile.authority else {
            return .refuse(DeviceError(.modeUnavailable, "This device has no recovery authority."))
        }
        do {
            try checkLock(source: source, credential: .cloudCommand, now: now)
        } catch {
            return .refuse(error)
        }
        do {
            try signed.verify(with: authority, serial: profile.serial, now: now)
        } catch {
            return .refuse(recordFailure(.cloudCommand, source: source, what: error.reason, now: now))
        }
        let command = signed.command
        let live = (state.appliedCommands ?? []).filter { $0.expiresAt > now }
        if live.count != state.appliedCommands?.count ?? 0 { state.appliedCommands = live }
        guard !live.contains(where: { $0.id == command.idText }) else {
            return .refuse(recordFailure(.cloudCommand, source: source, what: "This command was applied already.", now: now))
        }
        switch command.action {
        case .setAdminPassword(let sealed):
            let password: String
            do {
                password = try sealed.open(with: profile.keys.agreement, serial: profile.serial)
            } catch {
                return .refuse(recordFailure(.cloudCommand, source: source, what: error.reason, now: now))
            }
            let admin: AdminAccount
            do {
                admin = try checkRecovery(.ownerApproval, credential: .cloudCommand, newPassword: password, source: source, now: now)
            } catch {
                return .refuse(error)
            }
            let premise = RecoveryPremise(command: AppliedCommand(id: command.idText, expiresAt: command.expiresAt))
            return begin(
                .recover(.ownerApproval, premise), source: source, guess: nil,
                work: work(.none, newAccountWork(password, after: admin, mode: .ownerApproval, now: now), now: now))
        }
    }

    /// Sets the recovered password, once the attempt's premises are found unchanged.
    mutating func completeRecovery(_ mode: RecoveryModes.Mode, premise: RecoveryPremise, account: AdminAccount?, source: String)
        throws(DeviceError)
    {
        if let nonce = premise.challengeNonce {
            guard state.pendingChallenges.contains(where: { $0.content.nonce == nonce }) else {
                throw DeviceError(.unknownChallenge, "This challenge was used or voided meanwhile; nothing was done.")
            }
            state.pendingChallenges.removeAll { $0.content.nonce == nonce }
        }
        if let command = premise.command {
            var applied = state.appliedCommands ?? []
            guard !applied.contains(where: { $0.id == command.id }) else {
                throw DeviceError(.conflict, "This command was applied already; nothing was done.")
            }
            applied.append(command)
            state.appliedCommands = applied
        }
        if let exportedAt = premise.guidExportedAt {
            guard state.recovery.guid?.exportedAt == exportedAt else {
                throw DeviceError(.unknownChallenge, "This GUID file was used or replaced meanwhile; nothing was done.")
            }
        }
        recordSuccess(mode.credential, source: source)
        guard let account else { return }
        replacePassword(with: account)
    }
}

extension RecoveryModes.Mode {
    /// The credential an attempt in this mode presents, as the lock-out counts it.
    var credential: CredentialKind {
        switch self {
        case .guidFile: .guidFile
        case .securityQuestions: .securityAnswers
        case .reservedEmail: .verificationCode
        case .supportKey: .resetKey
        case .supportFile: .resetFile
        case .ownerApproval: .cloudCommand
        }
    }
}
