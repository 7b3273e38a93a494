import Foundation
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import DeviceAgent

/// The hardening checklist as a rule: built from an identity and a state by hand, with no
/// device, page or disk.
@Suite struct HardeningChecklistTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    /// A camera of the catalogue, with its older firmware unless a test says otherwise.
    static let camera = DeviceModel.named("DS-2CD2386G2-IU")!

    func identity(model: DeviceModel = camera, firmware: DeviceModel.Firmware? = nil) -> DeviceIdentity {
        var identity = Factory.makeIdentity(model: model, authority: TestAuthority.keys.bundle, now: Self.now)
        identity.firmware = firmware ?? model.firmwareVersions.last!
        return identity
    }

    /// A state activated with `password`, rated by the model's policy as the device rates it.
    func state(password: String = goodPassword, of identity: DeviceIdentity) -> DeviceState {
        var state = DeviceState()
        state.admin = AdminAccount(
            password: password, realm: identity.realm, cost: .light, now: Self.now, generation: 1, setBy: "activation",
            policy: identity.passwordPolicy)
        return state
    }

    func checklist(_ identity: DeviceIdentity, _ state: DeviceState, ready: Set<RecoveryModes.Mode> = []) -> HardeningChecklist? {
        HardeningChecklist(
            identity: identity, state: state,
            modes: RecoveryModes(supported: Set(RecoveryModes.Mode.allCases), ready: ready.union([.supportKey, .supportFile])))
    }

    /// The items that are not done, by name, for short expectations.
    func toDo(_ checklist: HardeningChecklist?) -> [String] {
        (checklist?.items ?? []).filter { !$0.isDone }.map {
            switch $0 {
            case .strongPassword: "password"
            case .recoveryMethod: "recovery"
            case .freshGUIDFile: "guid"
            case .currentFirmware: "firmware"
            case .upnpOff: "upnp"
            }
        }
    }

    @Test func aDeviceNotActivatedHasNoChecklist() {
        let identity = identity()
        #expect(checklist(identity, DeviceState()) == nil)
    }

    @Test func aFreshlyActivatedDeviceStillNeedsARecoveryMethodAndAGUIDFile() throws {
        let identity = identity()
        let list = try #require(checklist(identity, state(of: identity)))
        #expect(toDo(list) == ["recovery", "guid"])
        #expect(list.itemsLeft == 2)
        #expect(list.items[0] == .strongPassword(.strong))
        #expect(list.items[1] == .recoveryMethod(ready: [], emailSupported: true), "the support desk's modes do not count")
    }

    @Test func everythingDoneLeavesNothing() throws {
        let identity = identity()
        var state = state(of: identity)
        state.recovery.guid = GUIDRecord(secretHash: SlowHash(hashing: "g", cost: .light), exportedAt: Self.now, generation: 1)
        let list = try #require(checklist(identity, state, ready: [.guidFile, .securityQuestions]))
        #expect(list.itemsLeft == 0)
        #expect(list.items[1] == .recoveryMethod(ready: [.guidFile, .securityQuestions], emailSupported: true))
        #expect(list.items[2] == .freshGUIDFile(exportedAt: Self.now))
    }

    @Test(arguments: [
        ("tramvianord7", PasswordPolicy.Strength.fair), ("Tr4mvia-Nord", .strong), ("password1", .weak),
    ])
    func onlyAStrongPasswordTicksThePasswordBox(_ password: String, _ strength: PasswordPolicy.Strength) throws {
        let identity = identity()
        let list = try #require(checklist(identity, state(password: password, of: identity)))
        #expect(list.items[0] == .strongPassword(strength))
        #expect(list.items[0].isDone == (strength == .strong))
    }

    @Test func aPasswordTheDeviceNeverRatedIsToDo() throws {
        let identity = identity()
        var state = state(of: identity)
        state.admin?.strength = nil
        let list = try #require(checklist(identity, state))
        #expect(list.items[0] == .strongPassword(nil))
        #expect(toDo(list).contains("password"))
    }

    /// A GUID file belongs to the password it was exported under; one from before the last
    /// change no longer resets anything, so it does not count.
    @Test func aGUIDFileOfAnEarlierPasswordDoesNotCount() throws {
        let identity = identity()
        var state = state(of: identity)
        state.admin?.generation = 2
        state.recovery.guid = GUIDRecord(secretHash: SlowHash(hashing: "g", cost: .light), exportedAt: Self.now, generation: 1)
        let list = try #require(checklist(identity, state))
        #expect(list.items[2] == .freshGUIDFile(exportedAt: nil))
    }

    @Test func firmwareIsComparedWithTheCataloguesLatestRelease() throws {
        let older = Self.camera.firmwareVersions[0], latest = Self.camera.firmwareVersions.last!
        let outdated = identity(firmware: older)
        #expect(
            try #require(checklist(outdated, state(of: outdated))).items[3]
                == .currentFirmware(installed: older, status: .outdated(latest: latest)))
        let current = identity(firmware: latest)
        #expect(try #require(checklist(current, state(of: current))).items[3] == .currentFirmware(installed: latest, status: .current))
    }

    /// A model the catalogue does not know has no known releases: a person checks, so it is
    /// never ticked as current.
    @Test func theFirmwareOfAModelNotInTheCatalogueIsToDo() throws {
        let unknown = DeviceModel(
            name: "DS-2CD1023G0-I", kind: .ipCamera, description: "2 MP bullet", analogChannels: 0, digitalChannels: 1,
            passwordProfile: .compatible, firmwareVersions: [.init("V5.5.0", build: "170101")])
        let identity = identity(model: unknown)
        let list = try #require(checklist(identity, state(of: identity)))
        #expect(list.items[3] == .currentFirmware(installed: .init("V5.5.0", build: "170101"), status: .unknown))
        #expect(toDo(list).contains("firmware"))
    }

    @Test func upnpOnIsToDo() throws {
        let identity = identity()
        var state = state(of: identity)
        state.settings.upnpEnabled = true
        #expect(toDo(checklist(identity, state)).contains("upnp"))
        state.settings.upnpEnabled = false
        #expect(!toDo(checklist(identity, state)).contains("upnp"))
    }

    @Test func withoutAnAuthorityTheReservedEmailIsNotOffered() throws {
        let identity = identity()
        let list = HardeningChecklist(
            identity: identity, state: state(of: identity), modes: RecoveryModes(supported: [.guidFile, .securityQuestions], ready: []))
        #expect(list?.items[1] == .recoveryMethod(ready: [], emailSupported: false))
    }
}
