public import Foundation

/// A GUID file: a random secret that a logged-in admin exports and keeps, and that
/// later resets the password without anyone's help.
///
/// The device keeps only a slow hash of the secret. The file works once, and any
/// password change voids it.
public struct GUIDFile: Sendable, Hashable {
    public let serial: SerialNumber
    public let issuedAt: Date
    /// 32 random bytes.
    public let secret: [UInt8]

    static let namespace = "urn:reclaim:guid-file:1"

    public init(serial: SerialNumber, issuedAt: Date, secret: [UInt8]) {
        self.serial = serial
        self.issuedAt = issuedAt.wholeSeconds
        self.secret = secret
    }

    /// A new file with a fresh secret.
    public static func make(serial: SerialNumber, now: Date) -> GUIDFile {
        GUIDFile(serial: serial, issuedAt: now, secret: Bytes.random(count: 32))
    }

    /// What the device stores: the secret as a slow hash.
    public func hash(cost: SlowHash.Cost) -> SlowHash {
        SlowHash(hashing: secret, salt: Bytes.random(count: 16), cost: cost)
    }

    /// The name to save it under.
    public var suggestedFileName: String { "GUID_\(serial.text).guid.xml" }

    public var xml: String {
        XMLElement(
            "GUIDFile", attributes: ["xmlns": Self.namespace, "version": "1"],
            children: [
                .leaf("serialNumber", serial.text),
                .leaf("issuedAt", issuedAt.formatted(.iso8601)),
                .leaf("guid", Base32.encode(secret)),
            ]
        ).document()
    }

    public init(xml: some Collection<UInt8>) throws(ReclaimError) {
        let root: XMLElement
        do {
            root = try XML.parse(
                xml,
                limits: {
                    var l = XMLLimits(); l.maxBytes = 16 * 1024; return l
                }())
        } catch {
            throw ReclaimError(.malformedInput, "This is not a GUID file: choose the file the device exported.")
        }
        guard root.name.caseInsensitiveEquals("GUIDFile") else {
            throw ReclaimError(.malformedInput, "This is not a GUID file: choose the file the device exported.")
        }
        guard let serial = root.value("serialNumber").flatMap(SerialNumber.init) else {
            throw ReclaimError(.malformedInput, "The GUID file has no valid serial number.")
        }
        guard let secret = root.value("guid").flatMap({ Base32.decode($0) }), secret.count == 32 else {
            throw ReclaimError(.malformedInput, "The GUID file is damaged: its GUID is not valid.")
        }
        let issuedAt = root.value("issuedAt").flatMap { try? Date($0, strategy: .iso8601) } ?? Date(timeIntervalSince1970: 0)
        self.init(serial: serial, issuedAt: issuedAt, secret: secret)
    }
}
