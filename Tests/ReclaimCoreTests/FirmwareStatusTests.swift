import ReclaimCore
import Testing

/// The firmware rule both hardening checks read (the LAN tool's audit, the device page's
/// checklist), against the model catalogue.
@Suite struct FirmwareStatusTests {
    let camera = DeviceModel.named("DS-2CD2386G2-IU")!

    @Test func theLastReleaseOfTheCatalogueIsCurrent() {
        #expect(FirmwareStatus(installed: .init("V5.7.15", build: "230815"), model: camera) == .current)
    }

    @Test func anEarlierReleaseNamesTheLatest() {
        #expect(
            FirmwareStatus(installed: .init("V5.7.3", build: "220112"), model: camera)
                == .outdated(latest: .init("V5.7.15", build: "230815")))
        #expect(
            FirmwareStatus(installed: .init("V5.7.15", build: "230101"), model: camera)
                == .outdated(latest: .init("V5.7.15", build: "230815")), "same version, another build")
    }

    @Test func anUnknownModelOrNoVersionIsUnknown() {
        #expect(FirmwareStatus(installed: .init("V5.7.15", build: "230815"), model: DeviceModel.named("DS-NOPE")) == .unknown)
        #expect(FirmwareStatus(installed: nil, model: camera) == .unknown)
    }
}
