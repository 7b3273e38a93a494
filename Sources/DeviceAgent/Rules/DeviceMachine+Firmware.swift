import Foundation
import ReclaimCore

/// Firmware updates: a package signed by a trusted release key, for this model, newer than
/// what the device runs.
extension DeviceMachine {
    /// The firmware the device runs: the last package installed, or the one it was made with.
    var firmware: DeviceModel.Firmware { state.firmwareUpdate?.firmware ?? profile.factoryFirmware }

    /// Installs `package` (read from the upload, not yet trusted) if it is genuine, for this
    /// model and newer than the running firmware; the change is in ``state`` on return.
    ///
    /// The check runs here, against the state as it is now, so of two uploads racing only
    /// the first can install, and the second is refused as not newer.
    mutating func installFirmware(_ package: FirmwarePackage, source: String, now: Date) throws(DeviceError) -> FirmwareUpdate {
        _ = try requireActivated()
        let running = firmware
        do {
            try package.check(model: profile.modelName, installed: running, trusting: profile.releaseKeys)
        } catch {
            throw DeviceError(firmware: error)
        }
        let update = FirmwareUpdate(
            firmware: package.firmware, previous: running, keyID: package.keyID, installedAt: now.wholeSeconds, installedBy: source)
        state.firmwareUpdate = update
        return update
    }
}
