import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ReclaimCore
import ReclaimTestSupport
import SADP
import Testing
import WebSupport

@testable import DeviceAgent
@testable import Platform

/// Every text of every surface exists in both languages and is the one the pages name.
@Suite struct SurfaceTextTests {
    /// Counted texts whose Italian noun is the same in the singular and the plural ("1 ticket",
    /// "2 ticket"): the number alone tells them apart.
    static let sameNounInTheItalianPlural: Set<String> = ["ticketsLimited", "ticketTooManyFiles"]

    /// Counted texts agree with their number in both languages: "1 tentativo", "2 tentativi",
    /// never "1 tentativi"; the texts for 0, 1, 2 and 5 each carry their number.
    @Test(arguments: Language.allCases)
    func everyCountedTextAgreesWithItsNumber(_ language: Language) {
        let catalogs = [
            "device": DeviceWeb.surface.strings, "portal": PortalWeb.surface(secureCookies: false).strings, "mail": MailTemplates.strings,
            "console": ConsoleStrings.catalog,
        ]
        #expect(catalogs.values.reduce(0) { $0 + $1.countedKeys.count } >= 4, "the counted texts are declared as such")
        for (surface, catalog) in catalogs {
            for key in catalog.countedKeys {
                var masked: [Int: String] = [:]
                for count in [0, 1, 2, 5] {
                    let text = catalog.text(key, language, count: count)
                    #expect(text.contains(String(count)) && !text.contains("{n}"), "\(surface) \(key) for \(count): \(text)")
                    masked[count] = text.replacingOccurrences(of: String(count), with: "#")
                }
                if !(language == .italian && Self.sameNounInTheItalianPlural.contains(key)) {
                    #expect(masked[1] != masked[2], "\(surface) \(key) says 1 as it says 2: \(masked[1] ?? "")")
                }
                #expect(masked[0] == masked[2] && masked[2] == masked[5], "\(surface) \(key): 0, 2 and 5 take the plural")
            }
        }
        // An error's reason counts through the same texts: one invitation, never "1 inviti".
        let oneInvitation = PlatformFailure(PlatformError(.throttled, "limited", localized: .init("invitationsLimited", count: 1)))
        #expect(
            oneInvitation.message(language, PortalStrings.catalog).contains(language == .italian ? "1 invito oggi" : "1 invitation today"))
        // Where pages meet them: a locked device, one minute left.
        let oneMinute = DeviceError(.locked, "locked", lockSecondsLeft: 30)
        #expect(!oneMinute.message(language, DeviceWeb.surface.strings).contains("1 minut" + (language == .italian ? "i" : "es")))
    }

    /// Dates in mail and on the portal read as their reader writes them, in the platform's
    /// time zone: never ISO 8601.
    @Test func datesInMailAndOnThePortalAreWrittenAsReadersWriteThem() async throws {
        let expires = Date(timeIntervalSince1970: 1_750_420_140)  // 2025-06-20 11:49 UTC
        let mail = MailTemplates.verificationCode(
            code: "ABCD-EFGH", serial: "DS-X", model: "DS-2CD2386G2-IU", expires: expires, timeZone: TimeZone(identifier: "Europe/Rome")!)
        #expect(mail.body.contains("20 Jun 2025 13:49") && mail.body.contains("20/06/2025 13:49"), "\(mail.body)")
        #expect(mail.body.firstMatch(of: /\d{4}-\d{2}-\d{2}T/) == nil)
        try await withTestPlatform { platform in
            let admin = try await platform.account(.admin)
            _ = try await platform.account(.installer)  // something in the audit log
            let token = try await platform.token(for: admin)
            try await platform.application.test(.router) { client in
                let page = try await client.execute(uri: "/dashboard", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(page.status == .ok)
                #expect(page.text.firstMatch(of: /\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}/) != nil, "the audit entries' times in English")
                let italian = try await client.execute(
                    uri: "/dashboard?lang=it", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(italian.text.firstMatch(of: /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/) != nil, "the audit entries' times in Italian")
                #expect(page.text.firstMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/) == nil, "no ISO 8601 on the page")
            }
        }
    }

    /// A paused sign-in says until when as the reader writes a time, in the platform's zone.
    @Test func aPausedSignInSaysItsTimeAsTheReaderWritesIt() async throws {
        try await withTestPlatform { platform in
            _ = try await platform.account(.owner, email: "paola@example.com")
            let csrf = "0123456789abcdef0123456789abcdef"
            try await platform.application.test(.router) { client in
                var last = ""
                for _ in 0..<7 {
                    last = try await client.execute(
                        uri: "/signin?lang=it", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "reclaim_csrf=\(csrf)"],
                        body: ByteBuffer(string: "csrf=\(csrf)&email=paola%40example.com&password=sbagliata1")
                    ).text
                }
                #expect(last.firstMatch(of: /Riprova dopo le \d{2}:\d{2}\./) != nil, "\(last)")
                #expect(last.firstMatch(of: /\d{1,2}:\d{2}\s?[AP]M/) == nil)
            }
        }
    }

    @Test func theDevicePageHasEveryTextItNamesInBothLanguages() {
        let surface = DeviceWeb.surface
        let problems = CatalogAudit.problems(
            surface.strings, templates: surface.templates.texts,
            sources: ["Sources/DeviceAgent/Web", "Sources/DeviceAgent/Core", "Sources/WebSupport"],
            dynamicPrefixes: ["error.", "done."])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func theLocalConsoleHasEveryTextItNamesInBothLanguages() {
        let problems = CatalogAudit.problems(
            ConsoleStrings.catalog, templates: [:], sources: ["Sources/DeviceAgent/Console"], dynamicPrefixes: ["error."])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func thePortalHasEveryTextItNamesInBothLanguages() {
        let surface = PortalWeb.surface(secureCookies: false)
        let problems = CatalogAudit.problems(
            surface.strings, templates: surface.templates.texts,
            sources: [
                "Sources/Platform/HTTP", "Sources/Platform/Errors", "Sources/Platform/Accounts", "Sources/Platform/Recovery",
                "Sources/Platform/Cases", "Sources/Platform/Owners", "Sources/Platform/Tickets",
                "Sources/WebSupport",
            ],
            dynamicPrefixes: [
                "error.", "done.", "role", "caseState.", "channel.", "reject.", "close.", "review.", "message.", "resetMode.",
                "resetModeHint.", "resetState.", "resetFailure.", "method.", "kind.", "accessState.", "history.", "mail.method.",
                "ticketState.", "ticketStateHint.", "ticketFile.", "ticketFileMissing.",
            ])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyMailHasItsTextsInBothLanguages() {
        let problems = CatalogAudit.problems(MailTemplates.strings, templates: [:], sources: [], dynamicPrefixes: ["mail."])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        for name in ["mail.verificationCode", "mail.confirmSignUp", "mail.alreadyRegistered"] {
            #expect(MailTemplates.strings.contains(name + ".subject") && MailTemplates.strings.contains(name + ".body"))
        }
    }

    @Test func theAuditFindsAMissingTextAndAMissingTranslation() {
        let strings = StringCatalog(["here": .init(en: "Here", it: ""), "used": .init(en: "Used", it: "Usato")])
        let problems = CatalogAudit.problems(strings, templates: ["page": "{{t.here}} {{t.used}} {{t.nowhere}}"], sources: [])
        #expect(problems.contains("here has no Italian text"))
        #expect(problems.contains("template page names nowhere, which has no text"))
        #expect(problems.count == 2)
    }

    @Test func aMissingItalianTextFallsBackToEnglishNotToNothing() {
        let strings = StringCatalog(["only": .init(en: "Only English", it: "")])
        #expect(strings.text("only", .italian) == "Only English")
        #expect(strings.text("absent", .italian) == "absent", "a slip shows on the page, not a blank")
    }
}

/// Every error code, through every surface that can show it: the status, and what a
/// person or program reads.
@Suite struct ErrorSurfaceTests {
    /// An error of each device code, as the device would raise it.
    static func deviceError(_ code: DeviceError.Code) -> DeviceError {
        switch code {
        case .locked:
            .locked(Lock(scope: .source, until: Date(timeIntervalSince1970: 1800)), now: Date(timeIntervalSince1970: 0))
        case .wrongCredential:
            DeviceError(.wrongCredential, "Wrong password. 3 attempts left before a lock-out.", attemptsLeft: 3)
        case .passwordRule:
            DeviceError(.passwordRule, "Use at least 8 characters.", violations: [.tooShort(minimum: 8)])
        default:
            DeviceError(code, "The device says why: \(code.rawValue).")
        }
    }

    @Test(arguments: DeviceError.Code.allCases)
    func aDeviceErrorAnswersTheSameOnISAPIThePageAndDiscovery(_ code: DeviceError.Code) async throws {
        let error = Self.deviceError(code)
        // ISAPI: thrown from a route, it renders itself as ResponseStatus.
        let router = Router()
        router.get("/ISAPI/Test/resource") { _, _ -> Response in throw error }
        let (status, body) = try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/ISAPI/Test/resource", method: .get) { ($0.status, $0.text) }
        }
        #expect(status == code.httpStatus)
        let xml = try XML.parse(Array(body.utf8))
        #expect(xml.value("subStatusCode") == error.isapiSubStatus)
        #expect(xml.value("errorMsg") == error.reason)
        #expect(xml.value("requestURL") == "/ISAPI/Test/resource")
        #expect(xml.int("statusCode") == code.isapiStatus.code)
        if code == .locked { #expect(xml.value("lockStatus") == "lock") }
        if code == .wrongCredential { #expect(xml.value("retryTimes") == "3") }

        // The web page: the same status, and a message in each language.
        let strings = DeviceWeb.surface.strings
        let english = error.message(.english, strings)
        let italian = error.message(.italian, strings)
        #expect(!english.isEmpty && !italian.isEmpty)
        #expect(!english.hasPrefix("error.") && !italian.hasPrefix("error."), "every code has a text")
        #expect(italian != english, "the Italian page says it in Italian")
        for (language, message) in [("en", english), ("it", italian)] {
            let request = Request(
                head: HTTPRequest(method: .post, scheme: "http", authority: "device", path: "/signin?lang=\(language)"),
                body: .init(buffer: ByteBuffer()))
            let page = Page(request: request, surface: DeviceWeb.surface, chrome: PageChrome(title: "DS-2CD2143G2-IS"))
            let response = page.failure(error)
            #expect(response.status == code.httpStatus)
            let body = try await bodyText(response)
            #expect(body.contains(htmlEscaped(message)), "\(code) in \(language)")
        }

        // Discovery: a refusal with the code; a lock is a denial.
        let device = try makeDevice()
        let request = SADPMessage(kind: .probe, uuid: "u", types: "activate", mac: device.identity.mac)
        let answer = SADPHandler.refusal(request, device, error)
        #expect(answer.result == (code == .locked ? .denied : .failed))
        #expect(answer["ErrorCode"] == code.rawValue)
        #expect(answer["ErrorMessage"] == error.reason)
    }

    /// Every error the platform's routes can meet: each platform code, each protocol code,
    /// and an error nobody planned for.
    static let platformErrors: [any Error & Sendable] =
        PlatformError.Code.allCases.map { PlatformError($0, "The platform says why: \($0).") }
        + ReclaimError.Code.allCases.map { ReclaimError($0, "The protocol says why: \($0).") } + [CancellationError()]

    @Test func everyPlatformErrorAnswersWithProblemDetailsOnTheAPIAndAPageInTheReadersLanguage() async throws {
        try await withTestPlatform { platform in
            let router = Router(context: PortalContext.self)
            var guarded = GuardedRouter(router: router, services: platform.services)
            for (index, error) in Self.platformErrors.enumerated() {
                guarded.add(.get, "/api/v1/test/\(index)", .anyone) { _, _ in throw error }
                guarded.add(.get, "/test/\(index)", .anyone) { _, _ in throw error }
            }
            let strings = platform.services.portalSurface.strings
            try await Application(router: router).test(.router) { client in
                for (index, error) in Self.platformErrors.enumerated() {
                    let failure = PlatformFailure(error)
                    try await client.execute(uri: "/api/v1/test/\(index)", method: .get) { response in
                        #expect(response.status == failure.httpStatus)
                        #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                        let problem = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
                        #expect(problem?["status"] as? Int == Int(failure.httpStatus.code))
                        #expect(problem?["code"] as? String == failure.codeName)
                        #expect(problem?["detail"] as? String == failure.reason)
                        #expect((problem?["type"] as? String)?.hasPrefix("urn:reclaim:error:") == true)
                    }
                    for language in Language.allCases {
                        try await client.execute(uri: "/test/\(index)?lang=\(language.rawValue)", method: .get) { response in
                            #expect(response.status == failure.httpStatus)
                            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                            let shown = failure.message(language, strings)
                            #expect(!shown.hasPrefix("error."), "\(failure.codeName) has a text")
                            #expect(response.text.contains(htmlEscaped(shown)), "\(failure.codeName) in \(language)")
                        }
                    }
                }
            }
            #expect(PlatformError.Code.allCases.map(\.httpStatus).allSatisfy { $0.code >= 400 })
        }
    }

    @Test func aThrottledAnswerSaysWhenToTryAgain() async throws {
        try await withTestPlatform { platform in
            let router = Router(context: PortalContext.self)
            var guarded = GuardedRouter(router: router, services: platform.services)
            guarded.add(.get, "/api/v1/test", .anyone) { _, _ in
                throw PlatformError(.throttled, "Wait.", retryAfter: Date().addingTimeInterval(90))
            }
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/api/v1/test", method: .get) { response in
                    #expect(response.status == .tooManyRequests)
                    #expect((Int(response.headers[.retryAfter] ?? "") ?? 0) > 80)
                }
            }
        }
    }

    func bodyText(_ response: Response) async throws -> String {
        final class Collector: ResponseBodyWriter {
            var buffer = ByteBuffer()
            func write(_ buffer: ByteBuffer) async throws { self.buffer.writeImmutableBuffer(buffer) }
            func finish(_ trailingHeaders: HTTPFields?) async throws {}
        }
        let collector = Collector()
        try await response.body.write(collector)
        return String(buffer: collector.buffer)
    }

    func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;"
        )
        .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}

/// The architecture document stays true: every file and folder it names exists.
@Suite struct ArchitectureDocumentTests {
    @Test func everyFileTheArchitectureNamesExists() throws {
        let root = CatalogAudit.root()
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let files = Set(
            (FileManager.default.enumerator(atPath: root.appendingPathComponent("Sources").path)?.compactMap { $0 as? String } ?? [])
                .map { "Sources/" + $0 })
        let pattern = try NSRegularExpression(pattern: #"([A-Za-z+/-]+\.swift)"#)
        var missing: [String] = []
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let name = String(text[Range(match.range(at: 1), in: text)!])
            if !files.contains(where: { $0 == name || $0.hasSuffix("/" + name) }) { missing.append(name) }
        }
        #expect(missing.isEmpty, "docs/architecture.md names files that do not exist: \(missing)")
        #expect(text.contains("Rules/") && files.contains("Sources/DeviceAgent/Rules/DeviceMachine.swift"))
    }
}
