import Foundation
public import ReclaimCore

/// What a discovery message asks or answers. Names are matched without regard to case;
/// they are written as real clients write them.
public enum SADPVerb: String, Sendable, CaseIterable {
    case inquiry
    case inquiryV32 = "inquiry_v32"
    /// Starts a secret exchange (Reclaim's ``SecretTransport`` inside the real verb).
    case exchangeCode = "exchangecode"
    case activate
    /// Network parameters; carries the admin password.
    case update
    /// Exports a support-case challenge (the code to hand to support).
    case getCode = "getcode"
    /// Resets the password with a reset key or a reset file.
    case reset
    case exportGUID = "ExportGUID"
    case guidReset = "GUIDReset"
    case getSecurityQuestion = "getsecurityquestion"
    case setSecurityQuestion = "setsecurityquestion"
    case answerReset = "AnswerReset"
    case setMailBox = "SetMailBox"
    /// Exports a reserved-e-mail challenge (the QR code).
    case getQRCodes = "GetQRcodes"
    case mailReset = "MailReset"
    /// Back to "not activated", with the admin password.
    case restoreInactive
    case reboot

    public init?(name: String) {
        guard let verb = Self.allCases.first(where: { $0.rawValue.caseInsensitiveEquals(name) }) else { return nil }
        self = verb
    }

    public var isInquiry: Bool { self == .inquiry || self == .inquiryV32 }
}

/// One element of a message, in the order it is written.
public struct SADPField: Sendable, Hashable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Secrets of a message, sealed with a ``SecretTransport`` exchange: never the legacy
/// RSA/AES-ECB scheme, never in the clear.
public struct SADPSealed: Sendable, Hashable {
    public let exchangeID: String
    public let ciphertext: [UInt8]

    public init(exchangeID: String, ciphertext: [UInt8]) {
        self.exchangeID = exchangeID
        self.ciphertext = ciphertext
    }
}

/// A discovery message: a `<Probe>` from a client or a `<ProbeMatch>` from a device.
///
/// Reading is lenient, as real peers need: junk before the first `<`, namespace
/// prefixes, any letter case, `flase`. Fields other than the envelope's (`Uuid`, `Types`,
/// `MAC`, `Result`, `Sealed`) are kept in order as written.
public struct SADPMessage: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case probe = "Probe"
        case probeMatch = "ProbeMatch"
    }

    public enum Result: String, Sendable {
        case success, failed, denied
    }

    public var kind: Kind
    public var uuid: String
    /// The verb as written, which may be one Reclaim does not know.
    public var types: String
    /// For a targeted verb: the device it is meant for; for a reply: the device answering.
    public var mac: MACAddress?
    public var result: Result?
    public var fields: [SADPField]
    public var sealed: SADPSealed?

    public init(
        kind: Kind, uuid: String, verb: SADPVerb, mac: MACAddress? = nil, result: Result? = nil, fields: [SADPField] = [],
        sealed: SADPSealed? = nil
    ) {
        self.init(kind: kind, uuid: uuid, types: verb.rawValue, mac: mac, result: result, fields: fields, sealed: sealed)
    }

    public init(
        kind: Kind, uuid: String, types: String, mac: MACAddress? = nil, result: Result? = nil, fields: [SADPField] = [],
        sealed: SADPSealed? = nil
    ) {
        self.kind = kind
        self.uuid = uuid
        self.types = types
        self.mac = mac
        self.result = result
        self.fields = fields
        self.sealed = sealed
    }

    public var verb: SADPVerb? { SADPVerb(name: types) }

    /// The value of a field, matched without regard to case.
    public subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// A field read as a boolean, as devices write them (`true`, `false`, `flase`).
    public func bool(_ name: String) -> Bool? {
        switch self[name]?.lowercased() {
        case "true", "1", "yes": true
        case "false", "flase", "0", "no": false
        default: nil
        }
    }

    // MARK: Writing

    /// The datagram's bytes.
    public var bytes: [UInt8] { Array(document.utf8) }

    public var document: String {
        var children: [XMLElement] = [.leaf("Uuid", uuid)]
        if let mac { children.append(.leaf("MAC", mac.description)) }
        children.append(.leaf("Types", types))
        if let result { children.append(.leaf("Result", result.rawValue)) }
        children += fields.map { .leaf($0.name, $0.value) }
        if let sealed {
            children.append(
                .leaf(
                    "Sealed", Bytes.base64(sealed.ciphertext),
                    attributes: ["exchangeID": sealed.exchangeID, "scheme": SecretTransport.scheme]))
        }
        return XMLElement(kind.rawValue, children: children).compactDocument()
    }

    // MARK: Reading

    /// The largest datagram a message may be.
    public static let maxDatagram = 16 * 1024

    /// Parses a datagram. Throws ``ReclaimError/malformedInput`` for anything that isn't a
    /// Probe or ProbeMatch with a Uuid and Types.
    public init(datagram: some Collection<UInt8>) throws(ReclaimError) {
        var limits = XMLLimits()
        limits.maxBytes = Self.maxDatagram
        limits.maxDepth = 8
        limits.maxElements = 512
        let root = try XML.parse(datagram, limits: limits)
        guard let kind = [Kind.probe, .probeMatch].first(where: { $0.rawValue.caseInsensitiveEquals(root.name) }) else {
            throw ReclaimError(.malformedInput, "Not a discovery message: the root element is <\(root.name)>.")
        }
        guard let uuid = root.value("Uuid"), !uuid.isEmpty, uuid.utf8.count <= 64 else {
            throw ReclaimError(.malformedInput, "A discovery message without a Uuid.")
        }
        guard let types = root.value("Types"), !types.isEmpty, types.utf8.count <= 64 else {
            throw ReclaimError(.malformedInput, "A discovery message without Types.")
        }
        var mac: MACAddress?
        if let text = root.value("MAC"), !text.isEmpty {
            guard let parsed = MACAddress(text) else { throw ReclaimError(.malformedInput, "\(text) is not a MAC address.") }
            mac = parsed
        }
        var sealed: SADPSealed?
        if let element = root.child("Sealed") {
            guard let id = element.attributes["exchangeID"], let bytes = Bytes.fromBase64(element.text) else {
                throw ReclaimError(.malformedInput, "A sealed part without an exchange id or with damaged data.")
            }
            sealed = SADPSealed(exchangeID: id, ciphertext: bytes)
        }
        let envelope = ["uuid", "types", "mac", "result", "sealed"]
        let fields = root.children.filter { child in !envelope.contains(child.name.lowercased()) }.map {
            SADPField($0.name, $0.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        self.init(
            kind: kind, uuid: uuid, types: types, mac: mac, result: root.value("Result").flatMap { Result(rawValue: $0.lowercased()) },
            fields: fields, sealed: sealed)
    }
}

/// The secrets a message carries, as the plaintext of its ``SADPSealed`` part:
/// `<Secrets><password>…</password><answer3>…</answer3></Secrets>`.
public struct SADPSecrets: Sendable, Hashable {
    public var values: [SADPField]

    public init(_ values: [SADPField] = []) {
        self.values = values
    }

    public subscript(_ name: String) -> String? {
        values.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    public var document: String {
        XMLElement("Secrets", children: values.map { .leaf($0.name, $0.value) }).document()
    }

    public init(document: String) throws(ReclaimError) {
        let root = try XML.parse(document)
        guard root.name.caseInsensitiveEquals("Secrets") else { throw ReclaimError(.malformedInput, "The sealed part holds no secrets.") }
        values = root.children.map { SADPField($0.name, $0.text) }
    }
}
