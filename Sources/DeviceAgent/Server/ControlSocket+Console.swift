import Foundation
import ReclaimCore

/// The local console's operations on the control socket (see ``ConsoleRequest``).
extension ControlSocket {
    /// The caller the lock-out book counts the console's attempts under. Whoever sits at
    /// the device's own monitor is one caller, apart from every network address, and
    /// the device-wide limit counts them with everyone else.
    public static let consoleSource = "local console"

    /// Performs `request` on `device` through the same calls the web page makes.
    static func answer(_ request: ConsoleRequest, device: Device) async -> ConsoleAnswer {
        let source = consoleSource
        do throws(DeviceError) {
            switch request {
            case .status:
                return .status(ConsoleStatus(device.identity, await device.snapshot))
            case .signIn(let password):
                try await device.verifyPassword(password, source: source)
            case .recoverWithGUIDFile(let file, let newPassword):
                try await device.recover(guidFile: Array(file), newPassword: newPassword, source: source)
            case .recoverWithAnswers(let answers, let newPassword):
                let byID = Dictionary(answers.map { ($0.questionID, $0.answer) }, uniquingKeysWith: { first, _ in first })
                try await device.recover(answers: byID, newPassword: newPassword, source: source)
            case .reservedEmailChallenge:
                let pending = try await device.issueChallenge(purpose: .reservedEmail, source: source)
                return .challenge(text: pending.text, expiresAt: pending.content.expiresAt)
            case .recoverWithCode(let code, let newPassword):
                try await device.recover(code: code, kind: .verificationCode, newPassword: newPassword, source: source)
            }
            return .done
        } catch {
            return .refused(ConsoleRefusal(error))
        }
    }
}

extension ConsoleStatus {
    init(_ identity: DeviceIdentity, _ snapshot: DeviceSnapshot) {
        let order = RecoveryModes.Mode.allCases
        self.init(
            serial: identity.serial.text, model: identity.modelName, firmware: snapshot.state.installedFirmware(identity).displayString,
            mac: identity.mac.description, activated: snapshot.state.isActivated, passwordProfile: identity.passwordPolicy.profile,
            supported: order.filter(snapshot.modes.supported.contains), ready: order.filter(snapshot.modes.ready.contains),
            questionIDs: snapshot.configuredQuestions.map(\.id), maskedEmail: snapshot.maskedReservedEmail)
    }
}
