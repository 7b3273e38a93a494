import Foundation
import Logging
public import ReclaimCore

/// Which recovery modes a device supports and which are ready to use now.
public struct RecoveryModes: Sendable, Hashable {
    public enum Mode: String, Sendable, CaseIterable, Hashable {
        case guidFile, securityQuestions, reservedEmail, supportKey, supportFile
    }

    /// Modes the firmware has (e-mail and support need a recovery authority).
    public var supported: Set<Mode>
    /// Supported modes that are set up: a GUID exported, questions set, an address reserved.
    public var ready: Set<Mode>
}

extension Device {
    public var recoveryModes: RecoveryModes {
        var supported: Set<RecoveryModes.Mode> = [.guidFile, .securityQuestions]
        if identity.authority != nil { supported.formUnion([.reservedEmail, .supportKey, .supportFile]) }
        var ready: Set<RecoveryModes.Mode> = []
        guard state.isActivated else { return RecoveryModes(supported: supported, ready: []) }
        if state.recovery.guid != nil { ready.insert(.guidFile) }
        if state.recovery.questions != nil { ready.insert(.securityQuestions) }
        if identity.authority != nil {
            if state.recovery.reservedEmail != nil { ready.insert(.reservedEmail) }
            ready.formUnion([.supportKey, .supportFile])
        }
        return RecoveryModes(supported: supported, ready: ready)
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

    // MARK: Challenges

    /// Makes and keeps a new challenge, sealed for the authority. Earlier live
    /// challenges stay valid: exporting again never voids a key already on its way.
    public func issueChallenge(purpose: ChallengePurpose, source: String) async throws(DeviceError) -> PendingChallenge {
        try requireActivated()
        guard let authority = identity.authority else {
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
            purpose: purpose, serial: identity.serial, model: identity.modelName, now: now, lifetime: state.settings.challengeLifetime,
            reservedEmail: email)
        let text: String
        do {
            text = try Challenge.seal(content, deviceKeys: identity.keys, authority: authority)
        } catch {
            throw DeviceError(.modeUnavailable, error.reason)
        }
        var next = state
        next.pendingChallenges = Self.pruned(next.pendingChallenges, now: now)
        let pending = PendingChallenge(content: content, text: text, requestedBy: source)
        PendingChallenge.admit(pending, to: &next.pendingChallenges)
        try await commit(next)
        logger.notice("challenge issued", metadata: ["purpose": .string(purpose.name), "source": .string(source)])
        return pending
    }

    /// Drops challenges long past expiry; recently expired ones stay a day so a late
    /// key gets "expired" rather than "unknown".
    nonisolated static func pruned(_ challenges: [PendingChallenge], now: Date) -> [PendingChallenge] {
        challenges.filter { now.timeIntervalSince($0.content.expiresAt) < 86400 }
    }

    func requireActivated() throws(DeviceError) {
        guard state.isActivated else {
            throw DeviceError(.notActivated, "The device is not activated: it has no password to recover. Activate it instead.")
        }
    }

    /// Everything a recovery attempt checks before looking at the credential.
    func prepareRecovery(_ mode: RecoveryModes.Mode, newPassword: String, source: String) throws(DeviceError) -> AdminAccount {
        guard let admin = state.admin else {
            throw DeviceError(.notActivated, "The device is not activated: it has no password to recover. Activate it instead.")
        }
        guard recoveryModes.supported.contains(mode) else {
            throw DeviceError(.modeUnavailable, "This device does not support this recovery mode.")
        }
        if let lock = state.lockout.lock(for: source, now: now) { throw .locked(lock, now: now) }
        if mode == .guidFile, let lock = state.lockout.guidLock(now: now) { throw .locked(lock, now: now) }
        try checkPolicy(newPassword)
        return admin
    }

    /// Sets the recovered password and records how.
    func completeRecovery(
        _ kind: CredentialKind, mode: RecoveryModes.Mode, newPassword: String, previous: AdminAccount, source: String,
        consuming nonce: [UInt8]? = nil
    ) async throws(DeviceError) {
        let account = await makeAccount(password: newPassword, generation: previous.generation + 1, setBy: mode.rawValue)
        guard state.admin?.generation == previous.generation else {
            throw DeviceError(.badRequest, "The password changed meanwhile; nothing was done.")
        }
        var next = state
        if let nonce {
            guard next.pendingChallenges.contains(where: { $0.content.nonce == nonce }) else {
                throw DeviceError(.unknownChallenge, "This challenge was used meanwhile.")
            }
            next.pendingChallenges.removeAll { $0.content.nonce == nonce }
        }
        _ = next.lockout.recordSuccess(source: source, kind: kind)
        replacePassword(in: &next, with: account)
        try await commit(next)
        logger.notice("password recovered", metadata: ["mode": .string(mode.rawValue), "source": .string(source)])
    }

    // MARK: F2: GUID file

    /// Resets the password with an exported GUID file. The file works once.
    public func recover(guidFile: [UInt8], newPassword: String, source: String) async throws(DeviceError) {
        let admin = try prepareRecovery(.guidFile, newPassword: newPassword, source: source)
        guard let record = state.recovery.guid, record.generation == admin.generation else {
            throw DeviceError(
                .modeUnavailable, "No GUID file is valid on this device: none was exported since the last password change.")
        }
        let file: GUIDFile
        do {
            file = try GUIDFile(xml: guidFile)
        } catch {
            throw await fail(.guidFile, source: source, what: "\(error.reason)")
        }
        guard file.serial == identity.serial else {
            throw await fail(.guidFile, source: source, what: "This GUID file belongs to device \(file.serial), not to this one.")
        }
        let hash = record.secretHash
        let matches = await offload { hash.matches(file.secret) }
        guard matches, state.recovery.guid?.exportedAt == record.exportedAt else {
            throw await fail(
                .guidFile, source: source,
                what: "This GUID file is not the current one: it was used, replaced, or voided by a password change.")
        }
        try await completeRecovery(.guidFile, mode: .guidFile, newPassword: newPassword, previous: admin, source: source)
    }

    // MARK: F3: security questions

    /// Resets the password with the answers to the three configured questions.
    public func recover(answers: [Int: String], newPassword: String, source: String) async throws(DeviceError) {
        let admin = try prepareRecovery(.securityQuestions, newPassword: newPassword, source: source)
        guard let records = state.recovery.questions else {
            throw DeviceError(.modeUnavailable, "No security questions are set on this device.")
        }
        let pairs = records.map { ($0, answers[$0.questionID] ?? "") }
        let allMatch = await offload { pairs.allSatisfy { record, answer in record.matches(answer) } }
        guard allMatch else {
            throw await fail(.securityAnswers, source: source, what: "One or more answers are wrong.")
        }
        try await completeRecovery(.securityAnswers, mode: .securityQuestions, newPassword: newPassword, previous: admin, source: source)
    }

    // MARK: F4 and F5/F6: verification codes and reset keys

    /// Resets the password with a reset key (support case) or a verification code
    /// (reserved e-mail) that answers one of the live challenges.
    public func recover(code typed: String, kind: RecoveryCode.Kind, newPassword: String, source: String) async throws(DeviceError) {
        let mode: RecoveryModes.Mode = kind == .resetKey ? .supportKey : .reservedEmail
        let credential: CredentialKind = kind == .resetKey ? .resetKey : .verificationCode
        let admin = try prepareRecovery(mode, newPassword: newPassword, source: source)
        let name = kind == .resetKey ? "reset key" : "verification code"
        let code: RecoveryCode
        do {
            code = try RecoveryCode(parsing: typed, kind: kind)
        } catch {
            throw await fail(credential, source: source, what: "\(error.reason)")
        }
        let secret: PerDeviceSecret
        do {
            secret = try identity.perDeviceSecret()
        } catch {
            throw DeviceError(.modeUnavailable, error.reason)
        }
        let now = self.now
        let candidates = state.pendingChallenges.filter { $0.content.purpose == kind.purpose }
        guard let match = candidates.first(where: { RecoveryCode.derive(kind, secret: secret, challenge: $0.content).matches(code) })
        else {
            var next = state
            // A wrong answer counts against every live challenge it could have been for.
            for index in next.pendingChallenges.indices
            where next.pendingChallenges[index].content.purpose == kind.purpose && !next.pendingChallenges[index].content.isExpired(at: now)
            {
                next.pendingChallenges[index].failedAttempts += 1
            }
            next.pendingChallenges.removeAll { $0.failedAttempts >= PendingChallenge.maxFailedAttempts }
            adopt(next)
            let live = candidates.contains { !$0.content.isExpired(at: now) }
            throw await fail(
                credential, source: source,
                what: live
                    ? "This \(name) does not answer any challenge this device issued."
                    : "No challenge is waiting for a \(name): it was used, voided or never issued. Export a new QR code.")
        }
        guard !match.content.isExpired(at: now) else {
            throw DeviceError(
                .challengeExpired,
                "This \(name) answers a challenge that expired at \(match.content.expiresAt.formatted(.iso8601)). Export a new QR code and ask again."
            )
        }
        try await completeRecovery(
            credential, mode: mode, newPassword: newPassword, previous: admin, source: source, consuming: match.content.nonce)
    }

    // MARK: F5/F6: reset file

    /// Resets the password with a reset file signed by the authority.
    public func recover(resetFile xml: [UInt8], newPassword: String, source: String) async throws(DeviceError) {
        let admin = try prepareRecovery(.supportFile, newPassword: newPassword, source: source)
        guard let authority = identity.authority else {
            throw DeviceError(.modeUnavailable, "This device has no recovery authority.")
        }
        let file: ResetFile
        do {
            file = try ResetFile(xml: xml)
            try file.verify(with: authority)
        } catch {
            throw await fail(.resetFile, source: source, what: error.reason)
        }
        let authorization = file.authorization
        guard authorization.serial == identity.serial else {
            throw await fail(.resetFile, source: source, what: "This reset file is for device \(authorization.serial), not for this one.")
        }
        guard authorization.action == ResetAuthorization.resetAdminPassword else {
            throw await fail(.resetFile, source: source, what: "This reset file authorises \(authorization.action), not a password reset.")
        }
        let now = self.now
        guard
            let pending = state.pendingChallenges.first(where: {
                $0.content.nonce == authorization.nonce && $0.content.purpose == .supportCase
            })
        else {
            throw await fail(
                .resetFile, source: source,
                what: "This reset file answers no challenge waiting on this device: it was used already, or the challenge was voided.")
        }
        guard authorization.expiresAt > now, !pending.content.isExpired(at: now) else {
            throw DeviceError(
                .challengeExpired,
                "This reset file expired at \(min(authorization.expiresAt, pending.content.expiresAt).formatted(.iso8601)). Export a new QR code and open a new case."
            )
        }
        try await completeRecovery(
            .resetFile, mode: .supportFile, newPassword: newPassword, previous: admin, source: source, consuming: authorization.nonce)
    }
}
