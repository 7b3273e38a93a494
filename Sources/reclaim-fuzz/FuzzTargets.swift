import DeviceAgent
import Foundation
import QRReader
import ReclaimCore
import SADP
import WebSupport

/// libFuzzer targets for every parser of untrusted input in ReclaimCore.
///
/// One binary, one parser per run: `FUZZ_TARGET` names it. Built with libFuzzer by
/// `scripts/fuzz`; a normal build makes a replay tool that feeds files to a target,
/// for reproducing a crash without the fuzzer.
enum FuzzTarget: String, CaseIterable {
    /// ISAPI and discovery XML: the lenient reader, then the documents built on it.
    case isapiXML = "isapi-xml"
    /// A challenge's text form and its decrypted payload.
    case challenge
    /// A reset file (.xml).
    case resetFile = "reset-file"
    /// A GUID file.
    case guidFile = "guid-file"
    /// `Authorization` and `WWW-Authenticate` Digest headers.
    case digestHeader = "digest-header"
    /// Discovery datagrams (SADP), their announcements and sealed secrets.
    case sadp
    /// Uploaded pictures of QR codes (PNG, JPEG) and the platform's multipart forms.
    case qrImage = "qr-image"
    /// The device's settings as ISAPI bodies and as its web page's forms, applied to its rules.
    case deviceInput = "device-input"
    /// Label photos of support cases (every cleaning step of the reader) and the label's QR text.
    case label
    /// Cloud-link messages, as either end reads them: the platform's hello and proof, the
    /// device's commands (signature, sealed password) and the link's rules.
    case link
    /// The recovery mailbox's SMTP conversation: bytes cut into lines, each fed to the session's rules.
    case smtp
    /// Mail messages as MIME: nested multiparts, base64 and quoted-printable bodies, the pictures in them.
    case mime
    /// Firmware packages as a device reads an upload: shape, signature, model and version.
    case firmwarePackage = "firmware-package"
    /// Documents attached to owners' tickets (PDF, JPEG, PNG): kind, wholeness, active content, names.
    case document
    /// The local console's lines on the control socket, as the device and the console read them.
    case console

    static var selected: FuzzTarget {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set FUZZ_TARGET to one of: " + allCases.map(\.rawValue).joined(separator: ", "))
        }
        return target
    }

    /// Feeds one input to the parser. Parsers may refuse any input; they must never crash.
    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .isapiXML:
            guard let root = try? XML.parse(bytes) else { return }
            // What the routes do with a document: look up children, read values, write it back.
            _ = root.first(named: "password")
            _ = root.descendant("QuestionList", "Question")?.int("id")
            _ = root.bool("enabled")
            _ = try? XML.parse(root.document())
        case .challenge:
            _ = try? Challenge.envelope(of: text)
            _ = try? Challenge.parsePayload(bytes)
            _ = try? FuzzFixture.authority.open(text, now: FuzzFixture.now, enrollment: { _ in nil })
        case .resetFile:
            if let file = try? ResetFile(xml: bytes) {
                _ = try? file.verify(with: FuzzFixture.authority.keys.bundle)
                _ = file.xml
            }
        case .guidFile:
            if let file = try? GUIDFile(xml: bytes) { _ = file.xml }
        case .sadp:
            guard let message = try? SADPMessage(datagram: bytes) else { return }
            _ = DeviceAnnouncement(message)?.fields
            _ = try? SADPMessage(datagram: message.bytes)
            _ = try? SADPSecrets(document: text)
        case .qrImage:
            _ = try? QRImageReader.texts(in: bytes)
        case .deviceInput:
            DeviceInputReaders.feed(bytes)
        case .label:
            _ = LabelPayload(text: text)
            _ = try? QRImageReader.codes(inPhoto: bytes) { LabelPayload(text: $0.text) != nil }
        case .link:
            guard let message = try? LinkMessage(json: text) else { return }
            _ = message.json
            var machine = CloudLinkMachine(serial: FuzzFixture.serial, firmware: "V1")
            _ = machine.start()
            _ = machine.connected()
            _ = machine.received(message)
            switch message {
            case .proof(let proof):
                _ = proof.verify(nonce: [1, 2, 3], enrollment: FuzzFixture.enrollment)
            case .command(let signed):
                _ = try? signed.verify(with: FuzzFixture.authority.keys.bundle, serial: FuzzFixture.serial, now: FuzzFixture.now)
                if case .setAdminPassword(let sealed) = signed.command.action {
                    _ = try? sealed.open(with: FuzzFixture.deviceKeys.agreement, serial: FuzzFixture.serial)
                }
            default:
                break
            }
        case .smtp:
            FuzzSMTP.feed(bytes)
        case .mime:
            if let message = try? MIMEParser().parse(bytes) {
                _ = message.pictures()
                _ = message.filename
            }
        case .document:
            if case .success(let kind) = UploadedDocument.scan(bytes, limit: 1 << 20) {
                // What is kept of a document is a document of the same kind.
                precondition(UploadedDocument.scan(UploadedDocument.kept(bytes, kind: kind), limit: 1 << 20) == .success(kind))
            }
            _ = UploadedDocument.safeName(text, kind: .pdf)
        case .console:
            if let (serial, request) = ConsoleWire.request(from: text) {
                // A request read back from the line it is written as is the same request.
                let again = ConsoleWire.request(from: ConsoleWire.requestLine(serial: serial, request))
                precondition(again?.request == request)
            }
            if let answer = ConsoleWire.answer(from: text) {
                precondition(ConsoleWire.answer(from: ConsoleWire.answerLine(answer)) == answer)
            }
        case .firmwarePackage:
            guard let package = try? FirmwarePackage(bytes: bytes) else { return }
            _ = try? FirmwarePackage(bytes: package.bytes)
            _ = try? package.check(
                model: FuzzFixture.enrollment.model, installed: .init("V5.7.3", build: "220112"),
                trusting: [FuzzFixture.releaseKey.publicKey])
            _ = package.firmware.isNewer(than: .init("V5.7.15", build: "230815"))
        case .digestHeader:
            _ = Digest.Authorization(header: text)
            _ = Digest.Challenge(header: text)
            _ = Digest.parameters(text)
            _ = try? RecoveryCode(parsing: text, kind: .resetKey)
        }
    }
}

/// A whole SMTP session from fuzzed bytes, in uneven pieces, with every check the shell
/// makes answered in turn "allowed" and "limited", and every message read as MIME.
enum FuzzSMTP {
    static func feed(_ bytes: [UInt8]) {
        var session = SMTPSession(policy: .init(hostname: "mx.reclaim.test", mailbox: "pw_recovery@reclaim.test", maxMessageBytes: 4096))
        var reader = SMTPLineReader(limit: 200)
        var checks = 0
        _ = session.start()
        var offset = 0
        while offset < bytes.count, !session.isClosed {
            let piece = bytes[offset..<min(bytes.count, offset + 1 + Int(bytes[offset]) % 97)]
            offset += piece.count
            reader.append(piece)
            while let line = reader.next() {
                var action =
                    switch line {
                    case .line(let text): session.received(line: text)
                    case .tooLong: session.lineTooLong()
                    }
                while true {
                    switch action {
                    case .checkSender:
                        checks += 1
                        action = session.senderChecked(checks % 2 == 0 ? .limited("later") : .allowed)
                        continue
                    case .deliver(let envelope):
                        _ = try? MIMEParser().parse(envelope.content).pictures()
                        action = session.delivered(SMTPReply(250, "2.0.0", "OK"))
                        continue
                    case .reply(let reply), .close(let reply):
                        _ = reply.wire
                    case .nothing:
                        break
                    }
                    break
                }
            }
        }
    }
}

enum FuzzFixture {
    static let authority = Authority(keys: AuthorityKeys.generate())
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let serial = SerialNumber("DS-2CD2386G2-IU20250314AAWR123456789")!
    static let deviceKeys = DeviceKeys.generate()
    static let releaseKey = ReleaseSigningKey.generate(now: now)
    static let enrollment = DeviceEnrollment(
        serial: serial, model: "DS-2CD2386G2-IU", mac: MACAddress("c2-52-0a-00-01-07")!, labelCode: "ABCDEF", keys: deviceKeys,
        authorityKeyID: authority.keys.currentAgreementKey.id)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.selected.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if !FUZZING
    /// Without libFuzzer: replay the files named on the command line through `FUZZ_TARGET`.
    @main
    enum Replay {
        static func main() {
            let target = FuzzTarget.selected
            for path in CommandLine.arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("cannot read \(path)")
                    continue
                }
                target.run(Array(data))
                print("\(target.rawValue): \(path) parsed without a crash")
            }
        }
    }
#endif
