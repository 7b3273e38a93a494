import Foundation
import Hummingbird
import ReclaimCore
import WebSupport

/// The firmware form on the signed-in home page (`#firmware`, where the checklist's firmware
/// item leads).
extension DevicePage {
    /// The form's values on the home page.
    func firmwareValues(_ installed: DeviceModel.Firmware) -> [String: Any] {
        ["firmwareState": t("firmwareInstalledNow", ["installed": installed.displayString])]
    }

    /// `POST /setup/firmware`: installs an uploaded firmware package and shows the home page
    /// with the new release, or with why the package was refused.
    ///
    /// The session is enough, as for UPnP: a package proves itself by its signature, so the
    /// password again would guard nothing the signature does not.
    func updateFirmware() async throws -> Response {
        guard session != nil else { return await home(error: t("form.signInFirst"), status: .unauthorized) }
        let form: SubmittedForm?
        do {
            form = try await page.form(limit: Device.maxFirmwareUpload, fileFields: ["package"], offloaded: true)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return await failure(DeviceError(firmware: .tooLarge(limit: FirmwarePackage.maxSize)))
        }
        guard let form else { return await home(error: t("form.expired"), status: .forbidden) }
        do {
            let update = try await device.installFirmware(try file(form, "package"), source: source)
            let notice = t(
                "firmwareUpdated", ["firmware": update.firmware.displayString, "previous": update.previous.displayString])
            return await dashboard(error: nil, notice: notice, status: .ok)
        } catch {
            return await failure(error)
        }
    }
}

extension Device {
    /// A firmware upload: the largest package and room for the form around it.
    static let maxFirmwareUpload = FirmwarePackage.maxSize + 64 * 1024
}
