import DeviceAgent
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReclaimCore
import ReclaimQR
import ReclaimTestSupport
import Testing

@testable import Platform

/// Every route, called as every role and as nobody, answers as its declared access says.
@Suite struct RouteAccessTests {
    enum Caller: CaseIterable {
        case nobody, installer, owner, reviewer, admin, factory
    }

    @Test func everyRouteAsEveryRole() async throws {
        try await withTestPlatform { platform in
            var made: [Caller: String] = [:]
            for (caller, role) in [(Caller.installer, Role.installer), (.owner, .owner), (.reviewer, .reviewer), (.admin, .admin)] {
                made[caller] = try await platform.token(for: try await platform.account(role, certified: true))
            }
            made[.factory] = try AuthorityKeyStore(dataDirectory: platform.directory).factoryToken()
            let tokens = made
            let (_, specs) = buildPlatformRouter(services: platform.services)
            #expect(specs.count >= 20)
            var outcomes: [String] = []
            for spec in specs {
                for caller in Caller.allCases {
                    let status = try await call(platform, spec, token: tokens[caller])
                    let verdict = Self.verdict(spec, caller: caller, status: status)
                    if let verdict { outcomes.append(verdict) }
                }
            }
            #expect(outcomes.isEmpty, "\(outcomes.joined(separator: "\n"))")
        }
    }

    /// Calls one route with an empty JSON body; returns the status, and for a redirect where it goes.
    func call(_ platform: TestPlatform, _ spec: RouteSpec, token: String?) async throws -> (Int, String?) {
        let path = spec.path.replacingOccurrences(of: "{serial}", with: "X1").replacingOccurrences(of: "{id}", with: "co_none")
        var headers: HTTPFields = [.contentType: "application/json"]
        var body = "{}"
        if !path.hasPrefix("/api/"), spec.method == .post {
            // Portal forms: with a valid CSRF token, so only the route's access can refuse.
            let csrf = "0123456789abcdef0123456789abcdef"
            headers = [.contentType: "application/x-www-form-urlencoded", .cookie: "reclaim_csrf=\(csrf)"]
            body = "csrf=\(csrf)"
        }
        if let token { headers[.authorization] = "Bearer \(token)" }
        let request = headers
        let payload = body
        return try await platform.application.test(.router) { client in
            try await client.execute(uri: path, method: spec.method, headers: request, body: ByteBuffer(string: payload)) { response in
                (Int(response.status.code), response.headers[.location])
            }
        }
    }

    /// nil when the answer fits the route's access; otherwise what went wrong.
    static func verdict(_ spec: RouteSpec, caller: Caller, status: (Int, String?)) -> String? {
        // The API refuses with 401 or 403; pages send strangers to sign in, or answer 403.
        let refused =
            spec.path.hasPrefix("/api/")
            ? status.0 == 401 || status.0 == 403
            : status.0 == 403 || (status.0 == 303 && status.1?.hasPrefix("/signin") == true)
        let allowed: Bool
        switch spec.access {
        case .anyone: allowed = true
        case .factory: allowed = caller == .factory
        case .monitoring: allowed = false  // a test router has no loopback peer, and no metrics token is set
        case .signedIn: allowed = caller != .nobody && caller != .factory
        case .roles(let roles):
            let role: Role? = [Caller.installer: Role.installer, .owner: .owner, .reviewer: .reviewer, .admin: .admin][caller]
            allowed = role.map(roles.contains) ?? false
        }
        if allowed, refused { return "\(caller) was refused \(spec.method) \(spec.path) (\(status.0))" }
        if !allowed, !refused { return "\(caller) was let through \(spec.method) \(spec.path) (\(status.0))" }
        return nil
    }

    @Test func theOpenAPIDocumentNamesEveryAPIRouteAndNoOther() async throws {
        try await withTestPlatform { platform in
            let (_, specs) = buildPlatformRouter(services: platform.services)
            let served = try await platform.application.test(.router) { client in
                try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                    #expect(response.status == .ok)
                    return response.text
                }
            }
            #expect(served.hasPrefix("openapi: 3.1.0"))
            let documented = Set(
                served.split(separator: "\n").filter { $0.hasPrefix("  /") && $0.hasSuffix(":") }.map { String($0.dropFirst(2).dropLast()) }
            )
            let apiRoutes = Set(specs.map(\.path).filter { $0.hasPrefix("/api/") || $0 == "/health" || $0 == "/metrics" })
            #expect(documented == apiRoutes)
        }
    }
}

/// Objects have owners: a route that returns one checks that the caller may see that
/// object, not only that the caller's role may use the route.
@Suite struct OwnershipTests {
    @Test func anInstallerOfAnotherCompanyGetsNotFoundForEveryOwnedObject() async throws {
        try await withTestPlatform { platform in
            let world = try await PlatformWorld.make(platform)
            let (ours, colleague, theirs, reviewer) = (world.ours, world.colleague, world.theirs, world.reviewer)
            let company = try #require(ours.companyId)
            let (_, specs) = buildPlatformRouter(services: platform.services)
            let owned = specs.filter { $0.owned != nil }
            #expect(Set(owned.compactMap(\.owned)) == Set(world.ids.keys), "every kind of owned object is tried")
            // One run of the application for every call: its background services stop for good
            // when a run ends.
            let token = try await platform.token(for: theirs)
            let answers = try await platform.application.test(.router) { client in
                for spec in owned {
                    let path = world.path(of: spec)
                    // Another company's installer first, so that nothing has changed the object yet.
                    for account in [theirs, colleague, reviewer] {
                        let token = try await platform.token(for: account)
                        let status = try await client.execute(
                            uri: path, method: spec.method, headers: [.authorization: "Bearer \(token)"]
                        ) { Int($0.status.code) }
                        // Theirs: as if it did not exist (or refused whatever the object, when
                        // the role may not use the route at all). Ours and the desk: whatever
                        // the role and the object's state allow, but never "not found".
                        let expected: Set<Int> =
                            account.id == theirs.id ? (spec.access.allows(account) ? [404] : [403]) : Set(200..<600).subtracting([404])
                        #expect(
                            expected.contains(status),
                            "\(account.role) of \(account.companyId == company ? "the" : "another") company: \(spec.method) \(path) → \(status)"
                        )
                    }
                }
                // Another company's object and one that does not exist answer alike.
                var answers: [String] = []
                for id in [company, "co_0000000000000000"] {
                    try await client.execute(uri: "/api/v1/companies/\(id)", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                        answers.append($0.text.replacingOccurrences(of: id, with: "ID"))
                    }
                }
                return answers
            }
            #expect(answers[0] == answers[1])
        }
    }

    /// An owner's objects (their devices, sites, shares, the requests and claims addressed
    /// to them, their tickets) answer another owner as if they did not exist.
    @Test func anotherOwnerGetsNotFoundForEveryObjectOfAnOwner() async throws {
        try await withTestPlatform { platform in
            let world = try await PlatformWorld.make(platform)
            let stranger = try await platform.account(.owner)
            let (_, specs) = buildPlatformRouter(services: platform.services)
            let kinds: Set<String> = ["device", "site", "share", "access-request", "claim", "ticket", "reset-request"]
            let owners = specs.filter { kinds.contains($0.owned ?? "") && $0.access.allows(world.owner) }
            #expect(Set(owners.compactMap(\.owned)) == kinds, "every kind of an owner's object is tried")
            let theirs = try await platform.token(for: stranger)
            let ours = try await platform.token(for: world.owner)
            try await platform.application.test(.router) { client in
                // The stranger first, so that nothing has changed the objects yet.
                for (token, stranger) in [(theirs, true), (ours, false)] {
                    for spec in owners {
                        let status = try await client.execute(
                            uri: world.path(of: spec), method: spec.method, headers: [.authorization: "Bearer \(token)"]
                        ) { Int($0.status.code) }
                        #expect(
                            stranger ? status == 404 : status != 404,
                            "\(stranger ? "another" : "the") owner: \(spec.method) \(spec.path) → \(status)")
                    }
                }
            }
        }
    }
}

@Suite struct AccountTests {
    @Test func signInWorksAndIsThrottledAfterFiveFailures() async throws {
        try await withTestPlatform { platform in
            let owner = try await platform.account(.owner, email: "anna@example.com")
            let accounts = platform.services.accounts
            #expect(try await accounts.signIn(email: "Anna@Example.com ", password: testPassword, source: "a") == .signedIn(owner))
            for _ in 0..<5 {
                #expect(
                    try await accounts.signIn(email: "anna@example.com", password: "wrong horse battery staple", source: "b") == .refused)
            }
            guard case .paused(let until) = try await accounts.signIn(email: "anna@example.com", password: testPassword, source: "c") else {
                Issue.record("the sixth attempt must be paused, even with the right password")
                return
            }
            #expect(until > Date())
            // Another source that failed five times is paused for every account.
            for index in 0..<5 {
                _ = try await accounts.signIn(email: "x\(index)@example.com", password: "nope nope nope nope", source: "d")
            }
            let other = try await platform.account(.owner, email: "bruno@example.com")
            _ = other
            guard case .paused = try await accounts.signIn(email: "bruno@example.com", password: testPassword, source: "d") else {
                Issue.record("a source with five failures must be paused")
                return
            }
        }
    }

    @Test func aHundredSimultaneousWrongSignInsAreEvaluatedNoMoreThanTheLimit() async throws {
        try await withTestPlatform { platform in
            _ = try await platform.account(.owner, email: "dora@example.com")
            let accounts = platform.services.accounts
            let outcomes = try await withThrowingTaskGroup(of: Accounts.SignIn.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        try await accounts.signIn(
                            email: "dora@example.com", password: "wrong horse battery staple", source: "10.7.7.\(index)")
                    }
                }
                var outcomes: [Accounts.SignIn] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.filter { $0 == .refused }.count <= 5, "no more than the limit was evaluated")
            #expect(outcomes.filter { if case .paused = $0 { true } else { false } }.count >= 95)
            guard case .paused = try await accounts.signIn(email: "dora@example.com", password: testPassword, source: "10.7.8.1") else {
                Issue.record("the right password must wait once the limit is reached")
                return
            }
        }
    }

    /// Forty at once (eight times the limit), each on a connection of its own as forty
    /// scripts would send them.
    @Test func overTheWireFortySimultaneousWrongSignInsGetNoMoreThanTheLimitEvaluated() async throws {
        try await withTestPlatform { platform in
            _ = try await platform.account(.owner, email: "fabio@example.com")
            let statuses = try await platform.application.test(.live) { client in
                let url = "http://127.0.0.1:\(client.port!)/api/v1/tokens"
                var statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<40 {
                        group.addTask {
                            try await HTTPForTests.post(
                                url, json: ["email": "fabio@example.com", "password": "wrong horse battery staple"])
                        }
                    }
                    var statuses: [Int] = []
                    for try await status in group { statuses.append(status) }
                    return statuses
                }
                statuses.append(try await HTTPForTests.post(url, json: ["email": "fabio@example.com", "password": testPassword]))
                return statuses
            }
            #expect(statuses.count == 41)
            #expect(statuses.dropLast().filter { $0 == 401 }.count <= 5, "no more than the limit was evaluated")
            #expect(statuses.dropLast().allSatisfy { $0 == 401 || $0 == 429 }, "every wrong sign-in is refused or paused: \(statuses)")
            #expect(statuses.last == 429, "the right password waits once the limit is reached")
        }
    }

    @Test func unknownAndKnownAddressesGetTheSameAnswerInTheSameTime() async throws {
        try await withTestPlatform({ $0.loginFailures = 1000 }) { platform in
            _ = try await platform.account(.owner, email: "known@example.com")
            let (bodies, known, unknown) = try await platform.application.test(.router) { client in
                var bodies: Set<String> = []
                var known: [Duration] = []
                var unknown: [Duration] = []
                for round in 0..<12 {
                    for (address, into) in [("known@example.com", true), ("nobody-\(round)@example.com", false)] {
                        let body = try JSONSerialization.data(withJSONObject: ["email": address, "password": "wrong horse battery staple"])
                        let start = ContinuousClock.now
                        bodies.insert(
                            try await client.execute(uri: "/api/v1/tokens", method: .post, body: ByteBuffer(bytes: body)) { response in
                                #expect(response.status == .unauthorized)
                                return response.text
                            })
                        if into { known.append(ContinuousClock.now - start) } else { unknown.append(ContinuousClock.now - start) }
                    }
                }
                return (bodies, known, unknown)
            }
            #expect(bodies.count == 1)
            // Both pay one scrypt; without the decoy hash the unknown address answers many times faster.
            let ratio = median(unknown) / median(known)
            #expect(ratio > 0.4 && ratio < 2.5, "unknown/known sign-in time ratio \(ratio)")
        }
    }

    func median(_ values: [Duration]) -> Double {
        let sorted = values.map { Double($0.components.attoseconds) / 1e18 + Double($0.components.seconds) }.sorted()
        return sorted[sorted.count / 2]
    }

    @Test func signUpTakesTheSameTimeForNewAndTakenAddressesAtTheRealHashCost() async throws {
        try await withTestPlatform({
            $0.lightPasswordHashing = false
            $0.signupsPerSource = 1000
        }) { platform in
            _ = try await platform.account(.owner, email: "taken@example.com")
            let (taken, fresh) = try await platform.application.test(.live) { client in
                let cookie = try await client.execute(uri: "/signup", method: .get) { response in
                    response.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
                }
                let csrf = String(cookie.split(separator: "=").last ?? "")
                var taken: [Duration] = []
                var fresh: [Duration] = []
                for round in 0..<8 {
                    for (address, isTaken) in [("taken@example.com", true), ("fresh-\(round)@example.com", false)] {
                        let form =
                            "csrf=\(csrf)&kind=owner&name=Eva&email=\(address)&password=\(testPassword.replacingOccurrences(of: " ", with: "+"))"
                        let start = ContinuousClock.now
                        try await client.execute(
                            uri: "/signup", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                            body: ByteBuffer(string: form)
                        ) { response in #expect(response.status == .ok) }
                        if isTaken { taken.append(ContinuousClock.now - start) } else { fresh.append(ContinuousClock.now - start) }
                    }
                }
                try await waitForMail(platform, count: 16)
                return (taken, fresh)
            }
            // Without the background sign-up, a new address paid a full scrypt and a taken one
            // did not; now neither request pays it.
            let ratio = median(fresh) / median(taken)
            #expect(ratio > 0.5 && ratio < 2.0, "new/taken sign-up time ratio \(ratio)")
        }
    }

    @Test(arguments: [true, false])
    func forwardedAddressesCountOnlyBehindATrustedProxy(trusted: Bool) async throws {
        try await withTestPlatform({ if trusted { $0.trustedProxies = ["127.0.0.1"] } }) { platform in
            try await platform.application.test(.live) { client in
                func signIn(_ index: Int, from address: String) async throws -> HTTPResponse.Status {
                    let body = try JSONSerialization.data(withJSONObject: [
                        "email": "nobody-\(index)@example.com", "password": "wrong horse battery staple",
                    ])
                    return try await client.execute(
                        uri: "/api/v1/tokens", method: .post, headers: [HTTPField.Name("X-Forwarded-For")!: "\(address), 127.0.0.1"],
                        body: ByteBuffer(bytes: body)
                    ) { $0.status }
                }
                var first: [HTTPResponse.Status] = []
                for index in 0..<5 { first.append(try await signIn(index, from: "203.0.113.5")) }
                #expect(first.allSatisfy { $0 == .unauthorized })
                let sixth = try await signIn(5, from: "203.0.113.5")
                #expect(sixth == .tooManyRequests, "the forwarded client, or the proxy, is paused")
                // Another client behind the proxy is its own source only when the proxy is trusted.
                let other = try await signIn(6, from: "198.51.100.7")
                #expect(other == (trusted ? .unauthorized : .tooManyRequests))
            }
        }
    }

    @Test func signUpAnswersTheSameForNewAndTakenAddresses() async throws {
        try await withTestPlatform { platform in
            _ = try await platform.account(.owner, email: "taken@example.com")
            let pages = try await platform.application.test(.live) { client in
                var pages: [String] = []
                let cookie = try await client.execute(uri: "/signup", method: .get) { response in
                    response.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
                }
                let csrf = String(cookie.split(separator: "=").last ?? "")
                for address in ["taken@example.com", "fresh@example.com"] {
                    let form =
                        "csrf=\(csrf)&kind=owner&name=Eva&email=\(address)&password=\(testPassword.replacingOccurrences(of: " ", with: "+"))"
                    try await client.execute(
                        uri: "/signup", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                        body: ByteBuffer(string: form)
                    ) { response in
                        #expect(response.status == .ok)
                        pages.append(response.text.replacingOccurrences(of: address, with: "ADDRESS"))
                    }
                }
                try await waitForMail(platform, count: 2)
                return pages
            }
            #expect(pages.count == 2 && pages[0] == pages[1])
            let mails = platform.mailer.messages
            #expect(mails.first { $0.to == "taken@example.com" }?.subject.contains("already have an account") == true)
            let confirmation = try #require(mails.first { $0.to == "fresh@example.com" })
            let link = try #require(confirmation.body.split(separator: "\n").first { $0.contains("/signup/confirm?token=") })
            let token = String(link.split(separator: "=").last!)
            // Unconfirmed accounts cannot sign in; the link confirms once.
            #expect(
                try await platform.services.accounts.signIn(email: "fresh@example.com", password: testPassword, source: "t") == .refused)
            #expect(try await platform.services.accounts.confirm(token: token) != nil)
            #expect(try await platform.services.accounts.confirm(token: token) == nil)
            guard
                case .signedIn = try await platform.services.accounts.signIn(
                    email: "fresh@example.com", password: testPassword, source: "t")
            else {
                Issue.record("a confirmed account signs in")
                return
            }
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await withTestPlatform { platform in
            _ = try await platform.account(.owner, email: "carla@example.com")
            try await platform.application.test(.router) { client in
                let form = "email=carla%40example.com&password=\(testPassword.replacingOccurrences(of: " ", with: "+"))"
                try await client.execute(
                    uri: "/signin", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "reclaim_csrf=0123456789abcdef0123456789abcdef"],
                    body: ByteBuffer(string: form + "&csrf=ffffffffffffffffffffffffffffffff")
                ) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.headers[.setCookie] == nil || !(response.headers[.setCookie]!.contains("reclaim_portal")))
                }
                try await client.execute(
                    uri: "/signin", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "reclaim_csrf=0123456789abcdef0123456789abcdef"],
                    body: ByteBuffer(string: form + "&csrf=0123456789abcdef0123456789abcdef")
                ) { response in
                    #expect(response.status == .seeOther)
                    let cookie = response.headers[.setCookie] ?? ""
                    #expect(cookie.contains("reclaim_portal=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
                }
            }
        }
    }

    /// Shapes that browsers read as another site, each sent as `next` with a right password.
    static let redirectBypasses = [
        "//evil.example", "/\\evil.example", "/\\/evil.example", "\\/evil.example", "\\\\evil.example", "https://evil.example",
        "https:evil.example", "javascript:alert(1)", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", " //evil.example",
        "//evil.example/%2F..", "///evil.example", "/ /evil.example", "http:/\\evil.example", "", "evil.example",
    ]

    @Test func signInSendsOnlyToAPathOfThisSite() async throws {
        try await withTestPlatform { platform in
            _ = try await platform.account(.owner, email: "elio@example.com")
            let csrf = "0123456789abcdef0123456789abcdef"
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            try await platform.application.test(.router) { client in
                for (next, expected) in Self.redirectBypasses.map({ ($0, "/dashboard") }) + [
                    ("/dashboard?tab=companies", "/dashboard?tab=companies")
                ] {
                    let form =
                        "csrf=\(csrf)&email=elio%40example.com&password=\(testPassword.addingPercentEncoding(withAllowedCharacters: allowed)!)"
                        + "&next=\(next.addingPercentEncoding(withAllowedCharacters: allowed)!)"
                    try await client.execute(
                        uri: "/signin", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "reclaim_csrf=\(csrf)"],
                        body: ByteBuffer(string: form)
                    ) { response in
                        #expect(response.status == .seeOther)
                        #expect(response.headers[.location] == expected, "next=\(next.debugDescription)")
                    }
                }
            }
        }
    }

    @Test func healthAnswersAnyoneAndMetricsOnlyThisMachine() async throws {
        try await withTestPlatform { platform in
            // Over a real socket from 127.0.0.1: the machine itself.
            try await platform.application.test(.live) { client in
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("\"status\":\"ok\""))
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("reclaim_http_requests_total"))
                }
            }
            // Behind a trusted proxy a remote client is not the machine.
            try await withTestPlatform({ $0.trustedProxies = ["127.0.0.1"] }) { proxied in
                try await proxied.application.test(.live) { client in
                    try await client.execute(
                        uri: "/metrics", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"]
                    ) { response in
                        #expect(response.status == .forbidden)
                        #expect(!response.text.contains("reclaim_http_requests_total"))
                    }
                }
            }
        }
    }

    @Test func withATokenMetricsAnswerOnlyToIt() async throws {
        try await withTestPlatform({ $0.metricsToken = "metrics-0123456789abcdef" }) { platform in
            try await platform.application.test(.live) { client in
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-0123456789abcdef"]) {
                    response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("reclaim_http_requests_total"))
                }
            }
        }
    }
}

@Suite struct MailTests {
    @Test func theOutboxHoldsWholeMessagesWithEncodedText() async throws {
        let directory = temporaryDirectory()
        let outbox = OutboxMailer(directory: directory, from: "Reclaim <no-reply@reclaim.invalid>")
        try await outbox.send(MailMessage(to: "a@example.com", subject: "Codice di verifica è qui", body: "Città: Milano\n.\nfine"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.count == 1 && files[0].hasSuffix(".eml"))
        let text = try String(contentsOfFile: directory + "/" + files[0], encoding: .utf8)
        #expect(text.contains("To: a@example.com\r\n"))
        #expect(text.contains("Subject: =?utf-8?B?"))
        #expect(text.contains("Citt=C3=A0: Milano"))
    }

    @Test func settingsComeFromFlagsThenEnvironmentThenFile() async throws {
        let directory = temporaryDirectory()
        try Data(
            #"{"mail": {"transport": "smtp", "smtp": {"host": "file.example", "port": 2525}}, "limits": {"login": {"failures": 9}}}"#.utf8
        )
        .write(to: URL(fileURLWithPath: directory + "/server.json"))
        let settings = try await ServerSettings.load(
            dataDirectory: directory, overrides: ["mail.smtp.host": "flag.example"], configFile: nil,
            environment: ["RECLAIM_MAIL_SMTP_PORT": "2626", "RECLAIM_MAIL_SMTP_HOST": "env.example"])
        #expect(settings.mail.transport == "smtp")
        #expect(settings.mail.smtpHost == "flag.example")
        #expect(settings.mail.smtpPort == 2626)
        #expect(settings.loginFailures == 9)
        #expect(settings.databaseURL == "sqlite://\(directory)/reclaim.sqlite")
    }

    @Test func aSettingOutOfRangeStopsTheServerAndNamesIt() async throws {
        let directory = temporaryDirectory()
        for (adjust, key) in [
            ({ (s: inout ServerSettings) in s.loginFailures = 0 }, "limits.login.failures"),
            ({ (s: inout ServerSettings) in s.sessionLifetime = Int64.max }, "sessions.lifetime"),
            ({ (s: inout ServerSettings) in s.resetFileValidity = .infinity }, "authority.reset-file-validity"),
            ({ (s: inout ServerSettings) in s.mail.transport = "pigeon" }, "mail.transport"),
            ({ (s: inout ServerSettings) in s.mailboxListen = "0.0.0.0" }, "mailbox.listen"),
            ({ (s: inout ServerSettings) in s.mailboxIdleTimeout = 0 }, "mailbox.idle-timeout"),
            (
                { (s: inout ServerSettings) in
                    s.mailboxListen = "127.0.0.1:0"
                    s.mailboxAddress = "pw_recovery"
                }, "mailbox.address"
            ),
        ] {
            var settings = ServerSettings(dataDirectory: directory)
            adjust(&settings)
            do {
                _ = try await PlatformServices.open(settings: settings, logger: testLogger)
                Issue.record("\(key) out of range was taken")
            } catch let error as PlatformError {
                #expect(error.code == .badSetting)
                #expect(error.reason.hasPrefix(key), "\(error.reason)")
            }
        }
    }

    @Test func theServerDocumentNamesEverySetting() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let document = try String(contentsOf: root.appendingPathComponent("docs/server.md"), encoding: .utf8)
        for key in ServerSettings.keys {
            #expect(document.contains("`\(key.name)`"), "docs/server.md does not document \(key.name)")
        }
    }
}
