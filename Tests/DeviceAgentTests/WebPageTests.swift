import AsyncHTTPClient
import DeviceAgent
import Foundation
import ISAPIClient
import NIOCore
import NIOHTTP1
import ReclaimCore
import ReclaimTestSupport
import Testing

/// The web page's recovery forms over real HTTP, as a browser posts them.
@Suite struct WebPageTests {
    /// A tiny browser: keeps cookies, posts forms, reads the CSRF token off the page.
    final class Browser: @unchecked Sendable {
        let base: String
        var cookies: [String: String] = [:]
        var page = ""
        var status: HTTPResponseStatus = .ok

        init(base: String) { self.base = base }

        /// Redirects are followed here, by hand, so the cookies they set are kept.
        static let client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

        func get(_ path: String) async throws {
            try await send(HTTPClientRequest(url: base + path))
        }

        func post(_ path: String, _ fields: [String: String]) async throws {
            var request = HTTPClientRequest(url: base + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let body = (fields.merging(["csrf": csrf]) { old, _ in old }).map {
                "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
            }.joined(separator: "&")
            request.body = .bytes(ByteBuffer(string: body))
            try await send(request)
        }

        var csrf: String {
            page.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first.map { String($0.prefix(32)) } ?? ""
        }

        func element(_ id: String) -> String? {
            guard let start = page.range(of: "id=\"\(id)\"") else { return nil }
            let rest = page[start.upperBound...]
            guard let open = rest.firstIndex(of: ">") else { return nil }
            let content = rest[rest.index(after: open)...]
            return content.prefix { $0 != "<" }.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func send(_ request: HTTPClientRequest) async throws {
            var request = request
            if !cookies.isEmpty {
                request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            }
            let response = try await Self.client.execute(request, timeout: .seconds(10))
            for header in response.headers["Set-Cookie"] {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            }
            var body = try await response.body.collect(upTo: 1 << 20)
            status = response.status
            page = body.readString(length: body.readableBytes) ?? ""
            if response.status == .seeOther, let location = response.headers["Location"].first {
                try await get(location.hasPrefix("http") ? String(location.dropFirst(base.count)) : location)
            }
        }
    }

    @Test func supportCaseKeyTypedIntoTheForgotPage() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await withLiveDevice(device) { base in
            let browser = Browser(base: base)
            try await browser.get("/forgot")
            #expect(browser.page.contains("id=\"mode-support\""))
            try await browser.get("/forgot/support")
            try await browser.post("/forgot/support/qr", [:])
            #expect(browser.page.contains("<svg"))
            let text = try #require(browser.element("qr-text"))
            #expect(text.hasPrefix("RC1:"))

            let key = try TestAuthority.authority.resetKey(for: try TestAuthority.open(text, device: device, now: clock.now))
            try await browser.post(
                "/forgot/support/key", ["key": "AAAA-AAAA-AAAA-AA", "password": otherPassword, "confirm": otherPassword])
            #expect(browser.status == .forbidden)
            #expect(browser.element("error")?.contains("4 attempts left") == true)
            try await browser.post("/forgot/support/key", ["key": key.description, "password": otherPassword, "confirm": "Different-1"])
            #expect(browser.element("error") == "The two passwords differ.")
            try await browser.post("/forgot/support/key", ["key": key.description, "password": otherPassword, "confirm": otherPassword])
            #expect(browser.element("message")?.contains("new admin password is set") == true)
            try await device.verifyPassword(otherPassword, source: "test")
        }
    }

    /// A date on the device's page reads as its reader writes it, never as ISO 8601.
    @Test func theQRCodesExpiryIsADateInThePagesLanguage() async throws {
        let device = try await makeActivatedDevice(clock: TestClock())
        try await withLiveDevice(device) { base in
            let browser = Browser(base: base)
            try await browser.get("/forgot/support?lang=it")
            try await browser.post("/forgot/support/qr", [:])
            let italian = try #require(browser.page.firstMatch(of: /Scade il (\d{2}\/\d{2}\/\d{4} \d{2}:\d{2})\./))
            #expect(!italian.output.1.isEmpty)
            try await browser.get("/forgot/support?lang=en")
            try await browser.post("/forgot/support/qr", [:])
            #expect(browser.page.firstMatch(of: /Expires on \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}\./) != nil)
            #expect(browser.page.firstMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/) == nil, "no ISO 8601 on the page")
        }
    }

    @Test func reservedEmailCodeTypedIntoTheForgotPageInItalian() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        try await device.setReservedEmail("proprietario@example.org", password: goodPassword, source: "s")
        try await withLiveDevice(device) { base in
            let browser = Browser(base: base)
            try await browser.get("/forgot/email?lang=it")
            #expect(browser.page.contains("p***@example.org"))
            try await browser.post("/forgot/email/qr", [:])
            let text = try #require(browser.element("qr-text"))
            let code = try TestAuthority.authority.verificationCode(for: try TestAuthority.open(text, device: device, now: clock.now))
            try await browser.post("/forgot/email", ["code": "ZZZZZ-ZZZZZ", "password": otherPassword, "confirm": otherPassword])
            #expect(browser.element("error") == "I dati inseriti non corrispondono. Ti restano 4 tentativi prima del blocco.")
            try await browser.post("/forgot/email", ["code": code.description, "password": otherPassword, "confirm": otherPassword])
            #expect(browser.element("message")?.hasPrefix("La nuova password") == true)
        }
    }

    /// Every page of the device, in each state it is met in, asked for in Italian: each says
    /// `lang="it"` and no English sentence, the QR codes' pages and the set-up's answers too.
    @Test func everyDevicePageAskedForInItalianReadsItalian() async throws {
        @Sendable func check(_ browser: Browser, _ what: String) -> String {
            let english = ItalianReading.englishOn(italianPage: browser.page)
            #expect(english.isEmpty, "\(what) says \(english) in Italian:\n\(ItalianReading.visibleText(browser.page))")
            return what
        }
        var read = try await withLiveDevice(try makeDevice()) { base in
            let browser = Browser(base: base)
            try await browser.get("/?lang=it")
            return [check(browser, "activation")]
        }
        read += try await withLiveDevice(try await makeActivatedDevice()) { base in
            var read: [String] = []
            let browser = Browser(base: base)
            try await browser.get("/?lang=it")
            read.append(check(browser, "sign-in"))
            for path in ["/forgot", "/forgot/guid", "/forgot/questions", "/forgot/email", "/forgot/support"] {
                try await browser.get(path)
                read.append(check(browser, path + " before set-up"))
            }
            try await browser.post("/signin", ["password": goodPassword])
            read.append(check(browser, "the device's page"))
            try await browser.post("/setup/email", ["email": "titolare@example.org", "password": goodPassword])
            #expect(browser.element("notice") == "Modifiche salvate.")
            read.append(check(browser, "the reserved address saved"))
            try await browser.post(
                "/setup/questions",
                [
                    "question1": "4", "answer1": "Scuola Manzoni", "question2": "6", "answer2": "Via Roma", "question3": "12",
                    "answer3": "Storia", "password": goodPassword,
                ])
            #expect(browser.element("questions-state") == "(Impostazione completata)")
            read.append(check(browser, "the questions saved"))
            try await browser.post("/signout", [:])
            for path in ["/forgot/questions", "/forgot/email"] {
                try await browser.get(path)
                read.append(check(browser, path))
            }
            try await browser.post("/forgot/email/qr", [:])
            #expect(browser.element("qr-text")?.hasPrefix("RC1:") == true)
            read.append(check(browser, "the reserved address's QR code"))
            try await browser.post("/forgot/support/qr", [:])
            read.append(check(browser, "the support case's QR code"))
            return read
        }
        #expect(read.count == 14, "\(read)")
    }

    @Test func securityQuestionsSetOnTheDashboardThenAnsweredAtForgot() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let browser = Browser(base: base)
            try await browser.get("/")
            try await browser.post("/signin", ["password": goodPassword])
            #expect(browser.element("questions-state") == "(Not set up)")
            try await browser.post(
                "/setup/questions",
                [
                    "question1": "4", "answer1": "Scuola Manzoni", "question2": "6", "answer2": "Via Roma", "question3": "12",
                    "answer3": "Storia", "password": goodPassword,
                ])
            #expect(browser.element("questions-state") == "(Set up)")
            try await browser.post("/signout", [:])
            try await browser.get("/forgot/questions")
            #expect(browser.page.contains("What was the name of your primary school?"))
            try await browser.post(
                "/forgot/questions",
                [
                    "answer4": "scuola manzoni", "answer6": "VIA ROMA", "answer12": "storia", "password": otherPassword,
                    "confirm": otherPassword,
                ])
            #expect(browser.element("message")?.contains("new admin password is set") == true)
        }
    }

    @Test func dashboardNeedsASessionAndSessionsEndWithThePassword() async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let stranger = Browser(base: base)
            try await stranger.get("/")
            try await stranger.post("/setup/email", ["email": "thief@example.org", "password": goodPassword])
            #expect(stranger.status == .unauthorized)
            #expect(await device.recoverySetup.reservedEmail == nil)

            let owner = Browser(base: base)
            try await owner.get("/")
            try await owner.post("/signin", ["password": goodPassword])
            #expect(owner.page.contains("id=\"signout\""))
            try await device.changePassword(current: goodPassword, new: otherPassword, source: "elsewhere")
            try await owner.get("/")
            #expect(owner.page.contains("action=\"/signin\""), "the old session ended with the old password")
        }
    }

    /// Numbers from a form or a body are read without overflow and refused out of range:
    /// a value an admin types cannot stop the device (or a farm of them).
    @Test(arguments: ["99999999999999999999999999", "-1", "0", "1e308", "1.5", "NaN", "", "4294967296"])
    func anyNumberInTheLockoutFormIsRefusedOrTakenNeverACrash(_ value: String) async throws {
        let device = try await makeActivatedDevice()
        try await withLiveDevice(device) { base in
            let browser = Browser(base: base)
            try await browser.get("/")
            try await browser.post("/signin", ["password": goodPassword])
            try await browser.post("/setup/lockout", ["maxFailures": "5", "lockMinutes": value])
            #expect(browser.status == .badRequest, "lockMinutes=\(value)")
            try await browser.post("/setup/lockout", ["maxFailures": value, "lockMinutes": "30"])
            #expect(browser.status == .badRequest, "maxFailures=\(value)")
            #expect(browser.element("error")?.isEmpty == false)
            // Still serving, unchanged.
            try await browser.get("/")
            #expect(browser.status == .ok)
            #expect(await device.settings.lockout.lockDuration == 1800)
            let reply = try await ISAPIClient(baseURL: base, password: goodPassword).put(
                "/ISAPI/Security/illegalLoginLock",
                xml: XMLElement(
                    "IllegalLoginLock", children: [.leaf("maxIllegalLoginTimes", value), .leaf("maxIllegalLoginLockTime", value)]))
            #expect(reply.status == .badRequest, "ISAPI \(value)")
        }
    }
}
