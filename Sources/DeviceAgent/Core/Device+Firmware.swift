public import Foundation
import Logging
import NIOConcurrencyHelpers
public import ReclaimCore

/// Firmware updates (`PUT /ISAPI/System/updateFirmware`, the page's firmware form).
extension Device {
    /// The firmware the device runs now.
    public var firmware: DeviceModel.Firmware { machine.firmware }

    /// Reads, checks and installs a firmware package. Callers have signed the admin in.
    ///
    /// The package is read off the actor (it may be megabytes); the rules — signature, model,
    /// version — are the machine's, and the new firmware is on disk before this returns.
    public func installFirmware(_ bytes: [UInt8], source: String) async throws(DeviceError) -> FirmwareUpdate {
        let read = await offload { Result { () throws(FirmwareRefusal) in try FirmwarePackage(bytes: bytes) } }
        let package: FirmwarePackage
        switch read {
        case .success(let read): package = read
        case .failure(let refusal): throw refusalLogged(DeviceError(firmware: refusal), source: source)
        }
        let update: FirmwareUpdate
        do {
            update = try machine.installFirmware(package, source: source, now: now)
        } catch {
            throw refusalLogged(error, source: source)
        }
        deviceInfoCache.withLockedValue { $0.invalidate() }
        try await save()
        logger.notice(
            "firmware installed",
            metadata: [
                "firmware": .string(update.firmware.displayString), "previous": .string(update.previous.displayString),
                "key": .string(update.keyID.description), "source": .string(source),
            ])
        report(LinkReport(event: LinkReport.firmwareInstalled, at: now, source: source, firmware: update.firmware.displayString))
        linkStatusChanged()
        return update
    }

    /// Logs a refused package (who sent it and why) and hands the refusal back.
    private func refusalLogged(_ error: DeviceError, source: String) -> DeviceError {
        logger.warning(
            "firmware package refused",
            metadata: ["reason": .string(error.firmwareRefusal?.rawValue ?? error.code.rawValue), "source": .string(source)])
        return error
    }
}
