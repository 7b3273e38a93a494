import Crypto
import Foundation
import ReclaimTestSupport
import Testing

@testable import ReclaimCore

@Suite struct CloudLinkProtocolTests {
    let authority = Authority(keys: Fixture.authorityKeys)
    let bundle = Fixture.authorityKeys.bundle
    let now = Fixture.epoch

    func sealed(_ password: String = "Nuova-Password-2026") throws -> SealedPassword {
        try SealedPassword.seal(password, for: Fixture.deviceKeys.agreement.publicKey, serial: Fixture.serial)
    }

    func command(validity: TimeInterval = 300) throws -> SignedCommand {
        try authority.command(.setAdminPassword(try sealed()), for: Fixture.serial, requestID: "rq1", now: now, validity: validity)
    }

    // MARK: Messages

    @Test func everyMessageReadsBackAsItWasWritten() throws {
        let status = LinkStatus(lanAddress: "192.168.1.64", activated: true, firmware: "V5.7.15")
        let messages: [LinkMessage] = [
            .hello(serial: Fixture.serial, firmware: "V5.7.15"),
            .challenge(nonce: Array(repeating: 7, count: 32)),
            .proof(LinkProof(serial: Fixture.serial, signature: Array(repeating: 1, count: 64), status: status)),
            .welcome(heartbeatSeconds: 25),
            .heartbeat(status),
            .command(try command()),
            .ack(CommandAck(id: "00112233445566778899aabbccddeeff", outcome: .refused, code: "passwordRule", reason: "Too short.")),
            .report(LinkReport(event: "guidFile", at: now, source: "192.168.1.20")),
            .refused(reason: "Not enrolled."),
        ]
        for message in messages {
            #expect(try LinkMessage(json: message.json) == message, "\(message.type)")
            #expect(message.json.contains("\"v\":1"))
        }
    }

    @Test func messagesOfAnotherVersionOrTypeOrShapeAreRefused() {
        #expect(throws: ReclaimError.unsupportedVersion) { try LinkMessage(json: #"{"v":2,"type":"hello","serial":"x","firmware":"y"}"#) }
        #expect(throws: ReclaimError.unsupported) { try LinkMessage(json: #"{"v":1,"type":"format-disk"}"#) }
        #expect(throws: ReclaimError.malformedInput) { try LinkMessage(json: #"{"v":1,"type":"hello"}"#) }
        #expect(throws: ReclaimError.malformedInput) {
            try LinkMessage(json: #"{"v":1,"type":"hello","serial":"not a serial","firmware":"y"}"#)
        }
        #expect(throws: ReclaimError.malformedInput) { try LinkMessage(json: #"{"v":1,"type":"challenge","nonce":"AAAA"}"#) }
        #expect(throws: ReclaimError.malformedInput) { try LinkMessage(json: #"{"v":1,"type":"welcome","heartbeat":0}"#) }
        #expect(throws: ReclaimError.malformedInput) { try LinkMessage(json: "[]") }
        #expect(throws: ReclaimError.malformedInput) {
            try LinkMessage(json: #"{"v":1,"type":"refused","reason":""# + String(repeating: "x", count: LinkMessage.maximumSize) + #""}"#)
        }
    }

    // MARK: Proof

    @Test func theProofVerifiesOnlyForTheEnrolledKeyAndThisNonce() throws {
        let nonce = Bytes.random(count: 32)
        let signature = Array(try Fixture.deviceKeys.identity.signature(for: LinkProof.signedBytes(serial: Fixture.serial, nonce: nonce)))
        let proof = LinkProof(
            serial: Fixture.serial, signature: signature, status: LinkStatus(lanAddress: "", activated: true, firmware: ""))
        #expect(proof.verify(nonce: nonce, enrollment: Fixture.enrollment))
        #expect(!proof.verify(nonce: Bytes.random(count: 32), enrollment: Fixture.enrollment), "another challenge")
        let (_, other) = Fixture.otherDevice()
        #expect(!proof.verify(nonce: nonce, enrollment: other), "another device's record")
    }

    // MARK: Commands

    @Test func aCommandVerifiesForItsDeviceUntilItExpires() throws {
        let signed = try command(validity: 300)
        try signed.verify(with: bundle, serial: Fixture.serial, now: now.addingTimeInterval(299))
        #expect(throws: ReclaimError.challengeExpired) {
            try signed.verify(with: bundle, serial: Fixture.serial, now: now.addingTimeInterval(300))
        }
        let other = SerialNumber("DS-7608NI-K220250101ABCD000000001")!
        #expect(throws: ReclaimError.wrongDevice) { try signed.verify(with: bundle, serial: other, now: now) }
    }

    @Test func anAlteredOrForeignCommandIsRefused() throws {
        let signed = try command()
        // Another sealed password inside the same signature.
        let swapped = SignedCommand(
            command: DeviceCommand(
                id: signed.command.id, serial: signed.command.serial, action: .setAdminPassword(try sealed("Altra-Password-99")),
                requestID: signed.command.requestID, issuedAt: signed.command.issuedAt, expiresAt: signed.command.expiresAt,
                keyID: signed.command.keyID), signature: signed.signature)
        #expect(throws: ReclaimError.signatureInvalid) { try swapped.verify(with: bundle, serial: Fixture.serial, now: now) }
        // Signed by someone who is not the authority.
        let forger = Curve25519.Signing.PrivateKey()
        let forged = try SignedCommand.sign(signed.command, with: forger)
        #expect(throws: ReclaimError.signatureInvalid) { try forged.verify(with: bundle, serial: Fixture.serial, now: now) }
        // Signed by a key the device does not know.
        let unknown = try SignedCommand.sign(
            DeviceCommand(
                serial: Fixture.serial, action: signed.command.action, requestID: "x", issuedAt: now, expiresAt: now + 60,
                keyID: KeyID(of: forger.publicKey.rawRepresentation)), with: forger)
        #expect(throws: ReclaimError.unknownKey) { try unknown.verify(with: bundle, serial: Fixture.serial, now: now) }
    }

    // MARK: Sealed password

    @Test func aSealedPasswordOpensOnlyOnItsDevice() throws {
        let box = try sealed("Nuova-Password-2026")
        #expect(try box.open(with: Fixture.deviceKeys.agreement, serial: Fixture.serial) == "Nuova-Password-2026")
        #expect(!String(decoding: box.bytes, as: UTF8.self).contains("Nuova"))
        let (otherKeys, _) = Fixture.otherDevice()
        #expect(throws: ReclaimError.signatureInvalid) { try box.open(with: otherKeys.agreement, serial: Fixture.serial) }
        let other = SerialNumber("DS-7608NI-K220250101ABCD000000001")!
        #expect(throws: ReclaimError.signatureInvalid) { try box.open(with: Fixture.deviceKeys.agreement, serial: other) }
        var altered = box.bytes
        altered[40] ^= 1
        #expect(throws: ReclaimError.signatureInvalid) {
            try SealedPassword(bytes: altered).open(with: Fixture.deviceKeys.agreement, serial: Fixture.serial)
        }
        #expect(throws: ReclaimError.malformedInput) { try SealedPassword(bytes: Array(repeating: 0, count: 20)) }
    }

    /// The owner's page seals with WebCrypto; this vector pins the construction (HKDF info,
    /// salt, associated data) so the script and the device cannot drift apart unnoticed.
    @Test func theSealMatchesTheWrittenConstruction() throws {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: Fixture.deviceKeys.agreement.publicKey)
        let ephemeralPublic = Array(ephemeral.publicKey.rawRepresentation)
        let devicePublic = Array(Fixture.deviceKeys.agreement.publicKey.rawRepresentation)
        let key = shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Array(Fixture.serial.text.utf8),
            sharedInfo: Array("reclaim owner password v1".utf8) + ephemeralPublic + devicePublic, outputByteCount: 32)
        let box = try AES.GCM.seal(Array("Scritta-A-Mano-1".utf8), using: key, authenticating: Array(Fixture.serial.text.utf8))
        let bytes = ephemeralPublic + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
        #expect(try SealedPassword(bytes: bytes).open(with: Fixture.deviceKeys.agreement, serial: Fixture.serial) == "Scritta-A-Mano-1")
    }
}
