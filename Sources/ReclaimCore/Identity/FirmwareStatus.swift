/// How a device's firmware compares with the newest release the model catalogue knows of.
///
/// The one rule both hardening checks read: the LAN tool's `reclaim audit` (from what a
/// device announces) and the device page's checklist (from the device's own identity), so
/// they never disagree about whether a device is up to date.
public enum FirmwareStatus: Sendable, Hashable {
    /// The newest release the catalogue knows of its model, or a later one (a signed release
    /// installed before the catalogue heard of it).
    case current
    /// An older release; `latest` is the one to install.
    case outdated(latest: DeviceModel.Firmware)
    /// The model is not in the catalogue (or the device did not say what it runs), so
    /// nothing is known of its releases: a person checks the vendor's.
    case unknown

    /// Compares `installed` with the last of `model`'s releases.
    ///
    /// ```swift
    /// FirmwareStatus(installed: .init("V5.7.3", build: "220112"), model: DeviceModel.named("DS-2CD2386G2-IU"))
    /// // .outdated(latest: V5.7.15 build 230815)
    /// ```
    public init(installed: DeviceModel.Firmware?, model: DeviceModel?) {
        guard let installed, let latest = model?.firmwareVersions.last else {
            self = .unknown
            return
        }
        self = installed.isSameRelease(as: latest) || installed.isNewer(than: latest) ? .current : .outdated(latest: latest)
    }
}
