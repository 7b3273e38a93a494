import Foundation
import ReclaimCore
import Testing

@testable import SADP

/// The discovery codec against real captures and the leniency real peers need.
@Suite struct SADPMessageTests {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    func vector(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.vectors.appendingPathComponent(name)))
    }

    @Test func readsTheRealProbeMatchOfADS2CD2385G1() throws {
        // Captured from a real camera: leading tabs, `flase`, fields Reclaim doesn't use.
        let message = try SADPMessage(datagram: try vector("haicam_DS-2CD2385G1-I_probematch.xml"))
        #expect(message.kind == .probeMatch)
        #expect(message.verb == .inquiry)
        let device = try #require(DeviceAnnouncement(message))
        #expect(device.serial == "DS-2CD2385G1-I20200414AAWRE33842150")
        #expect(device.serialNumber?.model == "DS-2CD2385G1-I")
        #expect(device.model == "DS-2CD2385G1-I")
        #expect(device.mac == MACAddress("58-50-ed-1f-e3-85"))
        #expect(device.ipv4Address == "192.168.124.40")
        #expect(device.httpPort == 80)
        #expect(device.activated == true)
        #expect(device.dhcp == true)
        #expect(device.supportSecurityQuestion == true)
        #expect(device.supportMailBox == true)
        #expect(device.deviceLock == false, "real firmware writes flase")
        #expect(device.firmware == DeviceModel.Firmware("V5.6.2", build: "190701"))
        #expect(device.reclaimProtocol == nil, "a real device does not speak Reclaim's sealed protocol")
    }

    @Test(arguments: ["sergeinz_DS-2CD2432F-IW_probematch.xml"])
    func readsOtherRealProbeMatches(name: String) throws {
        let device = try #require(DeviceAnnouncement(try SADPMessage(datagram: try vector(name))))
        #expect(device.serialNumber != nil)
        #expect(device.ipv4Address != nil)
    }

    @Test(arguments: ["sergeinz_inquiry_probe.xml", "553668_inquiry_probe.xml"])
    func readsRealProbes(name: String) throws {
        let probe = try SADPMessage(datagram: try vector(name))
        #expect(probe.kind == .probe)
        #expect(probe.verb == .inquiry)
        #expect(probe.mac == nil)
    }

    @Test func toleratesPrefixesCaseAndJunk() throws {
        let text =
            "\u{FEFF}junk<hik:PROBE xmlns:hik='x'><hik:uuid>a</hik:uuid><TYPES>ExportGuid</TYPES><mac>C2:52:00:00:00:01</mac></hik:PROBE>"
        let message = try SADPMessage(datagram: Array(text.utf8))
        #expect(message.kind == .probe)
        #expect(message.verb == .exportGUID)
        #expect(message.mac == MACAddress("c2-52-00-00-00-01"))
    }

    @Test func writtenMessagesReadBack() throws {
        let original = SADPMessage(
            kind: .probeMatch, uuid: "U-1", verb: .reset, mac: MACAddress("c2-52-00-00-00-01"), result: .failed,
            fields: [SADPField("ErrorCode", "wrongCredential"), SADPField("ErrorMessage", "Wrong <key> & more")],
            sealed: SADPSealed(exchangeID: "0011", ciphertext: [1, 2, 3]))
        let read = try SADPMessage(datagram: original.bytes)
        #expect(read == original)
        #expect(!original.document.contains("\n"), "one datagram, one line")
    }

    @Test(arguments: [
        "", "<Other><Uuid>a</Uuid><Types>inquiry</Types></Other>", "<Probe><Types>inquiry</Types></Probe>",
        "<Probe><Uuid>a</Uuid></Probe>", "<Probe><Uuid>a</Uuid><Types>x</Types><MAC>nope</MAC></Probe>",
        "<Probe><Uuid>a</Uuid><Types>x</Types><Sealed>%%%</Sealed></Probe>",
    ])
    func refusesWhatIsNotADiscoveryMessage(text: String) {
        #expect(throws: ReclaimError.self) { try SADPMessage(datagram: Array(text.utf8)) }
    }

    @Test func unknownVerbsAreKeptAsWritten() throws {
        let message = try SADPMessage(datagram: Array("<Probe><Uuid>a</Uuid><Types>lamp</Types></Probe>".utf8))
        #expect(message.verb == nil)
        #expect(message.types == "lamp")
    }

    @Test func secretsRoundTrip() throws {
        let secrets = SADPSecrets([SADPField("Password", "p<&>w"), SADPField("Answer3", "Reggio")])
        #expect(try SADPSecrets(document: secrets.document) == secrets)
    }

    @Test func announcementsWriteTheFieldsRealClientsRead() throws {
        var device = DeviceAnnouncement(mac: MACAddress("c2-52-00-00-00-01")!)
        device.serial = "DS-2CD2386G2-IU20250314AAWR123456789"
        device.activated = false
        device.ipv4Address = "127.1.0.1"
        let message = SADPMessage(kind: .probeMatch, uuid: "u", verb: .inquiry, mac: device.mac, fields: device.fields)
        let read = try #require(DeviceAnnouncement(try SADPMessage(datagram: message.bytes)))
        #expect(read == device)
    }
}
