import DeviceAgent
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ReclaimCore
import ReclaimQR
import ReclaimTestSupport
import Testing

@testable import Platform

/// Support cases over the API, as an installer, a reviewer and another company meet them:
/// the automatic label check, the desk, the key or file on the device, notifications, mail.
@Suite struct CaseFlowTests {
    struct Answer: Sendable {
        let status: Int
        /// The top-level members, each as text (objects as their description).
        let json: [String: String]
        let text: String

        subscript(key: String) -> String? { json[key] }
    }

    /// A device of `model`, activated, enrolled with the platform, with a fresh support-case challenge.
    static func device(_ platform: TestPlatform, model: DeviceModel = DeviceModel.catalogue[0]) async throws -> (Device, String) {
        let device = try await enrolledDevice(platform, model: model)
        try await device.activate(password: goodPassword, source: "192.0.2.7")
        let challenge = try await device.issueChallenge(purpose: .supportCase, source: "192.0.2.7").text
        return (device, challenge)
    }

    static func label(of device: Device, code: String? = nil) -> [UInt8] {
        let identity = device.identity
        return LabelArtwork(
            payload: LabelPayload(serial: identity.serial, verificationCode: code ?? identity.labelCode, model: identity.modelName),
            kind: identity.model.kind, mac: identity.mac.description
        ).png()
    }

    static func multipart(_ fields: [String: String], files: [String: [UInt8]]) -> (String, ByteBuffer) {
        let boundary = "reclaim-" + Bytes.hex(Bytes.random(count: 6))
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, bytes) in files {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(name).png\"\r\nContent-Type: image/png\r\n\r\n"
                        .utf8))
            body.append(contentsOf: bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(bytes: body))
    }

    static func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil,
        form: (String, ByteBuffer)? = nil
    ) async throws -> Answer {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = form.0
            body = form.1
        } else if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            let text = response.text
            let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return Answer(status: Int(response.status.code), json: json.mapValues { "\($0)" }, text: text)
        }
    }

    static func open(
        _ client: some TestClientProtocol, token: String, challenge: String, photo: [UInt8], channel: String = "lan-device",
        acknowledged: Bool = true
    ) async throws -> Answer {
        try await call(
            client, .post, "/api/v1/cases", token: token,
            form: multipart(
                ["channel": channel, "challenge": challenge, "acknowledged": acknowledged ? "true" : ""], files: ["photo": photo]))
    }

    /// Waits (at most 10 s) for the automatic check to move the case out of its first state.
    static func checked(_ client: some TestClientProtocol, _ platform: TestPlatform, id: String, token: String) async throws -> Answer {
        for _ in 0..<100 {
            let answer = try await call(client, .get, "/api/v1/cases/\(id)", token: token)
            if answer["state"] != "in-progress" || answer.json["review"] != nil { return answer }
            await platform.services.cases.sweepNow()
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await call(client, .get, "/api/v1/cases/\(id)", token: token)
    }

    @Test func aReadableLabelOfTheDeviceGivesAKeyAtOnceThatResetsIt() async throws {
        try await withTestPlatform { platform in
            let installer = try await platform.account(.installer, certified: true)
            let token = try await platform.token(for: installer)
            let (device, challenge) = try await Self.device(platform)
            let (opened, ready, closed) = try await platform.application.test(.router) { client in
                let opened = try await Self.open(client, token: token, challenge: challenge, photo: Self.label(of: device))
                let ready = try await Self.checked(client, platform, id: opened["id"] ?? "", token: token)
                let closed = try await Self.call(client, .post, "/api/v1/cases/\(opened["id"] ?? "")/close", token: token)
                return (opened, ready, closed)
            }
            #expect(opened.status == 201 && opened["state"] == "in-progress" && opened["serial"] == device.identity.serial.text)
            #expect(ready["state"] == "to-confirm", "\(ready.text)")
            #expect(ready["result"] == "reset-key")
            let key = try #require(ready["resetKey"])
            #expect(closed["state"] == "closed" && closed["closeReason"] == "by-installer")

            try await device.recover(code: key, kind: .resetKey, newPassword: otherPassword, source: "192.0.2.7")
            try await device.verifyPassword(otherPassword, source: "192.0.2.7")

            // Told at every step: the message centre and the installer's mailbox.
            let messages = try await platform.services.cases.notifications(for: installer)
            #expect(messages.map(\.event) == ["closed", "to-confirm", "opened"])
            try await platform.waitForMail(3)
            let subjects = platform.mailer.messages.filter { $0.to == installer.email }.map(\.subject)
            #expect(subjects.contains { $0.contains("In progress") } && subjects.contains { $0.contains("To confirm") })
            #expect(!platform.mailer.messages.contains { $0.body.contains(key) }, "the key is never mailed")
            let actions = try await platform.services.audit.recent(limit: 20).map(\.action)
            #expect(
                actions.contains("case.opened") && actions.contains("case.to-confirm") && actions.contains("authority.reset-key.issued"))
        }
    }

    @Test func aRecorderGetsAResetFileThatResetsIt() async throws {
        try await withTestPlatform { platform in
            let installer = try await platform.account(.installer, certified: true)
            let token = try await platform.token(for: installer)
            let recorder = try #require(DeviceModel.named("DS-7608NXI-K2"))
            let (device, challenge) = try await Self.device(platform, model: recorder)
            let file = try await platform.application.test(.router) { client in
                let opened = try await Self.open(client, token: token, challenge: challenge, photo: Self.label(of: device))
                let ready = try await Self.checked(client, platform, id: opened["id"] ?? "", token: token)
                #expect(ready["state"] == "to-confirm" && ready["result"] == "reset-file" && ready["resetKey"] == nil)
                return try await client.execute(
                    uri: ready["resetFile"] ?? "", method: .get, headers: [.authorization: "Bearer \(token)"]
                ) { response in
                    #expect(response.headers[.contentDisposition]?.contains("reset-") == true)
                    return [UInt8](response.body.readableBytesView)
                }
            }
            try await device.recover(resetFile: file, newPassword: otherPassword, source: "192.0.2.7")
            try await device.verifyPassword(otherPassword, source: "192.0.2.7")
        }
    }

    @Test func theLabelOfAnotherDeviceIsRejectedSayingWhich() async throws {
        try await withTestPlatform { platform in
            let token = try await platform.token(for: try await platform.account(.installer, certified: true))
            let (_, challenge) = try await Self.device(platform)
            let (other, _) = try await Self.device(platform)
            let answer = try await platform.application.test(.router) { client in
                let opened = try await Self.open(client, token: token, challenge: challenge, photo: Self.label(of: other))
                return try await Self.checked(client, platform, id: opened["id"] ?? "", token: token)
            }
            #expect(answer["state"] == "rejected" && answer["rejectReason"] == "label-of-another-device")
            #expect(answer["rejectText"]?.contains(other.identity.serial.text) == true)
            #expect(answer["resetKey"] == nil)
        }
    }

    @Test func aWrongVerificationCodeOnTheRightSerialIsRejected() async throws {
        try await withTestPlatform { platform in
            let token = try await platform.token(for: try await platform.account(.installer, certified: true))
            let (device, challenge) = try await Self.device(platform)
            let forged = device.identity.labelCode == "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ"
            let answer = try await platform.application.test(.router) { client in
                let opened = try await Self.open(client, token: token, challenge: challenge, photo: Self.label(of: device, code: forged))
                return try await Self.checked(client, platform, id: opened["id"] ?? "", token: token)
            }
            #expect(answer["state"] == "rejected" && answer["rejectReason"] == "verification-code-mismatch")
        }
    }

    @Test func anUnreadablePhotoWaitsForAReviewerWhoApproves() async throws {
        try await withTestPlatform { platform in
            let installer = try await platform.account(.installer, certified: true)
            let token = try await platform.token(for: installer)
            let reviewerToken = try await platform.token(for: try await platform.account(.reviewer))
            let (device, challenge) = try await Self.device(platform)
            // A photo without any label: a QR code of something else.
            let blank = try #require(QRCode("https://example.com/not-a-label")).png(scale: 4)
            let (waiting, queue, refused, approved, ready) = try await platform.application.test(.router) { client in
                let opened = try await Self.open(client, token: token, challenge: challenge, photo: blank)
                let id = opened["id"] ?? ""
                let waiting = try await Self.checked(client, platform, id: id, token: token)
                let queue = try await client.execute(
                    uri: "/api/v1/review/queue", method: .get, headers: [.authorization: "Bearer \(reviewerToken)"]
                ) { $0.text }
                let refused = try await Self.call(client, .post, "/api/v1/cases/\(id)/approve", token: token)
                let approved = try await Self.call(client, .post, "/api/v1/cases/\(id)/approve", token: reviewerToken)
                let ready = try await Self.call(client, .get, "/api/v1/cases/\(id)", token: token)
                return (waiting, queue, refused, approved, ready)
            }
            #expect(waiting["state"] == "in-progress")
            #expect(waiting.text.contains("\"reason\":\"unreadable-label\"") && waiting.text.contains("expectedBy"))
            #expect(queue.contains(device.identity.serial.text), "the case is on the desk")
            #expect(refused.status == 403, "an installer cannot approve")
            #expect(approved["state"] == "to-confirm")
            let key = try #require(ready["resetKey"])
            try await device.recover(code: key, kind: .resetKey, newPassword: otherPassword, source: "192.0.2.7")
        }
    }

    @Test func aReviewerRejectsWithAReasonTheInstallerReads() async throws {
        try await withTestPlatform { platform in
            let token = try await platform.token(for: try await platform.account(.installer, certified: true))
            let reviewerToken = try await platform.token(for: try await platform.account(.reviewer))
            let (_, challenge) = try await Self.device(platform)
            let blank = try #require(QRCode("nothing to see")).png(scale: 4)
            let (noWords, rejected, seen) = try await platform.application.test(.router) { client in
                let id = try await Self.open(client, token: token, challenge: challenge, photo: blank)["id"] ?? ""
                _ = try await Self.checked(client, platform, id: id, token: token)
                let noWords = try await Self.call(
                    client, .post, "/api/v1/cases/\(id)/reject", token: reviewerToken, json: #"{"reason":"other"}"#)
                let rejected = try await Self.call(
                    client, .post, "/api/v1/cases/\(id)/reject", token: reviewerToken,
                    json: #"{"reason":"other","text":"The photo shows a screen, not the label."}"#)
                return (noWords, rejected, try await Self.call(client, .get, "/api/v1/cases/\(id)", token: token))
            }
            #expect(noWords.status == 400)
            #expect(rejected["state"] == "rejected")
            #expect(seen["rejectReason"] == "other" && seen["rejectText"] == "The photo shows a screen, not the label.")
        }
    }

    @Test func theSamePhotoForAnotherDeviceGoesToAReviewer() async throws {
        try await withTestPlatform { platform in
            let token = try await platform.token(for: try await platform.account(.installer, certified: true))
            let (first, firstChallenge) = try await Self.device(platform)
            let (_, secondChallenge) = try await Self.device(platform)
            let photo = Self.label(of: first)
            let (one, two) = try await platform.application.test(.router) { client in
                let one = try await Self.open(client, token: token, challenge: firstChallenge, photo: photo)
                _ = try await Self.checked(client, platform, id: one["id"] ?? "", token: token)
                let two = try await Self.open(client, token: token, challenge: secondChallenge, photo: photo)
                return (one, try await Self.checked(client, platform, id: two["id"] ?? "", token: token))
            }
            #expect(two["state"] == "in-progress" && two.text.contains("\"reason\":\"photo-reused\""), "\(two.text)")
            let reviewer = try await platform.account(.reviewer)
            let desk = try await platform.services.cases.queue()
            #expect(desk.first?.reusedFrom == one["id"])
            _ = reviewer
        }
    }

    @Test func onlyInstallersOfACertifiedCompanyWhoAcceptedTheNoticeOpenCases() async throws {
        try await withTestPlatform { platform in
            let uncertified = try await platform.token(for: try await platform.account(.installer, certified: false))
            let owner = try await platform.token(for: try await platform.account(.owner))
            let certified = try await platform.token(for: try await platform.account(.installer, certified: true))
            let (device, challenge) = try await Self.device(platform)
            let email = try Challenge.seal(
                ChallengeContent.make(
                    purpose: .reservedEmail, serial: device.identity.serial, model: device.identity.modelName, now: Date(), lifetime: 3600,
                    reservedEmail: "owner@example.com"), deviceKeys: device.identity.keys, authority: platform.services.authority.bundle)
            let photo = Self.label(of: device)
            try await platform.application.test(.router) { client in
                let notCertified = try await Self.open(client, token: uncertified, challenge: challenge, photo: photo)
                #expect(notCertified.status == 403 && notCertified.text.contains("certified"))
                #expect(try await Self.open(client, token: owner, challenge: challenge, photo: photo).status == 403)
                let noNotice = try await Self.open(client, token: certified, challenge: challenge, photo: photo, acknowledged: false)
                #expect(noNotice.status == 400 && noNotice.text.contains("notice"))
                let notAPhoto = try await Self.open(client, token: certified, challenge: challenge, photo: Array("hello".utf8))
                #expect(notAPhoto.status != 201 && notAPhoto.text.contains("JPEG or PNG"))
                let cutShort = try await Self.open(client, token: certified, challenge: challenge, photo: Array(photo.dropLast(40)))
                #expect(cutShort.status == 400 && cutShort.text.contains("cut short"))
                let wrongPurpose = try await Self.open(client, token: certified, challenge: email, photo: photo)
                #expect(wrongPurpose.status == 400 && wrongPurpose.text.contains("reserved e-mail"))
                let garbage = try await Self.open(client, token: certified, challenge: "RC1:AAAA", photo: photo)
                #expect(garbage.status == 400 && garbage.text.contains("challenge"))
            }
            #expect(try await platform.services.cases.list(companyID: nil).total == 0, "nothing refused was kept")
        }
    }

    @Test func anotherCompanysCaseAnswersAsOneThatDoesNotExist() async throws {
        try await withTestPlatform { platform in
            let ours = try await platform.account(.installer, certified: true)
            let colleague = try await platform.token(for: try await platform.account(.installer, company: ours.companyId))
            let theirs = try await platform.token(for: try await platform.account(.installer, certified: true))
            let token = try await platform.token(for: ours)
            let (device, challenge) = try await Self.device(platform)
            try await platform.application.test(.router) { client in
                let id = try await Self.open(client, token: token, challenge: challenge, photo: Self.label(of: device))["id"] ?? ""
                _ = try await Self.checked(client, platform, id: id, token: token)
                for path in ["/api/v1/cases/\(id)", "/api/v1/cases/\(id)/photo", "/api/v1/cases/\(id)/reset-file"] {
                    let theirAnswer = try await Self.call(client, .get, path, token: theirs)
                    let missing = try await Self.call(
                        client, .get, path.replacingOccurrences(of: id, with: "case_0000000000000000"), token: theirs)
                    #expect(theirAnswer.status == 404 && missing.status == 404, "\(path)")
                    #expect(
                        theirAnswer.text.replacingOccurrences(of: id, with: "X")
                            == missing.text.replacingOccurrences(of: "case_0000000000000000", with: "X"))
                }
                #expect(try await Self.call(client, .post, "/api/v1/cases/\(id)/close", token: theirs).status == 404)
                #expect(try await Self.call(client, .get, "/api/v1/cases/\(id)", token: colleague)["state"] == "to-confirm")
                let theirList = try await Self.call(client, .get, "/api/v1/cases", token: theirs)
                #expect(theirList["total"] == "0", "another company's list is empty")
                let ourList = try await Self.call(client, .get, "/api/v1/cases?state=to-confirm", token: colleague)
                #expect(ourList["total"] == "1")
            }
        }
    }

    @Test func caseRecordsPageAndFilterAndTakeAnyPageNumber() async throws {
        try await withTestPlatform { platform in
            let installer = try await platform.account(.installer, certified: true)
            let token = try await platform.token(for: installer)
            for _ in 0..<3 {
                let (device, challenge) = try await Self.device(platform)
                _ = try await platform.services.cases.open(
                    .init(channel: .otherNetwork, challenge: challenge, photo: Self.label(of: device), acknowledged: true), by: installer)
            }
            try await platform.application.test(.router) { client in
                let first = try await Self.call(client, .get, "/api/v1/cases?perPage=2", token: token)
                #expect(first["total"] == "3" && first.text.components(separatedBy: "\"serial\"").count - 1 == 2)
                let second = try await Self.call(client, .get, "/api/v1/cases?perPage=2&page=2", token: token)
                #expect(second.text.components(separatedBy: "\"serial\"").count - 1 == 1)
                // A page number whose row offset would overflow is just a page past the end.
                let far = try await Self.call(client, .get, "/api/v1/cases?page=670269642965315584&perPage=34", token: token)
                #expect(far.status == 200 && far["total"] == "3")
                let tomorrow = Date().addingTimeInterval(86_400).formatted(.iso8601.year().month().day())
                let none = try await Self.call(client, .get, "/api/v1/cases?from=\(tomorrow)", token: token)
                #expect(none["total"] == "0")
                let bad = try await Self.call(client, .get, "/api/v1/cases?state=finished", token: token)
                #expect(bad.status == 400 && bad.text.contains("in-progress"))
            }
        }
    }

    @Test func aCaseClosesByItselfWhenItsKeyExpiresUnused() async throws {
        try await withTestPlatform({ $0.caseResultLifetime = 600 }) { platform in
            let installer = try await platform.account(.installer, certified: true)
            let (device, challenge) = try await Self.device(platform)
            let value = try await platform.services.cases.open(
                .init(channel: .otherNetwork, challenge: challenge, photo: Self.label(of: device), acknowledged: true), by: installer)
            await platform.services.cases.sweepNow()
            #expect(try await platform.services.cases.find(id: value.id)?.state == .toConfirm)
            await platform.services.cases.sweepNow(Date().addingTimeInterval(601))
            let closed = try #require(try await platform.services.cases.find(id: value.id))
            #expect(closed.state == .closed && closed.closeReason == .resultExpired)
            #expect(try await platform.services.cases.notifications(for: installer).first?.event == "closed")
        }
    }
}

extension TestPlatform {
    /// Waits (at most 5 s) until the recording mailer holds `count` messages.
    func waitForMail(_ count: Int) async throws {
        for _ in 0..<100 where mailer.messages.count < count {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
