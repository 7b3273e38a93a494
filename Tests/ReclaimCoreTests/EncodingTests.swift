import Testing

@testable import ReclaimCore

@Suite struct Base32Tests {
    @Test(arguments: [[], [0], [0xFF], [1, 2, 3, 4, 5], Array(0..<64)] as [[UInt8]])
    func roundTripsInBothAlphabets(bytes: [UInt8]) {
        for alphabet in [Base32.Alphabet.rfc4648, .crockford] {
            let text = Base32.encode(bytes, alphabet: alphabet)
            #expect(Base32.decode(text, alphabet: alphabet) == bytes)
        }
    }

    @Test func matchesRFC4648Vectors() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.encode(Array("f".utf8)) == "MY")
    }

    @Test func crockfordForgivesLookAlikesAndCase() {
        #expect(Base32.canonicalCrockford("oIl1abc") == "0111ABC")
        #expect(Base32.canonicalCrockford("U") == nil)
    }

    @Test func refusesCharactersOutsideTheAlphabet() {
        #expect(Base32.decode("MZXW6YTB0I") == nil)  // 0 is not in RFC 4648's alphabet
    }
}

@Suite struct XMLTests {
    @Test func readsNamespacedAndPrefixedDocumentsByLocalName() throws {
        let root = try XML.parse(
            """
            garbage\u{0}<?xml version="1.0"?><!-- hi --><hik:Probe xmlns:hik="urn:x"><hik:Uuid>ABC</hik:Uuid>
            <Types>inquiry</Types><Activated>flase</Activated></hik:Probe>\u{0}\u{0}
            """)
        #expect(root.name == "Probe")
        #expect(root.value("uuid") == "ABC")
        #expect(root.value("TYPES") == "inquiry")
        #expect(root.bool("Activated") == false)
    }

    @Test func decodesEntitiesAndCDATA() throws {
        let root = try XML.parse("<a><b x='1&amp;2'>&lt;&#65;&#x42;&unknown;</b><c><![CDATA[<raw>]]></c></a>")
        #expect(root.child("b")?.text == "<AB&unknown;")
        #expect(root.child("b")?.attributes["x"] == "1&2")
        #expect(root.value("c") == "<raw>")
    }

    @Test func refusesDocumentTypeDeclarations() {
        #expect(throws: ReclaimError.malformedInput) {
            try XML.parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>")
        }
    }

    @Test func refusesDocumentsDeeperThanTheLimit() {
        let deep = String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)
        #expect(throws: ReclaimError.malformedInput) { try XML.parse(deep) }
    }

    @Test(arguments: ["", "no element", "<a>", "<a></b>", "<a x=\"1></a>", "<>"])
    func refusesBrokenDocuments(text: String) {
        #expect(throws: ReclaimError.malformedInput) { try XML.parse(text) }
    }

    @Test func writtenDocumentsReadBack() throws {
        let element = XMLElement(
            "Root", attributes: ["xmlns": "urn:x"],
            children: [.leaf("name", "a<b & \"c\""), XMLElement("empty"), .leaf("n", "1")])
        let parsed = try XML.parse(element.document())
        #expect(parsed.value("name") == "a<b & \"c\"")
        #expect(parsed.child("empty") != nil)
        #expect(parsed.int("n") == 1)
    }
}

@Suite struct CanonicalBytesTests {
    @Test func fieldsCannotRunIntoEachOther() {
        var a = CanonicalWriter(domain: "d")
        a.append(tag: 1, "ab")
        a.append(tag: 2, "c")
        var b = CanonicalWriter(domain: "d")
        b.append(tag: 1, "a")
        b.append(tag: 2, "bc")
        #expect(a.bytes != b.bytes)
    }

    @Test func readerRefusesAnotherDomainAndTruncation() throws {
        var writer = CanonicalWriter(domain: "one")
        writer.append(tag: 1, 42)
        #expect(throws: ReclaimError.malformedInput) { try CanonicalReader(writer.bytes, domain: "two") }
        var reader = try CanonicalReader(Array(writer.bytes.dropLast()), domain: "one")
        #expect(throws: ReclaimError.malformedInput) { try reader.number(1) }
    }
}

@Suite struct IdentityTests {
    @Test func parsesRealSerials() throws {
        let serial = try #require(SerialNumber("DS-2CD2385G1-I20200414AAWRE33842150"))
        #expect(serial.model == "DS-2CD2385G1-I")
        #expect(serial.manufactureDate == "20200414")
        #expect(serial.batch == "AAWRE")
        #expect(serial.digits == "33842150")
        let nvr = try #require(SerialNumber("DS-7608NXI-K220231012CCWRL123456789"))
        #expect(nvr.model == "DS-7608NXI-K2")
    }

    @Test(arguments: ["", "ABC", "DS-2CD20201399AAWR1", "DS 2CD20200414AAWR1", String(repeating: "A", count: 70)])
    func refusesMalformedSerials(text: String) {
        #expect(SerialNumber(text) == nil)
    }

    @Test func writesMACsTheWayDevicesDo() throws {
        let mac = try #require(MACAddress("C2:52:0A:00:01:07"))
        #expect(mac.description == "c2-52-0a-00-01-07")
        #expect(MACAddress("c2-52-0a-00-01-07") == mac)
        #expect(MACAddress("c2-52-0a-00-01") == nil)
    }
}
