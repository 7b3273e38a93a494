import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReclaimCore
import ReclaimTestSupport
import Testing
import WebSupport

@testable import DeviceAgent
@testable import Platform

/// The Italian of every surface, read as an Italian installer reads it: the words of the
/// vendors' guides (`docs/italian.md`), the informal "tu", greetings that assume no gender, and no English.
@Suite struct ItalianTests {
    /// One Italian text and the English it says, with where it is shown.
    struct Text: CustomStringConvertible {
        let place: String
        let italian: String
        let english: String
        var description: String { "\(place): “\(italian)”" }
    }

    static let catalogs: [(name: String, strings: StringCatalog)] = [
        ("device page", DeviceWeb.surface.strings), ("portal", PortalStrings.catalog), ("mail", MailTemplates.strings),
        ("every page", SharedStrings.catalog), ("local console", ConsoleStrings.catalog),
    ]

    /// Every Italian text Reclaim shows: each catalogue's (both forms of a counted one), the
    /// password rules and the security questions.
    static let texts: [Text] = {
        var texts: [Text] = []
        for (name, strings) in catalogs {
            for (key, entry) in strings.entries.sorted(by: { $0.key < $1.key }) {
                texts.append(Text(place: "\(name) \(key)", italian: entry.italian, english: entry.english))
                if let one = entry.italianOne {
                    texts.append(Text(place: "\(name) \(key) (1)", italian: one, english: entry.englishOne ?? ""))
                }
            }
        }
        let violations: [PasswordPolicy.Violation] = [
            .tooShort(minimum: 8), .tooLong(maximum: 128), .tooFewCharacterKinds(required: 2), .containsUserName, .commonPassword,
            .unsupportedCharacter,
        ]
        for violation in violations {
            texts.append(
                Text(
                    place: "password rule \(violation)", italian: violation.message(language: .italian),
                    english: violation.message(language: .english)))
        }
        for policy in [PasswordPolicy(.compatible), PasswordPolicy(.passphrase)] {
            texts.append(
                Text(place: "password policy", italian: policy.summary(language: .italian), english: policy.summary(language: .english)))
        }
        for question in SecurityQuestions.catalogue {
            texts.append(Text(place: "security question \(question.id)", italian: question.italian, english: question.english))
        }
        return texts
    }()

    /// Words an Italian installer does not use for these things, and the words installers know for them.
    static let notTheGlossarys: [(said: String, write: String)] = [
        ("qr code", "codice QR"),
        ("e-mail", "email"),
        ("chiave di reset", "codice di reset"),
        ("chiavi di reset", "codici di reset"),
        ("recuper", "ripristino / ripristina (Ripristino password)"),
        ("invia il codice di verifica", "Richiedi il codice di verifica"),
        ("revisore", "Operatore del supporto tecnico"),
        ("aziende di installazione", "Aziende installatrici"),
        ("azienda di installazione", "Azienda installatrice"),
    ]

    /// Forms that address the reader formally or assume their gender.
    static let notTuOrGendered: [(said: String, write: String)] = [
        ("benvenut", "Ciao, … / Ti diamo il benvenuto"),
        ("sei stato", "a form that names no gender (\"se non hai fatto tu questa richiesta\")"),
        ("sei stata", "a form that names no gender"),
        ("sei sicuro", "a form that names no gender (\"Vuoi davvero…?\")"),
        ("registrato tu", "a form that names no gender"),
        ("gentile", "Ciao"),
        ("la preghiamo", "the informal tu"),
        (" lei ", "the informal tu"),
        ("riprovi", "Riprova"),
        ("inserisca", "Inserisci"),
        ("scelga", "Scegli"),
        ("attenda", "Attendi"),
        ("verifichi", "Verifica"),
        ("o/a ", "a form that names no gender"),
        ("o/a?", "a form that names no gender"),
    ]

    @Test func everyItalianTextUsesTheWordsOfTheSeeds() {
        for text in Self.texts {
            let lowered = text.italian.lowercased()
            for (said, write) in Self.notTheGlossarys where lowered.contains(said) {
                Issue.record("\(text) says “\(said)”: write “\(write)” (docs/italian.md)")
            }
        }
    }

    @Test func everyItalianTextSaysTuAndAssumesNoGender() {
        for text in Self.texts {
            let lowered = " " + text.italian.lowercased()
            for (said, write) in Self.notTuOrGendered where lowered.contains(said) {
                Issue.record("\(text) says “\(said.trimmingCharacters(in: .whitespaces))”: write \(write)")
            }
        }
    }

    /// Texts that are the same in both languages because they are names, codes or words
    /// Italian takes from English as they are.
    static let sameInBothLanguages: Set<String> = [
        "Reclaim", "Dashboard", "Home", "Email", "Password", "Firmware", "GUID", "MAC", "IPv4", "Online", "Offline", "OK", "Audit",
        "Hik-Connect", "Token", "Model", "h", "min", "No", "ticket", "{model}", "{serial}", "{name}", "{email}", "{code}",
    ]

    /// No English on an Italian page: a text whose Italian equals its English is a text left
    /// untranslated, unless it is a name or a code.
    @Test func noItalianTextIsLeftInEnglish() {
        for text in Self.texts where text.italian == text.english {
            let words = text.italian.split(whereSeparator: { !$0.isLetter && $0 != "{" && $0 != "}" && $0 != "-" }).map(String.init)
            let onlyNames = words.allSatisfy { Self.sameInBothLanguages.contains($0) || $0.uppercased() == $0 || $0.hasPrefix("{") }
            #expect(onlyNames, "\(text) is the English text")
        }
    }

    /// No English sentence inside an Italian text either (a text half translated).
    @Test func noItalianTextHasEnglishInIt() {
        for text in Self.texts {
            let english = ItalianReading.englishWords(in: text.italian)
            #expect(english.isEmpty, "\(text) says \(english)")
        }
    }

    /// Every error code of every surface, on an Italian page: never the English message.
    @Test func everyErrorCodeHasItsOwnItalianMessage() {
        let deviceStrings = DeviceWeb.surface.strings
        for code in DeviceError.Code.allCases {
            let error = ErrorSurfaceTests.deviceError(code)
            let italian = error.message(.italian, deviceStrings)
            #expect(italian != error.message(.english, deviceStrings), "device \(code)")
            #expect(!italian.contains(error.reason), "device \(code) shows its English reason")
        }
        let portalStrings = PortalStrings.catalog
        for error in ErrorSurfaceTests.platformErrors {
            let failure = PlatformFailure(error)
            let italian = failure.message(.italian, portalStrings)
            #expect(italian != failure.message(.english, portalStrings), "platform \(failure.codeName)")
            #expect(!italian.contains(failure.reason), "platform \(failure.codeName) shows its English reason")
        }
    }

    /// A refusal with a detail (which field, which limit) says that detail in Italian; one
    /// without says the code's text, never the English reason after an Italian start.
    @Test func aRefusalOfTheDevicesFormsSaysItsDetailInItalian() {
        let strings = DeviceWeb.surface.strings
        let detailed = DeviceError(
            .badRequest, "nobody is not an e-mail address; write it as name@example.org.",
            localized: LocalizedReason("error.notAnEmail", ["address": "nobody"]))
        #expect(detailed.message(.italian, strings).hasPrefix("nobody non è un indirizzo email"))
        #expect(detailed.message(.english, strings).hasPrefix("nobody is not an e-mail address"))
        let plain = DeviceError(.badRequest, "The request has no <userName>.")
        #expect(!plain.message(.italian, strings).contains("<userName>"))
        #expect(plain.message(.english, strings).contains("The request has no <userName>."))
    }

    /// Every page of the portal, the desk and the owner app, asked for in Italian by each
    /// role that may see it, about objects that exist (a case, a site, a reset request, an
    /// invitation, a ticket): each says `lang="it"`, no English sentence and no date as English
    /// or ISO 8601 write it; the pages with dates write them as `20/06/2025 13:49`. Error
    /// pages too.
    @Test func everyPageAskedForInItalianReadsItalian() async throws {
        try await withTestPlatform { platform in
            let world = try await PlatformWorld.make(platform)
            let (_, specs) = buildPlatformRouter(services: platform.services)
            // The event stream stays open; it is no page.
            let pages = specs.filter { $0.method == .get && !$0.path.hasPrefix("/api/") && $0.path != "/events" }
            let callers = [world.ours, world.owner, world.reviewer, world.admin, world.distributor]
            var signedIn: [String: String] = [:]
            for account in callers { signedIn[account.id] = try await platform.token(for: account) }
            let tokens = signedIn
            let read = try await platform.application.test(.router) { client in
                var read: [String] = []
                var dated: Set<String> = []
                for spec in pages {
                    let readers: [Account?] = spec.access == .anyone ? [nil] : callers.filter { spec.access.allows($0) }
                    for reader in readers {
                        var headers = HTTPFields()
                        if let reader, let token = tokens[reader.id] { headers[.authorization] = "Bearer \(token)" }
                        let response = try await client.execute(uri: world.path(of: spec) + "?lang=it", method: .get, headers: headers)
                        guard response.headers[.contentType]?.hasPrefix("text/html") == true,
                            response.status.code < 300 || response.status.code >= 400
                        else { continue }
                        let who = reader?.role.rawValue ?? "anyone"
                        read.append("\(spec.path) (\(who), \(response.status.code))")
                        if ItalianReading.hasItalianDate(response.text) { dated.insert(spec.path) }
                        if spec.path == "/dashboard", reader?.role == .admin {
                            // The audit log's actions are codes, to search for; the columns say so.
                            #expect(response.text.contains("<th>Azione (codice)</th>"))
                            #expect(response.text.contains("<td><code>account.created</code></td>"))
                        }
                        let english = ItalianReading.englishOn(italianPage: response.text)
                        #expect(
                            english.isEmpty,
                            "\(spec.path) as \(who) says \(english) in Italian:\n\(ItalianReading.visibleText(response.text))")
                    }
                }
                // The pages that show when something happened show it as an Italian writes it.
                for page in ["/dashboard", "/cases", "/cases/{id}", "/sites/requests/{id}", "/company", "/app/tickets/{id}"] {
                    #expect(dated.contains(page), "\(page) shows no date as 20/06/2025 13:49")
                }
                return read
            }
            #expect(read.count >= 30, "the pages read: \(read)")
        }
    }

    /// The device's reasons come over its link in English; a reset request that ended
    /// without a change says why in the reader's language.
    @Test func aRefusedResetSaysWhyInTheReadersLanguage() throws {
        let strings = PortalStrings.catalog
        for code in ["passwordRule", "offline", "not-approved", "not-sent", "locked", "notActivated", "wrongCredential", "somethingNew"] {
            let reason = "The device says why (\(code))."
            let italian = ResetRequest.failureText(code: code, reason: reason, .italian, strings)
            #expect(italian != nil && italian != reason && !(italian ?? "").contains("device"), "\(code)")
            #expect(ResetRequest.failureText(code: code, reason: reason, .english, strings) == reason)
        }
        #expect(ResetRequest.failureText(code: "not-approved", reason: nil, .english, strings) == "The owner did not answer in time.")
        #expect(ResetRequest.failureText(code: nil, reason: nil, .italian, strings) == nil)
    }
}
