import CImageScan
import DeviceAgent
import Foundation
import Hummingbird
import HummingbirdTesting
import ReclaimCore
import ReclaimQR
import ReclaimTestSupport
import SQLKit
import Testing

@testable import Platform
@testable import QRReader

/// Flow F4 through the platform: the device's QR code in, the code mailed to the reserved
/// address only, the code working on the device once.
@Suite struct EmailRecoveryTests {
    static let reserved = "owner.reserved@example.com"

    func deviceWithReservedEmail(_ platform: TestPlatform) async throws -> Device {
        let device = try await enrolledDevice(platform)
        try await device.activate(password: goodPassword, source: "s")
        try await device.setReservedEmail(Self.reserved, password: goodPassword, source: "s")
        return device
    }

    /// The code in the one message sent to `address`.
    func mailedCode(_ platform: TestPlatform, to address: String) -> String? {
        let mails = platform.mailer.messages.filter { $0.to == address }
        guard let body = mails.last?.body, let range = body.range(of: "Verification code: ") else { return nil }
        return String(body[range.upperBound...].prefix { !$0.isNewline })
    }

    @Test func pastedTextGetsACodeMailedToTheReservedAddressThatWorksOnce() async throws {
        try await withTestPlatform { platform in
            let device = try await deviceWithReservedEmail(platform)
            let pending = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
            try await platform.application.test(.live) { client in
                let body = try JSONSerialization.data(withJSONObject: ["challenge": pending.text])
                try await client.execute(uri: "/api/v1/recovery/email", method: .post, body: ByteBuffer(bytes: body)) { response in
                    #expect(response.status == .accepted)
                    #expect(response.text.contains("received"))
                }
                try await platform.waitUntilProcessed(1)
                try await waitForMail(platform, count: 1)
            }
            #expect(platform.mailer.messages.count == 1)
            #expect(platform.mailer.messages.allSatisfy { $0.to == Self.reserved })
            let code = try #require(mailedCode(platform, to: Self.reserved))
            try await device.recover(code: code, kind: .verificationCode, newPassword: otherPassword, source: "s")
            try await device.verifyPassword(otherPassword, source: "s")
            await #expect(throws: DeviceError.self) {
                try await device.recover(code: code, kind: .verificationCode, newPassword: "Terza-Pass77", source: "s")
            }
        }
    }

    @Test func aPhotoOfTheQRCodeWorksLikeTheText() async throws {
        try await withTestPlatform { platform in
            let device = try await deviceWithReservedEmail(platform)
            let pending = try await device.issueChallenge(purpose: .reservedEmail, source: "s")
            let png = try #require(QRCode(pending.text)).png(scale: 6)
            let boundary = "reclaimboundary"
            var form = Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"qr.png\"\r\nContent-Type: image/png\r\n\r\n"
                    .utf8)
            form.append(contentsOf: png)
            form.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let body = form
            try await platform.application.test(.live) { client in
                try await client.execute(
                    uri: "/api/v1/recovery/email", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                    body: ByteBuffer(bytes: body)
                ) { response in
                    #expect(response.status == .accepted)
                }
                try await platform.waitUntilProcessed(1)
                try await waitForMail(platform, count: 1)
            }
            let code = try #require(mailedCode(platform, to: Self.reserved))
            try await device.recover(code: code, kind: .verificationCode, newPassword: otherPassword, source: "s")
        }
    }

    @Test func everyWellFormedHandInGetsTheSameAnswer() async throws {
        try await withTestPlatform { platform in
            let device = try await deviceWithReservedEmail(platform)
            let genuine = try await device.issueChallenge(purpose: .reservedEmail, source: "s").text
            let support = try await device.issueChallenge(purpose: .supportCase, source: "s").text
            // Same shape, sealed to nobody we know.
            let forged = Challenge.prefix + String(genuine.dropFirst(Challenge.prefix.count).reversed())
            let answers = try await platform.application.test(.router) { client in
                var answers: Set<String> = []
                for text in [genuine, support, forged] {
                    let body = try JSONSerialization.data(withJSONObject: ["challenge": text])
                    answers.insert(
                        try await client.execute(uri: "/api/v1/recovery/email", method: .post, body: ByteBuffer(bytes: body)) { response in
                            #expect(response.status == .accepted)
                            return response.text
                        })
                }
                // Only what is not a Reclaim code at all gets an error, and it says what to do.
                let junk = try JSONSerialization.data(withJSONObject: ["challenge": "hello"])
                try await client.execute(uri: "/api/v1/recovery/email", method: .post, body: ByteBuffer(bytes: junk)) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.text.contains("starts with RC1:"))
                }
                return answers
            }
            #expect(answers.count == 1)
        }
    }

    @Test func limitsPerDeviceStopTheMailsButNotTheAnswer() async throws {
        try await withTestPlatform({ $0.emailRecoveryPerDevice = 2 }) { platform in
            let device = try await deviceWithReservedEmail(platform)
            try await platform.application.test(.live) { client in
                for round in 1...4 {
                    let text = try await device.issueChallenge(purpose: .reservedEmail, source: "s").text
                    let body = try JSONSerialization.data(withJSONObject: ["challenge": text])
                    try await client.execute(uri: "/api/v1/recovery/email", method: .post, body: ByteBuffer(bytes: body)) { response in
                        #expect(response.status == .accepted)
                    }
                    try await platform.waitUntilProcessed(round)
                }
                try await waitForMail(platform, count: 2)
            }
            #expect(platform.mailer.messages.count == 2)
            let refusals = try await platform.services.database.read { db in
                try await AuditLog.recent(db, subject: "device:\(device.identity.serial.text)")
            }.filter { $0.action == "email-recovery.refused" }
            #expect(refusals.count == 2)
            #expect(refusals.allSatisfy { $0.details.contains("device over its limit") })
        }
    }

    @Test func thePublicPageTakesThePastedTextWithItsCSRFToken() async throws {
        try await withTestPlatform { platform in
            try await platform.application.test(.router) { client in
                let cookie = try await client.execute(uri: "/recover", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("Reserved e-mail recovery"))
                    return response.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
                }
                let csrf = String(cookie.split(separator: "=").last ?? "")
                let form = "csrf=\(csrf)&challenge=RC1%3AAAAA"
                try await client.execute(
                    uri: "/recover", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: ByteBuffer(string: form)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("Received."))
                }
                try await client.execute(
                    uri: "/recover", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "challenge=RC1%3AAAAA")
                ) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.text.contains("The form expired"))
                }
                try await client.execute(uri: "/recover?lang=it", method: .get) { response in
                    #expect(response.text.contains("Ripristino password tramite email riservata"))
                }
            }
        }
    }
}

/// Waits (at most 10 s) until the queue has handed `count` messages to the mailer.
/// The token of the last link starting with `link` mailed to `address`.
func mailedToken(_ platform: TestPlatform, to address: String, link: String) throws -> String {
    let mail = try #require(platform.mailer.messages.last { $0.to == address && $0.body.contains(link) })
    let line = try #require(mail.body.split(separator: "\n").first { $0.contains(link) })
    return String(line.split(separator: "=").last!)
}

func waitForMail(_ platform: TestPlatform, count: Int) async throws {
    for _ in 0..<200 where platform.mailer.messages.count < count {
        try await Task.sleep(for: .milliseconds(50))
    }
}

@Suite struct QRImageReaderTests {
    @Test func readsThePNGReclaimWrites() throws {
        let text = "RC1:" + String(repeating: "ABCDEFGH", count: 30)
        let png = try #require(QRCode(text)).png(scale: 4)
        #expect(try QRImageReader.texts(in: png) == [text])
    }

    @Test func readsAJPEGPhoto() throws {
        let text = "RC1:" + String(repeating: "JPEGPHOTO", count: 25)
        let jpeg = try cameraJPEG(try GreyPicture(decoding: try #require(QRCode(text)).png(scale: 5)))
        #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]))
        #expect(try QRImageReader.texts(in: jpeg) == [text])
    }

    @Test func refusesWhatIsNotAPictureWithWhatToDo() {
        #expect(throws: QRImageReader.Failure.notAPicture) { try QRImageReader.texts(in: Array("hello".utf8)) }
        #expect(throws: QRImageReader.Failure.damaged) {
            try QRImageReader.texts(in: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2])
        }
        #expect(QRImageReader.Failure.noCode.description.contains("paste its text"))
    }
}

/// No value that reaches a mail header can write one of its own: not a device's signed
/// challenge, not a subject, not an address given anywhere.
@Suite struct MailHeaderInjectionTests {
    static let injected = "x@example.com\r\nSubject: Reset your password here\r\nBcc: victim@example.com\r\n\r\nclick evil.example"

    @Test func aSignedChallengeCarryingALineBreakInItsAddressIsRefusedAndNothingIsMailed() async throws {
        try await withTestPlatform { platform in
            let device = try await enrolledDevice(platform)
            // What a tampered device would sign: its own keys, a crafted address.
            let content = ChallengeContent.make(
                purpose: .reservedEmail, serial: device.identity.serial, model: device.identity.modelName, now: Date(),
                lifetime: 3600, reservedEmail: Self.injected)
            let text = try Challenge.seal(content, deviceKeys: device.identity.keys, authority: platform.services.authority.bundle)
            // The platform's workers running, as they are when the hand-in arrives over HTTP.
            try await platform.withBackgroundServices {
                try await platform.services.emailRecovery.handIn(text: text, picture: nil, source: "192.0.2.9")
                try await platform.waitUntilProcessed(1)
            }
            #expect(platform.mailer.messages.isEmpty, "nothing was mailed")
            // The authority refused to open it, so the entry names no device.
            let entries = try await platform.services.audit.recent(limit: 5)
            #expect(entries.first?.action == "email-recovery.refused", "\(entries.map(\.action))")
            #expect(entries.first?.details.contains("no usable address") == true)
        }
    }

    @Test func theMailWriterRefusesARecipientWithALineBreakAndEncodesASubjectWithOne() throws {
        let outbox = temporaryDirectory()
        let mailer = OutboxMailer(directory: outbox, from: "Reclaim <no-reply@reclaim.invalid>")
        #expect(throws: PlatformError.self) {
            _ = try MailMessage(to: Self.injected, subject: "Code", body: "1234").rendered(from: "a@b.c", date: Date(), messageID: "m")
        }
        let text = try MailMessage(to: "owner@example.com", subject: "Code\r\nBcc: victim@example.com", body: "1234")
            .rendered(from: "Reclaim <no-reply@reclaim.invalid>", date: Date(), messageID: "m@x")
        let headers = text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(!headers.contains { $0.hasPrefix("Bcc:") }, "the subject stayed one header")
        #expect(headers.contains { $0.hasPrefix("Subject: =?utf-8?B?") })
        _ = mailer
    }

    @Test func theOutboxWritesNoFileForAnInjectedRecipient() async throws {
        let outbox = temporaryDirectory()
        let mailer = OutboxMailer(directory: outbox, from: "Reclaim <no-reply@reclaim.invalid>")
        await #expect(throws: PlatformError.self) { try await mailer.send(MailMessage(to: Self.injected, subject: "s", body: "b")) }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: outbox))?.isEmpty ?? true)
    }
}

/// Hand-ins that cost the platform: what is refused before it costs a decode or a write,
/// and what is kept once answered.
@Suite struct HandInCostTests {
    func post(_ client: some TestClientProtocol, _ text: String) async throws -> (HTTPResponse.Status, String?) {
        let body = try JSONSerialization.data(withJSONObject: ["challenge": text])
        return try await client.execute(uri: "/api/v1/recovery/email", method: .post, body: ByteBuffer(bytes: body)) {
            ($0.status, $0.headers[.retryAfter])
        }
    }

    func auditCount(_ platform: TestPlatform) async throws -> Int {
        try await platform.services.audit.entries(limit: 1000).count
    }

    @Test func aSourceOverItsLimitIsAnsweredBusyWithoutAWriteAndNothingReachesTheAuditLog() async throws {
        try await withTestPlatform({ $0.emailRecoveryPerSource = 3 }) { platform in
            let entriesBefore = try await auditCount(platform)
            try await platform.application.test(.router) { client in
                for _ in 0..<3 {
                    let (status, _) = try await post(client, "RC1:AAAA")
                    #expect(status == .accepted)
                }
                for _ in 0..<100 {
                    let (status, retryAfter) = try await post(client, "RC1:AAAA")
                    #expect(status == .tooManyRequests)
                    #expect(retryAfter != nil)
                }
                // The platform's workers run for as long as this client does.
                try await platform.waitUntilProcessed(3)
            }
            let hits = try await platform.services.database.read { db in
                try await db.select().column("hits").from("throttle").where("bucket", .equal, "email-source").all(
                    decodingColumn: "hits", as: Int.self)
            }
            #expect(hits == [3], "the refused hundred cost no write")
            #expect(try await auditCount(platform) == entriesBefore + 3, "only the three answered hand-ins were audited")
        }
    }

    @Test func answeredHandInsWaitInTheDatabaseAndAreAllWorkedAfterARestart() async throws {
        let directory = temporaryDirectory()
        let databaseURL = try await withTestPlatform(directory: directory, { $0.emailRecoveryPerSource = 1000 }) { platform in
            // Answered while the worker is not running (as when the server stops right after).
            for _ in 0..<50 { try await platform.services.emailRecovery.handIn(text: "RC1:AAAA", picture: nil, source: "192.0.2.1") }
            let queued = try await platform.services.database.read { db in try await RecoveryJobTable.count(in: db) }
            #expect(queued == 50)
            return platform.services.settings.databaseURL
        }
        // The same data folder and database again: every answered hand-in is worked, none dropped.
        try await withTestPlatform(
            directory: directory,
            {
                $0.emailRecoveryPerSource = 1000
                $0.databaseURL = databaseURL
            }
        ) { platform in
            try await platform.withBackgroundServices { try await platform.waitUntilProcessed(50) }
            let refusals = try await platform.services.audit.entries(limit: 1000).filter { $0.action == "email-recovery.refused" }
            #expect(refusals.count == 50)
            #expect(try await platform.services.database.read { db in try await RecoveryJobTable.count(in: db) } == 0)
        }
    }

    @Test func aPictureLargerThanTheLimitIsRefusedFromItsHeaderBeforeAnyPixelIsRead() async throws {
        try await withTestPlatform { platform in
            // A PNG that claims 20,000 × 20,000 pixels in a file of 69 bytes.
            let png = Self.pngHeader(width: 20_000, height: 20_000)
            let boundary = "b0undary"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"big.png\"\r\n\r\n".utf8)
            body.append(contentsOf: png)
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let form = body
            try await platform.application.test(.router) { client in
                try await client.execute(
                    uri: "/api/v1/recovery/email", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                    body: ByteBuffer(bytes: form)
                ) { response in
                    #expect(response.status == .contentTooLarge)
                    #expect(response.text.contains("20000×20000"))
                }
            }
        }
    }

    /// A PNG signature, an IHDR chunk and IEND: a header and nothing else.
    static func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
        }
        let header = bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0]
        // A token IDAT: the header is read up to the image data, never into it.
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00])
            + chunk("IEND", [])
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).reversed().map { UInt8(value >> ($0 * 8) & 0xFF) } }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// A picture compressed as a camera would: lossy JPEG.
func cameraJPEG(_ picture: GreyPicture) throws -> [UInt8] {
    let handle = try #require(tjInitCompress())
    defer { tjDestroy(handle) }
    var output: UnsafeMutablePointer<UInt8>?
    var size: UInt = 0
    let status = picture.pixels.withUnsafeBufferPointer {
        tjCompress2(
            handle, $0.baseAddress, Int32(picture.width), 0, Int32(picture.height), Int32(TJPF_GRAY.rawValue), &output, &size,
            Int32(TJSAMP_GRAY.rawValue), 80, 0)
    }
    try #require(status == 0)
    defer { tjFree(output) }
    return Array(UnsafeBufferPointer(start: output, count: Int(size)))
}
