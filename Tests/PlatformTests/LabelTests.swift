import Foundation
import QRReader
import ReclaimCore
import Testing

@testable import ReclaimQR

/// Device labels: what their QR code holds, how they are drawn, and that the drawing reads
/// back as what was printed.
@Suite struct LabelTests {
    static let serial = SerialNumber("DS-2CD2143G2-IS20230815AAWR123456789")!
    static let payload = LabelPayload(serial: serial, verificationCode: "KXQBTM", model: "DS-2CD2143G2-IS")

    @Test func thePayloadReadsBackAsWritten() {
        #expect(Self.payload.text == "RCL1 DS-2CD2143G2-IS20230815AAWR123456789 KXQBTM DS-2CD2143G2-IS")
        #expect(LabelPayload(text: Self.payload.text) == Self.payload)
    }

    @Test(arguments: [
        "",
        "RCL1",
        "RCL2 DS-2CD2143G2-IS20230815AAWR123456789 KXQBTM DS-2CD2143G2-IS",
        "rcl1 DS-2CD2143G2-IS20230815AAWR123456789 KXQBTM DS-2CD2143G2-IS",
        "RCL1  DS-2CD2143G2-IS20230815AAWR123456789 KXQBTM DS-2CD2143G2-IS",
        "RCL1 DS-2CD2143G2-IS20230815AAWR123456789 KXQBTM DS-2CD2143G2-IS ",
        "RCL1 DS-2CD2143G2-IS20230815AAWR123456789 KXQBTM DS-2CD2143G2-IS extra",
        "RCL1 DS-2CD2143G2-IS20230815AAWR123456789 kxqbtm DS-2CD2143G2-IS",
        "RCL1 DS-2CD2143G2-IS20230815AAWR123456789 KXQ DS-2CD2143G2-IS",
        "RCL1 NOT-A-SERIAL KXQBTM DS-2CD2143G2-IS",
        "RCL1 DS-2CD2143G2-IS20230815AAWR123456789 KXQBTM DS;2CD",
        "RCL1;S=DS-2CD2143G2-IS20230815AAWR123456789;V=KXQBTM;M=DS-2CD2143G2-IS",
        "RC1:MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43UOR2XM6LZPJ",
    ])
    func anythingElseIsNotALabel(_ text: String) {
        #expect(LabelPayload(text: text) == nil)
    }

    @Test func everyCode128SymbolIsElevenModulesWide() {
        #expect(Code128.patterns.count == 106)
        for pattern in Code128.patterns {
            #expect(pattern.count == 6)
            #expect(pattern.reduce(0) { $0 + Int($1.asciiValue! - 48) } == 11, "\(pattern)")
        }
        #expect(Code128.stop.reduce(0, +) == 13)
    }

    @Test func everyPrintableCharacterReadsBackFromABarcode() throws {
        // Each symbol value of code set B, in runs short enough for one barcode each.
        let printable = (32...126).map { Character(UnicodeScalar($0)) }
        for start in stride(from: 0, to: printable.count, by: 24) {
            let text = String(printable[start..<min(printable.count, start + 24)])
            let barcode = try #require(Code128(text))
            let codes = try QRImageReader.codes(inPhoto: barcode.png(), symbologies: [.code128])
            #expect(codes.map(\.text) == [text])
        }
        #expect(Code128("é") == nil, "code set B carries printable ASCII only")
    }

    @Test(arguments: DeviceModel.catalogue)
    func theDrawnLabelReadsBackAsPrinted(_ model: DeviceModel) throws {
        let serial = try #require(SerialNumber(model.name + "20240220SYDZ541119249"))
        let payload = LabelPayload(serial: serial, verificationCode: "CQYBTX", model: model.name)
        let png = LabelArtwork(payload: payload, kind: model.kind, mac: "C2-52-C5-16-D0-EC").png()
        let codes = try QRImageReader.codes(inPhoto: png, symbologies: [.qr, .code128]) { _ in false }
        #expect(codes.contains(ScannedCode(symbology: .qr, text: payload.text)))
        #expect(codes.contains(ScannedCode(symbology: .code128, text: serial.text)))
    }

    @Test func aQRCodeThatIsNotALabelIsFoundButNotTakenForOne() throws {
        let other = try #require(QRCode("https://example.com/not-a-label"))
        let codes = try QRImageReader.codes(inPhoto: other.png(scale: 6)) { LabelPayload(text: $0.text) != nil }
        #expect(codes.map(\.text) == ["https://example.com/not-a-label"])
        #expect(codes.compactMap { LabelPayload(text: $0.text) }.isEmpty)
    }
}
