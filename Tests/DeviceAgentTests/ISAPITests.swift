import AsyncHTTPClient
import Crypto
import DeviceAgent
import Foundation
import ISAPIClient
import NIOCore
import NIOHTTP1
import ReclaimCore
import ReclaimTestSupport
import Testing

/// The ISAPI API over real HTTP on loopback, through ``ISAPIClient``.
@Suite struct ISAPITests {
    func client(_ base: String, password: String? = goodPassword) -> ISAPIClient {
        ISAPIClient(baseURL: base, password: password)
    }

    @Test func beforeActivationOnlyActivationWorks() async throws {
        let device = try makeDevice()
        try await withLiveDevice(device) { base in
            let anonymous = client(base, password: nil)
            let status = try await anonymous.get("/SDK/activateStatus")
            #expect(status.xml?.value("Activated") == "false")
            let info = try await client(base).get("/ISAPI/System/deviceInfo")
            #expect(info.status == .unauthorized)
            #expect(info.xml?.value("isActivated") == "false")
            #expect(info.subStatusCode == "notActivated")

            let weak = try await anonymous.put(
                "/ISAPI/System/activate", xml: XMLElement("ActivateInfo", children: [.leaf("password", "12345")]))
            #expect(weak.status == .badRequest)
            #expect(weak.errorMessage?.contains("at least 8") == true)

            let activated = try await anonymous.put(
                "/ISAPI/System/activate", xml: XMLElement("ActivateInfo", children: [.leaf("password", goodPassword)]))
            #expect(activated.status == .ok)
            let after = try await client(base).get("/ISAPI/System/deviceInfo")
            #expect(after.status == .ok)
            #expect(after.xml?.value("serialNumber") == device.identity.serial.text)
        }
    }

    @Test func activationAcceptsAPasswordSealedForTheDevice() async throws {
        let device = try makeDevice()
        try await withLiveDevice(device) { base in
            let anonymous = client(base, password: nil)
            let clientKey = Curve25519KeyPair()
            let challenge = try await anonymous.post(
                "/ISAPI/Security/challenge", xml: XMLElement("PublicKey", children: [.leaf("key", Bytes.base64(clientKey.publicKey))]))
            let answer = try #require(challenge.xml)
            let sealed = try SecretTransport.seal(
                goodPassword, clientKey: clientKey.privateKey, devicePublicKey: try #require(Bytes.fromBase64(answer.value("key") ?? "")),
                id: try #require(answer.value("exchangeID")))
            let reply = try await anonymous.put(
                "/ISAPI/System/activate",
                xml: XMLElement(
                    "ActivateInfo",
                    children: [
                        .leaf(
                            "password", Bytes.base64(sealed),
                            attributes: ["encryption": SecretTransport.scheme, "exchangeID": answer.value("exchangeID")!])
                    ]))
            #expect(reply.status == .ok)
            try await device.verifyPassword(goodPassword, source: "test")
        }
    }

    @Test func everyEndpointClientsCallOnConnectAnswersWellFormedXML() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let admin = client(base)
            for (path, root) in [
                ("/ISAPI/System/deviceInfo", "DeviceInfo"), ("/ISAPI/System/status", "DeviceStatus"), ("/ISAPI/System/time", "Time"),
                ("/ISAPI/Event/triggers", "EventTriggerList"),
                ("/ISAPI/System/Video/inputs/channels/1/motionDetection", "MotionDetection"),
                ("/ISAPI/System/Video/Inputs/channels/1/motionDetection", "MotionDetection"),
                ("/ISAPI/Security/users", "UserList"), ("/ISAPI/Security/userCheck", "userCheck"),
                ("/ISAPI/Security/capabilities", "SecurityCap"), ("/ISAPI/Security/extern/capabilities", "ExternCapabilities"),
                ("/ISAPI/Security/illegalLoginLock", "IllegalLoginLock"), ("/ISAPI/Security/questionConfiguration", "SecurityQuestion"),
                ("/isapi/system/deviceinfo", "DeviceInfo"),
            ] {
                let reply = try await admin.get(path)
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.xml?.name == root, "\(path)")
                #expect(reply.text.contains("xmlns=\"http://www.hikvision.com/ver20/XMLSchema\""), "\(path)")
            }
        }
    }

    @Test func basicCredentialsAreNeverAcceptedNorCounted() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let basic = "Basic " + Bytes.base64(Array("admin:\(goodPassword)".utf8))
            for _ in 1...10 {
                let reply = try await raw(base, "/ISAPI/System/deviceInfo", headers: ["Authorization": basic])
                #expect(reply.status == .unauthorized)
                #expect(reply.headers["WWW-Authenticate"].contains { $0.contains("algorithm=MD5") })
            }
            #expect(await device.attemptsLeft(for: "127.0.0.1") == 5)
        }
    }

    @Test func oldFirmwaresAuthBypassAuthenticatesNothing() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            // CVE-2017-7921: ?auth=YWRtaW46MTEK (admin:11) opened any page on old firmware.
            for path in ["/ISAPI/System/deviceInfo", "/ISAPI/Security/users", "/ISAPI/Security/GUIDFileData"] {
                for headers in [[:], ["Authorization": "Basic YWRtaW46MTEK"]] {
                    let reply = try await raw(base, path + "?auth=YWRtaW46MTEK", headers: headers)
                    #expect(reply.status == .unauthorized, "\(path)")
                    #expect(!reply.text.contains(device.identity.serial.text), "\(path)")
                }
            }
            // The web page answers, but only with the sign-in form.
            let page = try await raw(base, "/?auth=YWRtaW46MTEK")
            #expect(page.text.contains("action=\"/signin\""))
            #expect(!page.text.contains("/setup/"))
            #expect(await device.recoverySetup.guid == nil, "no GUID file was exported")
        }
    }

    @Test func wrongPasswordReportsAttemptsLeftThenTheLock() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let intruder = client(base, password: "Wrong-pass1")
            for left in (1...4).reversed() {
                let reply = try await intruder.get("/ISAPI/Security/userCheck")
                #expect(reply.status == .unauthorized)
                #expect(reply.xml?.value("lockStatus") == "unlock")
                #expect(reply.xml?.value("retryLoginTime") == String(left))
            }
            let locked = try await intruder.get("/ISAPI/Security/userCheck")
            #expect(locked.xml?.value("lockStatus") == "lock")
            #expect(locked.xml?.value("unlockTime") == "1800")
            // Now even the owner's right password waits, from this address.
            let owner = try await client(base).get("/ISAPI/System/deviceInfo")
            #expect(owner.status == .unauthorized)
            #expect(owner.subStatusCode == "userLocked")
            #expect(owner.errorMessage?.contains("30 more minutes") == true)
        }
    }

    @Test func staleNonceGetsAFreshChallengeAndIsNotCounted() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await withLiveDevice(device) { base in
            let admin = client(base)
            #expect(try await admin.get("/ISAPI/System/deviceInfo").status == .ok)
            clock.advance(600)
            // The client's cached nonce is now stale: the device says so, and the client retries.
            let first = try await raw(
                base, "/ISAPI/System/deviceInfo",
                headers: ["Authorization": admin.authorizationHeader(method: .GET, path: "/ISAPI/System/deviceInfo") ?? ""])
            #expect(first.status == .unauthorized)
            #expect(first.headers["WWW-Authenticate"].allSatisfy { $0.contains("stale=TRUE") })
            #expect(try await admin.get("/ISAPI/System/deviceInfo").status == .ok)
            #expect(await device.attemptsLeft(for: "127.0.0.1") == 5)
        }
    }

    @Test func replayedRequestIsRefused() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let admin = client(base)
            _ = try await admin.get("/ISAPI/System/deviceInfo")
            let header = admin.authorizationHeader(method: .GET, path: "/ISAPI/System/deviceInfo") ?? ""
            #expect(try await raw(base, "/ISAPI/System/deviceInfo", headers: ["Authorization": header]).status == .ok)
            #expect(try await raw(base, "/ISAPI/System/deviceInfo", headers: ["Authorization": header]).status == .unauthorized)
        }
    }

    @Test func illegalLoginLockCanBeTunedButNotSwitchedOff() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let admin = client(base)
            let off = try await admin.put(
                "/ISAPI/Security/illegalLoginLock", xml: XMLElement("IllegalLoginLock", children: [.leaf("enabled", "false")]))
            #expect(off.status == .badRequest)
            let tuned = try await admin.put(
                "/ISAPI/Security/illegalLoginLock",
                xml: XMLElement(
                    "IllegalLoginLock",
                    children: [.leaf("enabled", "true"), .leaf("maxIllegalLoginTimes", "3"), .leaf("maxIllegalLoginLockTime", "600")]))
            #expect(tuned.status == .ok)
            let read = try await admin.get("/ISAPI/Security/illegalLoginLock")
            #expect(read.xml?.value("maxIllegalLoginTimes") == "3")
            #expect(read.xml?.value("maxIllegalLoginLockTime") == "600")
            let intruder = client(base, password: "Wrong-pass1")
            let first = try await intruder.get("/ISAPI/Security/userCheck")
            #expect(first.xml?.value("retryLoginTime") == "2")
        }
    }

    @Test func questionConfigurationNeedsThePasswordAndRecoversOverHTTP() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let admin = client(base)
            func questions(_ answers: [(Int, String)]) -> XMLElement {
                XMLElement(
                    "QuestionList",
                    children: answers.map { XMLElement("Question", children: [.leaf("id", String($0.0)), .leaf("answer", $0.1)]) })
            }
            let chosen = [(1, "Bianchi"), (5, "Fiat"), (9, "Officine Rossi")]
            let withoutPassword = try await admin.put(
                "/ISAPI/Security/questionConfiguration", xml: XMLElement("SecurityQuestion", children: [questions(chosen)]))
            #expect(withoutPassword.status == .badRequest)
            let set = try await admin.put(
                "/ISAPI/Security/questionConfiguration",
                xml: XMLElement("SecurityQuestion", children: [questions(chosen), .leaf("password", goodPassword)]))
            #expect(set.status == .ok)

            let anonymous = client(base, password: nil)
            let listed = try await anonymous.get("/ISAPI/Security/recovery/questions")
            #expect(listed.xml?.first(named: "QuestionList")?.children.count == 3)
            let wrong = try await anonymous.post(
                "/ISAPI/Security/questionCertification",
                xml: XMLElement(
                    "SecurityQuestion",
                    children: [questions([(1, "Verdi"), (5, "Fiat"), (9, "Officine Rossi")]), .leaf("newPassword", otherPassword)]))
            #expect(wrong.status == .forbidden)
            #expect(wrong.xml?.value("retryTimes") == "4")
            let right = try await anonymous.post(
                "/ISAPI/Security/questionCertification",
                xml: XMLElement(
                    "SecurityQuestion",
                    children: [questions([(1, "bianchi"), (5, "FIAT"), (9, "officine rossi")]), .leaf("newPassword", otherPassword)]))
            #expect(right.status == .ok)
            admin.setPassword(otherPassword)
            #expect(try await admin.get("/ISAPI/System/deviceInfo").status == .ok)
        }
    }

    @Test func guidExportedOverISAPIResetsThePasswordThroughTheRecoveryRoute() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            // Signed in is not enough: the password is asked again.
            let bare = try await client(base).get("/ISAPI/Security/GUIDFileData")
            #expect(bare.status == .badRequest)
            #expect(bare.errorMessage?.contains("takes the admin password again") == true)
            let wrong = try await client(base).post(
                "/ISAPI/Security/GUIDFileData", xml: XMLElement("GUIDFileExport", children: [.leaf("password", "Wrong-pass1")]))
            #expect(wrong.status == .forbidden)
            #expect(await device.recoverySetup.guid == nil)
            let export = try await client(base).post(
                "/ISAPI/Security/GUIDFileData", xml: XMLElement("GUIDFileExport", children: [.leaf("password", goodPassword)]))
            #expect(export.status == .ok)
            #expect(export.headers["Content-Disposition"].first?.contains("GUID_") == true)
            let modes = try await client(base, password: nil).get("/ISAPI/Security/recovery/modes")
            #expect(modes.text.contains("<name>guidFile</name>"))
            let reply = try await client(base, password: nil).post(
                "/ISAPI/Security/recovery/guid",
                xml: XMLElement("GUIDReset", children: [.leaf("GUIDFile", export.text), .leaf("newPassword", otherPassword)]))
            #expect(reply.status == .ok)
            try await device.verifyPassword(otherPassword, source: "test")
        }
    }

    @Test func aGUIDFileAskedForWithASealedPasswordComesBackSealed() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let admin = client(base)
            let clientKey = Curve25519KeyPair()
            let started = try await admin.post(
                "/ISAPI/Security/challenge", xml: XMLElement("PublicKey", children: [.leaf("key", Bytes.base64(clientKey.publicKey))]))
            let answer = try #require(started.xml)
            let exchangeID = try #require(answer.value("exchangeID"))
            let devicePublic = try #require(Bytes.fromBase64(answer.value("key") ?? ""))
            let side = try SecretTransport.ClientSide(clientKey: clientKey.privateKey, devicePublicKey: devicePublic, id: exchangeID)
            let reply = try await admin.post(
                "/ISAPI/Security/GUIDFileData",
                xml: XMLElement(
                    "GUIDFileExport",
                    children: [
                        XMLElement(
                            "password", attributes: ["encryption": SecretTransport.scheme, "exchangeID": exchangeID],
                            text: Bytes.base64(side.seal(goodPassword)))
                    ]))
            #expect(reply.status == .ok)
            #expect(!reply.text.contains("<guid>"), "the file does not cross the network in the clear")
            let sealed = try #require(reply.xml?.first(named: "GUIDFile")?.text).flatMap { Bytes.fromBase64($0) }
            let file = try side.openReply(try #require(sealed))
            #expect(file.contains("<guid>"))
            try await device.recover(guidFile: Array(file.utf8), newPassword: otherPassword, source: "test")
        }
    }

    @Test func supportKeyAndFileWorkThroughTheRecoveryRoutes() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await withLiveDevice(device) { base in
            let anonymous = client(base, password: nil)
            func challenge() async throws -> OpenedChallenge {
                let reply = try await anonymous.post(
                    "/ISAPI/Security/recovery/challenge", xml: XMLElement("RecoveryChallenge", children: [.leaf("purpose", "supportCase")]))
                return try TestAuthority.open(try #require(reply.xml?.value("text")), device: device, now: clock.now)
            }
            let key = try TestAuthority.authority.resetKey(for: try await challenge())
            let legacy = LegacySerialDateCode.compute(serial: device.identity.serial.text, year: 2026, month: 11, day: 18)
            let refused = try await anonymous.post(
                "/ISAPI/Security/recovery/resetKey",
                xml: XMLElement("ResetKeyReset", children: [.leaf("resetKey", legacy), .leaf("newPassword", otherPassword)]))
            #expect(refused.status == .forbidden)
            #expect(refused.errorMessage?.contains("14 characters") == true)
            let keyed = try await anonymous.post(
                "/ISAPI/Security/recovery/resetKey",
                xml: XMLElement("ResetKeyReset", children: [.leaf("resetKey", key.description), .leaf("newPassword", otherPassword)]))
            #expect(keyed.status == .ok)

            let file = try TestAuthority.authority.resetFile(for: try await challenge(), caseID: "RC-9", now: clock.now)
            let filed = try await anonymous.post(
                "/ISAPI/Security/recovery/resetFile",
                xml: XMLElement("ResetFileReset", children: [.leaf("ResetFileData", file.xml), .leaf("newPassword", goodPassword)]))
            #expect(filed.status == .ok)
            let again = try await anonymous.post(
                "/ISAPI/Security/recovery/resetFile",
                xml: XMLElement("ResetFileReset", children: [.leaf("ResetFileData", file.xml), .leaf("newPassword", otherPassword)]))
            #expect(again.status == .forbidden)
            try await device.verifyPassword(goodPassword, source: "test")
        }
    }

    @Test func reservedEmailIsSetWithJSONAndItsCodeWorksOnce() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await withLiveDevice(device) { base in
            let admin = client(base)
            let body = #"{"SecurityEmail":{"SecurityInformation":[{"emailAddress":"owner@example.org"}],"password":"\#(goodPassword)"}}"#
            let set = try await admin.send(
                .PUT, "/ISAPI/Security/securityEmail?format=json", body: Array(body.utf8), contentType: "application/json")
            #expect(set.status == .ok)
            #expect(try await admin.get("/ISAPI/Security/securityEmail?format=json").text.contains("owner@example.org"))
            let anonymous = client(base, password: nil)
            let qr = try await anonymous.post(
                "/ISAPI/Security/recovery/challenge", xml: XMLElement("RecoveryChallenge", children: [.leaf("purpose", "reservedEmail")]))
            let opened = try TestAuthority.open(try #require(qr.xml?.value("text")), device: device, now: clock.now)
            let code = try TestAuthority.authority.verificationCode(for: opened)
            let reset = XMLElement(
                "EmailCodeReset", children: [.leaf("verificationCode", code.description), .leaf("newPassword", otherPassword)])
            #expect(try await anonymous.post("/ISAPI/Security/recovery/emailCode", xml: reset).status == .ok)
            #expect(try await anonymous.post("/ISAPI/Security/recovery/emailCode", xml: reset).status == .forbidden)
        }
    }

    @Test func malformedXMLGetsAClearError() async throws {
        let device = try makeDevice()
        try await withLiveDevice(device) { base in
            let reply = try await client(base, password: nil).send(
                .PUT, "/ISAPI/System/activate", body: Array("<!DOCTYPE x [<!ENTITY a \"b\">]><ActivateInfo/>".utf8),
                contentType: "application/xml")
            #expect(reply.status == .badRequest)
            #expect(reply.errorMessage?.contains("document type declaration") == true)
            #expect(await device.isActivated == false)
        }
    }

    /// One request without the client's Digest handling.
    func raw(_ base: String, _ path: String, headers: [String: String] = [:]) async throws -> ISAPIClient.Reply {
        var request = HTTPClientRequest(url: base + path)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        var body = try await response.body.collect(upTo: 1 << 20)
        return ISAPIClient.Reply(status: response.status, headers: response.headers, body: body.readBytes(length: body.readableBytes) ?? [])
    }
}

struct Curve25519KeyPair {
    let privateKey = Curve25519.KeyAgreement.PrivateKey()
    var publicKey: [UInt8] { Array(privateKey.publicKey.rawRepresentation) }
}
