import Crypto
public import Foundation

/// One message on the cloud link, the WebSocket a device keeps open to the platform.
/// Each is one JSON text frame, `{"v":1,"type":…}`; a peer refuses another version,
/// an unknown type, a missing field and anything over ``maximumSize``.
///
/// The conversation: the device says `hello`; the platform answers `challenge`; the
/// device signs it (`proof`); the platform says `welcome` (or `refused` and closes). Then
/// the device sends `heartbeat`s and `report`s, the platform sends `command`s, and the
/// device answers each with `ack`.
public enum LinkMessage: Sendable, Hashable {
    case hello(serial: SerialNumber, firmware: String)
    case challenge(nonce: [UInt8])
    case proof(LinkProof)
    case welcome(heartbeatSeconds: Int)
    case heartbeat(LinkStatus)
    case command(SignedCommand)
    case ack(CommandAck)
    case report(LinkReport)
    case refused(reason: String)

    public static let version = 1
    /// A command with a sealed password is under 2 KiB; nothing needs more than this.
    public static let maximumSize = 16 * 1024

    public var type: String {
        switch self {
        case .hello: "hello"
        case .challenge: "challenge"
        case .proof: "proof"
        case .welcome: "welcome"
        case .heartbeat: "heartbeat"
        case .command: "command"
        case .ack: "ack"
        case .report: "report"
        case .refused: "refused"
        }
    }
}

/// What the device tells the platform about itself when it links and at each heartbeat.
public struct LinkStatus: Sendable, Hashable, Codable {
    /// The address the device has on its LAN.
    public var lanAddress: String
    public var activated: Bool
    public var firmware: String

    public init(lanAddress: String, activated: Bool, firmware: String) {
        self.lanAddress = lanAddress
        self.activated = activated
        self.firmware = firmware
    }
}

/// The device's answer to the platform's challenge: its Ed25519 signature, made with the
/// enrolled identity key, over the serial and the platform's nonce.
public struct LinkProof: Sendable, Hashable {
    public let serial: SerialNumber
    public let signature: [UInt8]
    public let status: LinkStatus

    public init(serial: SerialNumber, signature: [UInt8], status: LinkStatus) {
        self.serial = serial
        self.signature = signature
        self.status = status
    }

    /// What the device signs: never reusable for anything but this link's challenge.
    public static func signedBytes(serial: SerialNumber, nonce: [UInt8]) -> [UInt8] {
        var writer = CanonicalWriter(domain: "reclaim cloud link proof v1")
        writer.append(tag: 1, serial.text)
        writer.append(tag: 2, nonce)
        return writer.bytes
    }

    /// True when the device enrolled as `record` signed `nonce`.
    public func verify(nonce: [UInt8], enrollment record: DeviceEnrollment) -> Bool {
        guard record.serial == serial, let key = record.identityPublicKey else { return false }
        return key.isValidSignature(signature, for: Self.signedBytes(serial: serial, nonce: nonce))
    }
}

/// The device's answer to a command.
public struct CommandAck: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case applied, refused
    }
    /// The code a device refuses a command it applied already with: the platform counts
    /// it as applied (the first ack was lost with a link).
    public static let alreadyApplied = "alreadyApplied"
    /// The command's id, hex.
    public let id: String
    public let outcome: Outcome
    /// When refused: the device's error code (`passwordRule`, `challengeExpired`, …) and its words.
    public let code: String?
    public let reason: String?

    public init(id: String, outcome: Outcome, code: String? = nil, reason: String? = nil) {
        self.id = id
        self.outcome = outcome
        self.code = code
        self.reason = reason
    }
}

/// A recovery used on the device's LAN (GUID file, questions, a code or file, activation
/// after a factory reset), or a firmware installed there, so the owner is told of every path.
public struct LinkReport: Sendable, Hashable, Codable {
    /// The recovery mode, as the device names it (`guidFile`, `securityQuestions`, …,
    /// `factoryReset`), or ``firmwareInstalled``.
    public let event: String
    public let at: Date
    /// Where the request came from on the LAN.
    public let source: String
    /// The firmware now installed, for ``firmwareInstalled``.
    public let firmware: String?

    /// The event of a report about a firmware installed on the device.
    public static let firmwareInstalled = "firmwareInstalled"

    /// True for a firmware installed, false for a recovery.
    public var isFirmware: Bool { event == Self.firmwareInstalled }

    public init(event: String, at: Date, source: String, firmware: String? = nil) {
        self.event = event
        self.at = at.wholeSeconds
        self.source = source
        self.firmware = firmware
    }
}

// MARK: - JSON

extension LinkMessage {
    /// Every field any message has; each type reads the ones it needs.
    private struct Wire: Codable {
        var v: Int
        var type: String
        var serial: String?
        var firmware: String?
        var nonce: String?
        var signature: String?
        var status: LinkStatus?
        var heartbeat: Int?
        var command: CommandWire?
        var ack: CommandAck?
        var report: ReportWire?
        var reason: String?
    }

    private struct CommandWire: Codable {
        var id: String
        var serial: String
        var action: String
        var sealedPassword: String?
        var request: String
        var issuedAt: Int64
        var expiresAt: Int64
        var key: String
        var signature: String
    }

    private struct ReportWire: Codable {
        var event: String
        var at: Int64
        var source: String
        var firmware: String?
    }

    /// The text frame.
    public var json: String {
        var wire = Wire(v: Self.version, type: type)
        switch self {
        case .hello(let serial, let firmware):
            wire.serial = serial.text
            wire.firmware = firmware
        case .challenge(let nonce):
            wire.nonce = Bytes.base64(nonce)
        case .proof(let proof):
            wire.serial = proof.serial.text
            wire.signature = Bytes.base64(proof.signature)
            wire.status = proof.status
        case .welcome(let seconds):
            wire.heartbeat = seconds
        case .heartbeat(let status):
            wire.status = status
        case .command(let signed):
            let command = signed.command
            var sealed: String?
            switch command.action {
            case .setAdminPassword(let password): sealed = Bytes.base64(password.bytes)
            }
            wire.command = CommandWire(
                id: command.idText, serial: command.serial.text, action: command.action.name, sealedPassword: sealed,
                request: command.requestID, issuedAt: Int64(command.issuedAt.unixSeconds), expiresAt: Int64(command.expiresAt.unixSeconds),
                key: command.keyID.description, signature: Bytes.base64(signed.signature))
        case .ack(let ack):
            wire.ack = ack
        case .report(let report):
            wire.report = ReportWire(
                event: report.event, at: Int64(report.at.unixSeconds), source: report.source, firmware: report.firmware)
        case .refused(let reason):
            wire.reason = reason
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain values cannot fail.
        return (try? String(decoding: encoder.encode(wire), as: UTF8.self)) ?? "{}"
    }

    /// Reads one text frame, refusing anything this version does not define.
    public init(json text: some StringProtocol) throws(ReclaimError) {
        guard text.utf8.count <= Self.maximumSize else {
            throw ReclaimError(.malformedInput, "The link message is larger than \(Self.maximumSize) bytes.")
        }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(text.utf8))
        } catch {
            throw ReclaimError(.malformedInput, "The link message is not the JSON this version defines.")
        }
        guard wire.v == Self.version else {
            throw ReclaimError(.unsupportedVersion, "Link protocol version \(wire.v) is not supported; this side speaks \(Self.version).")
        }
        func need<T>(_ value: T?, _ name: String) throws(ReclaimError) -> T {
            guard let value else { throw ReclaimError(.malformedInput, "The \(wire.type) message has no \(name).") }
            return value
        }
        func serial(_ text: String?) throws(ReclaimError) -> SerialNumber {
            guard let serial = SerialNumber(try need(text, "serial")) else {
                throw ReclaimError(.malformedInput, "The \(wire.type) message's serial is not a serial number.")
            }
            return serial
        }
        func bytes(_ text: String?, _ name: String, count: ClosedRange<Int>) throws(ReclaimError) -> [UInt8] {
            guard let value = Bytes.fromBase64(try need(text, name)), count.contains(value.count) else {
                throw ReclaimError(.malformedInput, "The \(wire.type) message's \(name) is not what it should be.")
            }
            return value
        }
        switch wire.type {
        case "hello":
            self = .hello(serial: try serial(wire.serial), firmware: String(try need(wire.firmware, "firmware").prefix(64)))
        case "challenge":
            self = .challenge(nonce: try bytes(wire.nonce, "nonce", count: 16...64))
        case "proof":
            self = .proof(
                LinkProof(
                    serial: try serial(wire.serial), signature: try bytes(wire.signature, "signature", count: 64...64),
                    status: try need(wire.status, "status")))
        case "welcome":
            let seconds = try need(wire.heartbeat, "heartbeat")
            guard (1...3600).contains(seconds) else { throw ReclaimError(.malformedInput, "The heartbeat interval is out of range.") }
            self = .welcome(heartbeatSeconds: seconds)
        case "heartbeat":
            self = .heartbeat(try need(wire.status, "status"))
        case "command":
            let command = try need(wire.command, "command")
            guard command.action == "setAdminPassword" else {
                throw ReclaimError(.unsupported, "The command \(command.action) is not one this device knows.")
            }
            guard let id = Bytes.fromHex(command.id), id.count == 16, let key = KeyID(command.key),
                let signature = Bytes.fromBase64(command.signature), signature.count == 64,
                let sealedBytes = Bytes.fromBase64(try need(command.sealedPassword, "sealed password")),
                command.request.count <= 64
            else { throw ReclaimError(.malformedInput, "The command's fields are not what they should be.") }
            let sealed = try SealedPassword(bytes: sealedBytes)
            self = .command(
                SignedCommand(
                    command: DeviceCommand(
                        id: id, serial: try serial(command.serial), action: .setAdminPassword(sealed), requestID: command.request,
                        issuedAt: Date(timeIntervalSince1970: TimeInterval(command.issuedAt)),
                        expiresAt: Date(timeIntervalSince1970: TimeInterval(command.expiresAt)), keyID: key),
                    signature: signature))
        case "ack":
            self = .ack(try need(wire.ack, "ack"))
        case "report":
            let report = try need(wire.report, "report")
            self = .report(
                LinkReport(
                    event: String(report.event.prefix(64)), at: Date(timeIntervalSince1970: TimeInterval(report.at)),
                    source: String(report.source.prefix(120)), firmware: report.firmware.map { String($0.prefix(64)) }))
        case "refused":
            self = .refused(reason: String(try need(wire.reason, "reason").prefix(500)))
        default:
            throw ReclaimError(.unsupported, "The link message type \(wire.type) is not one this version defines.")
        }
    }
}
