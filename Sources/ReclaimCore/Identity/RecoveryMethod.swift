/// The ways a device's owner can prove the device is theirs once its admin password is
/// lost, as the compatibility page lists them and the device offers them.
public enum RecoveryMethod: String, Sendable, CaseIterable, Hashable, Codable {
    /// The GUID file exported while the password was known (on the device alone).
    case guidFile
    /// Three security questions set on the device (on the device alone).
    case securityQuestions
    /// A verification code sent by the recovery authority to the reserved address.
    case reservedEmail
    /// A reset code or file issued on a support case, after the reviewer's check.
    case supportCase
    /// A new password the owner approves in the owner app, delivered over the cloud link.
    case ownerApproval

    /// Whether the method needs the device enrolled with the recovery authority at the
    /// factory (its authority bundle): only the authority can vouch for a code or a key.
    public var needsAuthority: Bool {
        switch self {
        case .guidFile, .securityQuestions: false
        case .reservedEmail, .supportCase, .ownerApproval: true
        }
    }
}

extension DeviceModel {
    /// The recovery methods a device of this model offers with `firmware`: the device-local
    /// ones always, the authority's when the device was enrolled. Every firmware in the
    /// catalogue has all five; the device and the compatibility page both read them here.
    public func recoveryMethods(firmware: Firmware, enrolled: Bool) -> [RecoveryMethod] {
        RecoveryMethod.allCases.filter { enrolled || !$0.needsAuthority }
    }
}
