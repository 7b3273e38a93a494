import AsyncHTTPClient
import Foundation
import ISAPIClient
import NIOCore
import NIOHTTP1
import ReclaimCore
import ReclaimLAN
import ReclaimTestSupport
import SADP
import Testing
import WebSupport

@testable import DeviceAgent

/// Firmware updates on the device: over ISAPI, on its page and from the LAN tool's API; the
/// new release everywhere the device says what it runs, kept across a restart and a
/// factory reset; every refusal with its code and words.
@Suite struct FirmwareUpdateTests {
    static let camera = DeviceModel.catalogue[0]
    static let older = camera.firmwareVersions[0]
    static let latest = camera.firmwareVersions.last!
    static let key = ReleaseSigningKey.generate()

    static func package(
        _ firmware: DeviceModel.Firmware = latest, models: [String] = [camera.name], key: ReleaseSigningKey = key
    ) throws -> [UInt8] {
        try FirmwarePackage.sign(models: models, firmware: firmware, payload: Array("lab image \(firmware.version)".utf8), with: key)
            .bytes
    }

    /// An activated camera made with its older firmware, trusting ``key``.
    static func device(directory: String = temporaryDirectory(), releaseKeys: [ReleaseKey] = [key.publicKey]) async throws -> Device {
        let device = try makeDevice(model: camera, directory: directory, firmware: older, releaseKeys: releaseKeys)
        if await !device.isActivated { try await device.activate(password: goodPassword, source: "192.0.2.1") }
        return device
    }

    @Test func anUpdateOverISAPIShowsEverywhereAndSurvivesARestartAndAFactoryReset() async throws {
        let directory = temporaryDirectory()
        let device = try await Self.device(directory: directory)
        let checklistBefore = try #require(
            HardeningChecklist(identity: device.identity, state: await device.snapshot.state, modes: await device.recoveryModes))
        #expect(checklistBefore.items.contains(.currentFirmware(installed: Self.older, status: .outdated(latest: Self.latest))))

        try await withLiveDevice(device) { base in
            let client = ISAPIClient(baseURL: base, password: goodPassword)
            let reply = try await client.send(
                .PUT, "/ISAPI/System/updateFirmware", body: try Self.package(), contentType: "application/octet-stream")
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.xml?.value("firmwareVersion") == "V5.7.15")
            #expect(reply.xml?.value("previousFirmwareVersion") == "V5.7.3")
            let info = try await client.get("/ISAPI/System/deviceInfo").xml
            #expect(info?.value("firmwareVersion") == "V5.7.15")
            #expect(info?.value("firmwareReleasedDate") == "build 230815")
        }
        #expect(await device.firmware == Self.latest)
        let announced = await device.announcement(address: "127.0.0.1", httpPort: 80)
        #expect(announced.softwareVersion == "V5.7.15build 230815")
        #expect(announced.firmware == Self.latest)
        let checklist = try #require(
            HardeningChecklist(identity: device.identity, state: await device.snapshot.state, modes: await device.recoveryModes))
        #expect(checklist.items.contains(.currentFirmware(installed: Self.latest, status: .current)))
        #expect(await device.linkStatus(lanAddress: "127.0.0.1").firmware == "V5.7.15")

        // Restarted from its folder: the same release, and the older one is still refused.
        let again = try await Self.device(directory: directory)
        #expect(await again.firmware == Self.latest)
        let update = try #require(await again.snapshot.state.firmwareUpdate)
        #expect(update.previous == Self.older && update.keyID == Self.key.id && update.installedBy == "127.0.0.1")
        let refused = await #expect(throws: DeviceError.self) { try await again.installFirmware(try Self.package(Self.older), source: "t") }
        #expect(refused?.firmwareRefusal == .olderVersion)

        // The reset button erases the configuration, not the firmware.
        #expect(try await again.pressResetButton(heldFor: 12) == .factoryReset)
        #expect(await again.isActivated == false)
        #expect(await again.firmware == Self.latest)
    }

    @Test(arguments: [
        ("tampered", FirmwareRefusal.Kind.badSignature, "firmwareSignatureInvalid"),
        ("unsigned", .unsigned, "firmwareUnsigned"),
        ("another key", .unknownKey, "firmwareKeyUntrusted"),
        ("another model", .wrongModel, "firmwareWrongModel"),
        ("older", .olderVersion, "firmwareDowngrade"),
        ("same", .sameVersion, "firmwareSameVersion"),
        ("not a package", .malformed, "badFirmware"),
    ])
    func aRefusedPackageChangesNothingAndSaysWhy(_ name: String, _ kind: FirmwareRefusal.Kind, _ subStatus: String) async throws {
        let device = try await Self.device()
        let genuine = try Self.package()
        let bytes: [UInt8]
        switch name {
        case "tampered":
            var changed = genuine
            changed[changed.count - 70] ^= 1
            bytes = changed
        case "unsigned":
            let package = try FirmwarePackage(bytes: genuine)
            bytes =
                FirmwarePackage(
                    models: package.models, firmware: package.firmware, keyID: package.keyID, payload: package.payload, signature: []
                )
                .bytes
        case "another key": bytes = try Self.package(key: .generate())
        case "another model": bytes = try Self.package(models: ["DS-7608NXI-K2"])
        case "older": bytes = try Self.package(.init("V5.6.0", build: "200101"))
        case "same": bytes = try Self.package(Self.older)
        default: bytes = Array("<Firmware/>".utf8)
        }
        try await withLiveDevice(device) { base in
            let reply = try await ISAPIClient(baseURL: base, password: goodPassword)
                .send(.PUT, "/ISAPI/System/updateFirmware", body: bytes, contentType: "application/octet-stream")
            #expect(reply.status == .badRequest)
            #expect(reply.subStatusCode == subStatus)
            #expect(reply.xml?.int("statusCode") == 6)
            #expect(reply.errorMessage?.isEmpty == false)
        }
        #expect(await device.firmware == Self.older)
        #expect(await device.snapshot.state.firmwareUpdate == nil)
        let error = await #expect(throws: DeviceError.self) { try await device.installFirmware(bytes, source: "t") }
        #expect(error?.firmwareRefusal == kind)
        // The page says it in each language, from the catalogue, never the English reason in Italian.
        let italian = try #require(error?.message(.italian, DeviceWeb.surface.strings))
        #expect(!italian.hasPrefix("error.") && italian != error?.reason)
    }

    @Test func everyKindOfRefusalHasItsOwnTextInBothLanguages() {
        let strings = DeviceWeb.surface.strings
        let values = [
            "megabytes": "4", "key": "0011223344556677", "model": "M1", "models": "M2", "installed": "V1.0 build 200101",
            "offered": "V0.9 build 190101",
        ]
        for kind in FirmwareRefusal.Kind.allCases {
            let error = DeviceError(firmware: FirmwareRefusal(kind, "The English reason.", values: values))
            #expect(strings.contains("error.firmware.\(kind.rawValue)"), "\(kind)")
            for language in [Language.english, .italian] {
                let message = error.message(language, strings)
                #expect(!message.contains("{") && !message.contains("English reason"), "\(kind) in \(language)")
            }
        }
    }

    @Test func aDeviceWithoutAReleaseKeyRefusesEveryPackage() async throws {
        let device = try await Self.device(releaseKeys: [])
        let error = await #expect(throws: DeviceError.self) { try await device.installFirmware(try Self.package(), source: "t") }
        #expect(error?.firmwareRefusal == .noTrustedKey)
        #expect(await device.firmware == Self.older)
    }

    @Test func aPackageOverTheLimitIsRefusedAndOnlyTheAdminMayInstall() async throws {
        let device = try await Self.device()
        try await withLiveDevice(device) { base in
            let huge = [UInt8](repeating: 1, count: FirmwarePackage.maxSize + 1)
            let reply = try await ISAPIClient(baseURL: base, password: goodPassword)
                .send(.PUT, "/ISAPI/System/updateFirmware", body: huge, contentType: "application/octet-stream")
            #expect(reply.status == .badRequest)
            #expect(reply.subStatusCode == "firmwareTooLarge")
            // No password, or a wrong one: nothing is read, nothing installed.
            let anyone = try await ISAPIClient(baseURL: base, password: nil)
                .send(.PUT, "/ISAPI/System/updateFirmware", body: try Self.package(), contentType: "application/octet-stream")
            #expect(anyone.status == .unauthorized)
            let wrong = try await ISAPIClient(baseURL: base, password: "Wrong-pass1")
                .send(.PUT, "/ISAPI/System/updateFirmware", body: try Self.package(), contentType: "application/octet-stream")
            #expect(wrong.status == .unauthorized)
        }
        #expect(await device.firmware == Self.older)
    }

    @Test func theLANToolsAPISaysTheReleaseBeforeAndAfterOrTheRefusal() async throws {
        let device = try await Self.device()
        try await withLiveDevice(device) { base in
            let url = try #require(URL(string: base))
            let api = DeviceAPI(host: url.host!, port: url.port!, password: goodPassword)
            let change = try await api.upgradeFirmware(try Self.package())
            #expect(change.previous == Self.older && change.installed == Self.latest)
            #expect(change.serial == device.identity.serial.text)
            let error = await #expect(throws: LANError.self) { try await api.upgradeFirmware(try Self.package(Self.older)) }
            #expect(
                error?.description
                    == "\(url.host!):\(url.port!): installing the firmware package was refused: The firmware package holds V5.7.3 build 220112, older than the installed V5.7.15 build 230815; a device never goes back to an older release."
            )
        }
    }

    @Test func thePagesFormInstallsAPackageAndTheChecklistTicksItsItem() async throws {
        let device = try await Self.device()
        try await withLiveDevice(device) { base in
            let browser = WebPageTests.Browser(base: base)
            try await browser.get("/?lang=it")
            try await browser.post("/signin", ["password": goodPassword])
            #expect(browser.page.contains("href=\"/#firmware\" id=\"fix-firmware\""))
            #expect(
                browser.page.contains(
                    "<form class=\"card\" method=\"post\" action=\"/setup/firmware\" enctype=\"multipart/form-data\" id=\"firmware\">"))
            #expect(browser.element("firmware-installed") == "V5.7.3 build 220112")
            #expect(browser.element("check-firmware-status") == "Da fare")

            try await browser.upload("/setup/firmware", field: "package", file: try Self.package(Self.older))
            #expect(browser.status == .badRequest)
            #expect(browser.element("error") == "La versione V5.7.3 build 220112 è già installata; non è cambiato nulla.")

            try await browser.upload("/setup/firmware", field: "package", file: try Self.package())
            #expect(browser.status == .ok)
            #expect(browser.element("notice") == "Firmware V5.7.15 build 230815 installato (al posto di V5.7.3 build 220112).")
            #expect(browser.element("firmware-installed") == "V5.7.15 build 230815")
            #expect(browser.element("check-firmware-status") == "Fatto")
            #expect(browser.element("firmware-state") == "Versione installata: V5.7.15 build 230815.")
        }
    }
}

extension WebPageTests.Browser {
    /// Posts a `multipart/form-data` form with one file, as a browser sends a file input.
    func upload(_ path: String, field: String, file: [UInt8]) async throws {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        let boundary = "reclaim-test-\(UUID().uuidString)"
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n".utf8)
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"firmware.pkg\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                .utf8)
        body += file + Array("\r\n--\(boundary)--\r\n".utf8)
        request.body = .bytes(ByteBuffer(bytes: body))
        try await send(request)
    }
}
