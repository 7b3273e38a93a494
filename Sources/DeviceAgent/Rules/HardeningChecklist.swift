public import Foundation
public import ReclaimCore

/// The hardening checklist the device page shows after activation, after a recovery and on
/// the signed-in home page (flow F9): what keeps the device safe on its network, each
/// with whether it is done.
///
/// A pure function of the device's identity and state, so it is tested with no page and no
/// disk. It asks what the LAN tool's `reclaim audit` asks from outside, answered from
/// inside: the firmware through the same rule (``FirmwareStatus``), the GUID file by the
/// password generation it was exported under.
public struct HardeningChecklist: Sendable, Hashable {
    public enum Item: Sendable, Hashable {
        /// The admin password's strength class, judged when it was set; nil when it never was
        /// (a password set before the device rated them).
        case strongPassword(PasswordPolicy.Strength?)
        /// The recovery modes an owner sets up on the device itself, in the page's order;
        /// `emailSupported` says whether the reserved e-mail could be one.
        case recoveryMethod(ready: [RecoveryModes.Mode], emailSupported: Bool)
        /// When the GUID file valid under the current password was exported; nil when none is.
        case freshGUIDFile(exportedAt: Date?)
        /// The firmware installed and how it compares with the catalogue's latest for the model.
        case currentFirmware(installed: DeviceModel.Firmware, status: FirmwareStatus)
        /// Whether UPnP port mapping is on.
        case upnpOff(enabled: Bool)

        public var isDone: Bool {
            switch self {
            case .strongPassword(let strength): strength == .strong
            case .recoveryMethod(let ready, _): !ready.isEmpty
            case .freshGUIDFile(let exportedAt): exportedAt != nil
            case .currentFirmware(_, let status): status == .current
            case .upnpOff(let enabled): !enabled
            }
        }
    }

    /// The modes an owner sets up themselves; the support desk's and the owner app's need
    /// nothing set up, so they never tick the box.
    static let selfServiceModes: [RecoveryModes.Mode] = [.guidFile, .securityQuestions, .reservedEmail]

    /// In the order the page lists them: the password first, UPnP last.
    public let items: [Item]

    /// The checklist of a device in `state`; nil before activation, when there is no
    /// password to protect yet and the page asks for one instead.
    public init?(identity: DeviceIdentity, state: DeviceState, modes: RecoveryModes) {
        guard let admin = state.admin else { return nil }
        let guid = state.recovery.guid.flatMap { $0.generation == admin.generation ? $0 : nil }
        let firmware = state.installedFirmware(identity)
        items = [
            .strongPassword(admin.strength),
            .recoveryMethod(
                ready: Self.selfServiceModes.filter(modes.ready.contains), emailSupported: modes.supported.contains(.reservedEmail)),
            .freshGUIDFile(exportedAt: guid?.exportedAt),
            // By name, not `identity.model`: that one makes up a model (with only the installed
            // firmware) for a name the catalogue lacks, which would always read as current.
            .currentFirmware(
                installed: firmware, status: FirmwareStatus(installed: firmware, model: DeviceModel.named(identity.modelName))),
            .upnpOff(enabled: state.settings.upnpEnabled),
        ]
    }

    /// How many items are not done.
    public var itemsLeft: Int { items.count(where: { !$0.isDone }) }
}
