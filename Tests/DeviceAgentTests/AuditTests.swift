import Foundation
import ReclaimCore
import ReclaimTestSupport
import SADP
import Testing

@testable import DeviceAgent
@testable import ReclaimLAN

/// `reclaim audit`'s checks against real devices served over HTTP: each finding planted on
/// a device, then read the way the LAN tool reads it — the device's discovery answer, and
/// its API signed in with the password given. (Discovery itself, and the tool's text and
/// JSON, are walked in `tests/test_audit.py`, which needs multicast.)
@Suite struct AuditTests {
    static let camera = DeviceModel.named("DS-2CD2386G2-IU")!
    static let older = camera.firmwareVersions[0]
    static let latest = camera.firmwareVersions.last!
    let clock = TestClock()

    /// A device of `model` running `firmware`, starting from the state `state` makes.
    func device(
        model: DeviceModel = camera, firmware: DeviceModel.Firmware = latest,
        state: (DeviceIdentity) -> DeviceState = { _ in DeviceState() }
    ) throws -> Device {
        var identity = Factory.makeIdentity(model: model, authority: TestAuthority.keys.bundle, now: clock.now)
        identity.firmware = firmware
        let store = DeviceStore(directory: temporaryDirectory())
        try store.create(identity, initialState: state(identity), durable: false)
        let clock = self.clock
        return try Device.open(store: store, configuration: DeviceConfiguration(hashCost: .light, clock: { clock.now }), logger: testLogger)
    }

    /// An activated device of the catalogue's camera with the latest firmware.
    func activated(_ password: String = goodPassword) async throws -> Device {
        let device = try device()
        try await device.activate(password: password, source: "installer")
        return device
    }

    /// A state whose admin password was set by other rules than today's: the device rated it
    /// with `policy` (nil: it never rated it, as before it rated passwords).
    func legacyState(_ password: String, policy: Bool) -> (DeviceIdentity) -> DeviceState {
        { [clock] identity in
            var state = DeviceState()
            state.admin = AdminAccount(
                password: password, realm: identity.realm, cost: .light, now: clock.now, generation: 1, setBy: "activation",
                policy: policy ? identity.passwordPolicy : nil)
            return state
        }
    }

    /// Serves `device` and runs `body` with what it announces on the LAN at that address.
    func onTheLAN<T: Sendable>(_ device: Device, _ body: @Sendable (DeviceAnnouncement) async throws -> T) async throws -> T {
        try await withLiveDevice(device) { base in
            let port = try #require(Int(base.split(separator: ":").last ?? ""))
            return try await body(await device.announcement(address: "127.0.0.1", httpPort: port))
        }
    }

    func audit(_ device: Device, password: String?) async throws -> AuditReport {
        try await onTheLAN(device) { await Auditor.audit($0, password: password) }
    }

    func finding(_ report: AuditReport, _ check: String) -> AuditReport.Finding? {
        report.findings.first { $0.check == check }
    }

    // MARK: Activation and firmware: what the LAN shows

    @Test func aDeviceNotActivatedIsHighAndNothingElseIsAsked() async throws {
        let report = try await audit(try device(), password: goodPassword)
        #expect(
            finding(report, "activation")
                == .init(
                    check: "activation", severity: .high,
                    message: "Not activated: anyone on the LAN can set its password. Activate it now (`reclaim activate`)."))
        #expect(report.severity == .high)
        #expect(Set(report.findings.map(\.check)) == ["activation", "firmware"], "no password, recovery or UPnP before activation")
    }

    @Test func theLatestFirmwareIsFine() async throws {
        let report = try await audit(try await activated(), password: nil)
        #expect(
            finding(report, "firmware")
                == .init(check: "firmware", severity: .ok, message: "V5.7.15 build 230815 is the latest known release."))
    }

    @Test func olderFirmwareNamesTheReleaseToInstall() async throws {
        let device = try device(firmware: Self.older)
        try await device.activate(password: goodPassword, source: "installer")
        let report = try await audit(device, password: nil)
        #expect(
            finding(report, "firmware")
                == .init(
                    check: "firmware", severity: .medium,
                    message: "V5.7.3 build 220112 is installed; V5.7.15 build 230815 is available: update it."))
    }

    @Test func theFirmwareOfAModelNotInTheCatalogueIsForAPersonToCheck() async throws {
        let unknown = DeviceModel(
            name: "DS-2CD1023G0-I", kind: .ipCamera, description: "2 MP bullet", analogChannels: 0, digitalChannels: 1,
            passwordProfile: .compatible, firmwareVersions: [.init("V5.5.0", build: "170101")])
        let report = try await audit(try device(model: unknown, firmware: .init("V5.5.0", build: "170101")), password: nil)
        #expect(
            finding(report, "firmware")
                == .init(
                    check: "firmware", severity: .info,
                    message: "Firmware V5.5.0build 170101 of an unknown model: check the vendor's releases."))
    }

    // MARK: Recovery and the GUID file

    @Test func noRecoveryMethodAndNoGUIDFile() async throws {
        let report = try await audit(try await activated(), password: nil)
        #expect(
            finding(report, "recovery")
                == .init(
                    check: "recovery", severity: .medium,
                    message: "No self-service recovery is set up: set security questions, a reserved e-mail, or export a GUID file."))
        #expect(
            finding(report, "guid")
                == .init(
                    check: "guid", severity: .low,
                    message:
                        "No GUID file was exported since the last password change: export a fresh one (`reclaim guid export`) and keep it offline."
                ))
    }

    @Test func recoverySetUpAndAFreshGUIDFile() async throws {
        let device = try await activated()
        try await device.setReservedEmail("owner@example.org", password: goodPassword, source: "installer")
        _ = try await device.exportGUID()
        let report = try await audit(device, password: nil)
        #expect(finding(report, "recovery") == .init(check: "recovery", severity: .ok, message: "Set up: guidFile, reservedEmail."))
        #expect(
            finding(report, "guid")
                == .init(check: "guid", severity: .ok, message: "A GUID file exported since the last password change is valid."))
        #expect(report.recoveryReady.contains("reservedEmail"))
    }

    @Test func aGUIDFileExportedBeforeThePasswordChangedIsStale() async throws {
        let device = try await activated()
        _ = try await device.exportGUID()
        try await device.changePassword(current: goodPassword, new: otherPassword, source: "installer")
        let report = try await audit(device, password: nil)
        #expect(finding(report, "guid")?.severity == .low)
        #expect(finding(report, "recovery")?.severity == .medium, "the only method was that GUID file")
    }

    // MARK: The password, with it given

    @Test func aStrongPassword() async throws {
        let report = try await audit(try await activated("Tr4mvia-Nord"), password: "Tr4mvia-Nord")
        #expect(finding(report, "password") == .init(check: "password", severity: .ok, message: "The admin password is strong."))
        #expect(report.passwordStrength == "strong")
    }

    @Test func aFairPassword() async throws {
        let report = try await audit(try await activated("tramvianord7"), password: "tramvianord7")
        #expect(
            finding(report, "password")
                == .init(
                    check: "password", severity: .medium,
                    message: "The admin password only just meets the rules: use 12 or more characters of 3 kinds, or a long passphrase."))
    }

    /// The device refuses a password that breaks its rules, so a weak one comes from a state
    /// set under other rules: here "password1", rated by today's.
    @Test func aWeakPassword() async throws {
        let device = try device(state: legacyState("password1", policy: true))
        let report = try await audit(device, password: "password1")
        #expect(
            finding(report, "password")
                == .init(check: "password", severity: .high, message: "The admin password breaks the current rules: change it now."))
        #expect(report.severity == .high)
    }

    @Test func aPasswordTheDeviceNeverRated() async throws {
        let device = try device(state: legacyState(goodPassword, policy: false))
        let report = try await audit(device, password: goodPassword)
        #expect(
            finding(report, "password")
                == .init(check: "password", severity: .info, message: "The device does not report its password's strength."))
    }

    @Test func aPasswordThatDoesNotSignIn() async throws {
        let device = try await activated()
        try await device.updateSettings { $0.upnpEnabled = true }
        let report = try await audit(device, password: "Wrong-pass1")
        #expect(
            finding(report, "password")
                == .init(
                    check: "password", severity: .info,
                    message: "The admin password given does not sign in; password strength and UPnP were not checked."))
        #expect(finding(report, "upnp") == nil)
        #expect(report.upnpEnabled == nil)
    }

    @Test func noPasswordGiven() async throws {
        let report = try await audit(try await activated(), password: nil)
        #expect(
            finding(report, "password")
                == .init(
                    check: "password", severity: .info, message: "Give the admin password (--password-file) to check its strength and UPnP."
                ))
        #expect(finding(report, "upnp") == nil)
    }

    // MARK: UPnP

    @Test func upnpOnAndOff() async throws {
        let device = try await activated()
        #expect(
            finding(try await audit(device, password: goodPassword), "upnp") == .init(check: "upnp", severity: .ok, message: "UPnP is off.")
        )
        try await device.updateSettings { $0.upnpEnabled = true }
        let report = try await audit(device, password: goodPassword)
        #expect(
            finding(report, "upnp")
                == .init(
                    check: "upnp", severity: .medium,
                    message:
                        "UPnP is on: it can open ports on the router. Turn it off unless remote access needs it (`reclaim audit --fix` does)."
                ))
        #expect(report.upnpEnabled == true)
        #expect(report.safeFixes == [.upnpOff])
    }

    // MARK: --fix

    @Test func fixTurnsUPnPOffAndLeavesTheRestForAPerson() async throws {
        let device = try await activated("tramvianord7")
        try await device.updateSettings { $0.upnpEnabled = true }
        let report = try await onTheLAN(device) { await Auditor.auditAndFix($0, password: "tramvianord7") }
        #expect(await device.settings.upnpEnabled == false)
        #expect(report.fixes == [.init(fix: .upnpOff, applied: true, message: "UPnP turned off.")])
        #expect(finding(report, "upnp")?.severity == .ok, "checked again after the fix")
        #expect(report.leftForAPerson.map(\.check) == ["recovery", "guid", "password"])
    }

    @Test func fixWithAPasswordThatDoesNotSignInChangesNothing() async throws {
        let device = try await activated()
        try await device.updateSettings { $0.upnpEnabled = true }
        let report = try await onTheLAN(device) { await Auditor.auditAndFix($0, password: "Wrong-pass1") }
        #expect(await device.settings.upnpEnabled == true)
        #expect(report.fixes == [])
        #expect(report.leftForAPerson.map(\.check).contains("password"))
    }

    @Test func fixOnAHardenedDeviceHasNothingToDo() async throws {
        let device = try await activated()
        try await device.setReservedEmail("owner@example.org", password: goodPassword, source: "installer")
        _ = try await device.exportGUID()
        let report = try await onTheLAN(device) { await Auditor.auditAndFix($0, password: goodPassword) }
        #expect(report.fixes == [])
        #expect(report.leftForAPerson.isEmpty)
        #expect(report.severity == .ok)
    }

    // MARK: The device's API from the LAN tool

    @Test func upnpIsSetOverTheAPIWithTheAdminPasswordOnly() async throws {
        let device = try await activated()
        try await onTheLAN(device) { announcement in
            let wrong = await #expect(throws: LANError.self) {
                try await DeviceAPI(announcement, password: "Wrong-pass1").setUPnP(enabled: true)
            }
            #expect(wrong?.kind == .wrongCredential)
            #expect(
                wrong?.description.hasSuffix(
                    "the admin password given does not sign in. 4 attempts left before a lock-out. Check the password file.") == true)
            #expect(await device.settings.upnpEnabled == false)
            try await DeviceAPI(announcement, password: goodPassword).setUPnP(enabled: true)
            #expect(await device.settings.upnpEnabled == true)
            try await DeviceAPI(announcement, password: goodPassword).setUPnP(enabled: false)
            #expect(try await DeviceAPI(announcement, password: goodPassword).upnpEnabled() == false)
        }
    }
}
