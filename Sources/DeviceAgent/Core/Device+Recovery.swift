import Foundation
import Logging
import NIOConcurrencyHelpers
public import ReclaimCore

/// "Forgot password": challenges and the recovery modes, as the machine rules them.
extension Device {
    /// Makes and keeps a new challenge, sealed for the authority. Earlier live
    /// challenges stay valid: exporting again never voids a key already on its way.
    public func issueChallenge(purpose: ChallengePurpose, source: String) async throws(DeviceError) -> PendingChallenge {
        let pending = try machine.issueChallenge(purpose: purpose, source: source, now: now)
        try await save()
        logger.notice("challenge issued", metadata: ["purpose": .string(purpose.name), "source": .string(source)])
        return pending
    }

    /// Resets the password with an exported GUID file. The file works once.
    public func recover(guidFile: [UInt8], newPassword: String, source: String) async throws(DeviceError) {
        try await perform(machine.recover(guidFile: guidFile, newPassword: newPassword, source: source, now: now))
        recovered(.guidFile, source: source)
    }

    /// Resets the password with the answers to the three configured questions.
    public func recover(answers: [Int: String], newPassword: String, source: String) async throws(DeviceError) {
        try await perform(machine.recover(answers: answers, newPassword: newPassword, source: source, now: now))
        recovered(.securityQuestions, source: source)
    }

    /// Resets the password with a reset key (support case) or a verification code
    /// (reserved e-mail) that answers one of the live challenges.
    public func recover(code: String, kind: RecoveryCode.Kind, newPassword: String, source: String) async throws(DeviceError) {
        try await perform(machine.recover(code: code, kind: kind, newPassword: newPassword, source: source, now: now))
        recovered(kind == .resetKey ? .supportKey : .reservedEmail, source: source)
    }

    /// Resets the password with a reset file signed by the authority.
    public func recover(resetFile: [UInt8], newPassword: String, source: String) async throws(DeviceError) {
        try await perform(machine.recover(resetFile: resetFile, newPassword: newPassword, source: source, now: now))
        recovered(.supportFile, source: source)
    }

    func recovered(_ mode: RecoveryModes.Mode, source: String) {
        logger.notice("password recovered", metadata: ["mode": .string(mode.rawValue), "source": .string(source)])
        report(LinkReport(event: mode.rawValue, at: now, source: source))
    }

    /// Tells the cloud link (if any) of a recovery, so the owner hears of every path.
    func report(_ report: LinkReport) {
        recoveryWatchers.withLockedValue { $0.forEach { $0.yield(report) } }
    }
}
