public import Crypto
public import Foundation

/// What a reset file authorises: one password reset of one device, answering one
/// challenge, within a time window.
public struct ResetAuthorization: Sendable, Hashable {
    public static let resetAdminPassword = "resetAdminPassword"

    public let serial: SerialNumber
    /// The nonce of the challenge this answers.
    public let nonce: [UInt8]
    public let action: String
    /// The support case that asked for it.
    public let caseID: String
    public let issuedAt: Date
    public let expiresAt: Date
    /// The authority signing key that signed it.
    public let keyID: KeyID

    public init(serial: SerialNumber, nonce: [UInt8], action: String, caseID: String, issuedAt: Date, expiresAt: Date, keyID: KeyID) {
        self.serial = serial
        self.nonce = nonce
        self.action = action
        self.caseID = caseID
        self.issuedAt = issuedAt.wholeSeconds
        self.expiresAt = expiresAt.wholeSeconds
        self.keyID = keyID
    }

    /// The bytes the authority signs; never the XML text.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(domain: "reclaim reset file v1")
        writer.append(tag: 1, serial.text)
        writer.append(tag: 2, nonce)
        writer.append(tag: 3, action)
        writer.append(tag: 4, caseID)
        writer.append(tag: 5, issuedAt.unixSeconds)
        writer.append(tag: 6, expiresAt.unixSeconds)
        writer.append(tag: 7, keyID.bytes)
        return writer.bytes
    }
}

/// A reset file (.xml): a ``ResetAuthorization`` and the authority's Ed25519 signature
/// over its canonical bytes. The XML is only a carrier: the device rebuilds the
/// canonical bytes from the fields it read and checks the signature over those.
public struct ResetFile: Sendable, Hashable {
    public let authorization: ResetAuthorization
    public let signature: [UInt8]

    static let namespace = "urn:reclaim:reset-file:1"

    /// Signs `authorization` with `key`.
    public static func sign(_ authorization: ResetAuthorization, with key: Curve25519.Signing.PrivateKey) throws(ReclaimError) -> ResetFile
    {
        do {
            return ResetFile(authorization: authorization, signature: Array(try key.signature(for: authorization.canonicalBytes)))
        } catch {
            throw ReclaimError(.signatureInvalid, "The reset file could not be signed: \(error).")
        }
    }

    public init(authorization: ResetAuthorization, signature: [UInt8]) {
        self.authorization = authorization
        self.signature = signature
    }

    /// True when an authority key of `bundle` signed this file.
    public func verify(with bundle: AuthorityBundle) throws(ReclaimError) {
        guard let key = bundle.signingKey(authorization.keyID) else {
            throw ReclaimError(
                .unknownKey, "The reset file was signed with key \(authorization.keyID), which this device does not trust.")
        }
        guard key.isValidSignature(signature, for: authorization.canonicalBytes) else {
            throw ReclaimError(.signatureInvalid, "The reset file's signature does not verify: the file was altered or is not genuine.")
        }
    }

    /// The file as written to disk.
    public var xml: String {
        let a = authorization
        return XMLElement(
            "ResetFile", attributes: ["xmlns": Self.namespace, "version": "1"],
            children: [
                .leaf("serialNumber", a.serial.text),
                .leaf("nonce", Bytes.hex(a.nonce)),
                .leaf("action", a.action),
                .leaf("caseID", a.caseID),
                .leaf("issuedAt", a.issuedAt.formatted(.iso8601)),
                .leaf("expiresAt", a.expiresAt.formatted(.iso8601)),
                .leaf("keyID", a.keyID.description),
                .leaf("signature", Bytes.base64(signature)),
            ]
        ).document()
    }

    /// Reads a reset file. Checks its shape only; ``verify(with:)`` checks the signature.
    public init(xml: some Collection<UInt8>) throws(ReclaimError) {
        let root = try XML.parse(xml)
        guard root.name.caseInsensitiveEquals("ResetFile") else {
            throw ReclaimError(.malformedInput, "This is not a reset file: choose the .xml file that the support case gave you.")
        }
        func field(_ name: String) throws(ReclaimError) -> String {
            guard let value = root.value(name), !value.isEmpty else {
                throw ReclaimError(.malformedInput, "The reset file has no \(name); download it again from the support case.")
            }
            return value
        }
        guard root.attributes["version"] == nil || root.attributes["version"] == "1" else {
            throw ReclaimError(.unsupportedVersion, "The reset file is of a version this device does not read.")
        }
        guard let serial = SerialNumber(try field("serialNumber")) else {
            throw ReclaimError(.malformedInput, "The reset file's serial number is not valid.")
        }
        guard let nonce = Bytes.fromHex(try field("nonce")), nonce.count == 16 else {
            throw ReclaimError(.malformedInput, "The reset file's nonce is not valid.")
        }
        guard let issuedAt = try? Date(try field("issuedAt"), strategy: .iso8601),
            let expiresAt = try? Date(try field("expiresAt"), strategy: .iso8601)
        else { throw ReclaimError(.malformedInput, "The reset file's times are not valid.") }
        guard let keyID = KeyID(try field("keyID")) else {
            throw ReclaimError(.malformedInput, "The reset file's key id is not valid.")
        }
        guard let signature = Bytes.fromBase64(try field("signature")), signature.count == 64 else {
            throw ReclaimError(.malformedInput, "The reset file's signature is not valid.")
        }
        let action = try field("action")
        let caseID = try field("caseID")
        guard action.utf8.count <= 64, caseID.utf8.count <= 128 else {
            throw ReclaimError(.malformedInput, "The reset file's fields are too long.")
        }
        self.init(
            authorization: ResetAuthorization(
                serial: serial, nonce: nonce, action: action, caseID: caseID, issuedAt: issuedAt, expiresAt: expiresAt, keyID: keyID),
            signature: signature)
    }
}
