import Foundation
import ReclaimCore
import ReclaimQR
import ReclaimTestSupport
import Testing
import WebSupport

@testable import DeviceAgent

/// The local menu's rules, driven key by key with made-up device answers: what the
/// monitor shows, and what goes to the device.
@Suite struct ConsoleMenuTests {
    static let serial = "DS-7608NXI-K20120250101CCWRAB1234567"

    static func status(
        ready: [RecoveryModes.Mode] = [.guidFile, .securityQuestions, .reservedEmail], questions: [Int] = [1, 3, 5],
        activated: Bool = true
    ) -> ConsoleStatus {
        ConsoleStatus(
            serial: serial, model: "DS-7608NXI-K2", firmware: "V4.61.005 build 230512", mac: "bc:ad:28:00:00:01", activated: activated,
            supported: [.guidFile, .securityQuestions, .reservedEmail], ready: ready, questionIDs: questions,
            maskedEmail: "o***@example.org")
    }

    /// A menu that asked for the status and got `status`: the sign-in screen.
    static func signedOutMenu(_ language: Language = .english, status: ConsoleStatus = status()) -> ConsoleMenu {
        var menu = ConsoleMenu(
            serial: serial, language: language, dataFolder: "/data/nvr", socketPath: "/data/nvr/control.sock", usbFolder: "/media/usb",
            timeZone: TimeZone(identifier: "Europe/Rome")!)
        #expect(menu.start() == [.ask(.status)])
        #expect(menu.handle(.device(.status(status))) == [])
        return menu
    }

    /// Feeds keys one by one and returns every action they asked for.
    @discardableResult
    static func press(_ keys: [ConsoleKey], _ menu: inout ConsoleMenu) -> [ConsoleMenu.Action] {
        keys.flatMap { menu.handle(.key($0)) }
    }

    static func type(_ text: String) -> [ConsoleKey] { text.map { .character($0) } }

    /// Down until `label` is the focused line (`▸`), at most 10 presses.
    static func focus(_ label: String, _ menu: inout ConsoleMenu) {
        for _ in 0..<10 where !menu.screen.text.contains("▸ [ \(label) ]") && !menu.screen.text.contains("▸ \(label)") {
            press([.down], &menu)
        }
        #expect(menu.screen.text.contains("▸ [ \(label) ]") || menu.screen.text.contains("▸ \(label)"), "no \(label) to focus")
    }

    /// Sign-in → Forgot password → the device's modes, as fresh as it says.
    static func modesMenu(_ language: Language = .english, status: ConsoleStatus = status()) -> ConsoleMenu {
        var menu = signedOutMenu(language, status: status)
        focus(language == .italian ? "Password dimenticata" : "Forgot password", &menu)
        #expect(press([.enter], &menu) == [.ask(.status)], "the modes are asked afresh")
        #expect(menu.handle(.device(.status(status))) == [])
        return menu
    }

    static func refusal(_ error: DeviceError) -> ConsoleMenu.Event { .device(.refused(ConsoleRefusal(error))) }

    // MARK: Sign-in

    @Test func theSignInScreenHidesThePasswordAsItIsTyped() {
        var menu = Self.signedOutMenu()
        let before = menu.screen.text
        #expect(before.contains("Local menu · DS-7608NXI-K2 · \(Self.serial)"))
        #expect(before.contains("User name: admin"))
        #expect(before.contains("▸ Password: _"), "the focus starts on the password")
        Self.press(Self.type("Se9reto!"), &menu)
        #expect(menu.screen.text.contains("▸ Password: ********_"))
        #expect(!menu.screen.text.contains("Se9reto!"))
    }

    @Test func aWrongPasswordIsShownWithTheAttemptsLeftInItalian() {
        var menu = Self.signedOutMenu(.italian)
        #expect(Self.press(Self.type("Sbagliata1") + [.enter], &menu) == [.ask(.signIn(password: "Sbagliata1"))])
        #expect(menu.screen.text.contains("Verifica in corso sul dispositivo…"))
        Self.press([.character("x")], &menu)  // keys while the device checks change nothing
        _ = menu.handle(Self.refusal(DeviceError(.wrongCredential, "Wrong password. 4 attempts left before a lock-out.", attemptsLeft: 4)))
        let screen = menu.screen.text
        #expect(screen.contains("I dati inseriti non corrispondono. Ti restano 4 tentativi prima del blocco."))
        #expect(screen.contains("▸ Password: _"), "back at an empty password: \(screen)")
    }

    @Test func theRightPasswordShowsTheDeviceAndSignOutReturns() {
        var menu = Self.signedOutMenu()
        Self.press(Self.type(goodPassword) + [.enter], &menu)
        _ = menu.handle(.device(.done))
        let screen = menu.screen.text
        #expect(screen.contains("Signed in as admin"))
        #expect(screen.contains("Firmware: V4.61.005 build 230512"))
        #expect(screen.contains("Security questions: set up"))
        Self.press([.escape], &menu)
        #expect(menu.stage == .signIn)
    }

    @Test func anEmptyPasswordNeverReachesTheDevice() {
        var menu = Self.signedOutMenu()
        #expect(Self.press([.enter], &menu) == [])
        #expect(menu.screen.text.contains("Type the admin password."))
    }

    @Test func escapeOnTheSignInScreenQuits() {
        var menu = Self.signedOutMenu()
        #expect(Self.press([.escape], &menu) == [.quit])
        var again = Self.signedOutMenu()
        Self.focus("Exit", &again)
        #expect(Self.press([.enter], &again) == [.quit])
    }

    @Test func aDeviceThatIsNotRunningSaysHowToStartIt() {
        var menu = ConsoleMenu(
            serial: Self.serial, language: .english, dataFolder: "/data/nvr", socketPath: "/data/nvr/control.sock", usbFolder: nil)
        _ = menu.handle(.unreachable)
        #expect(
            menu.screen.text.contains("Nothing answers on /data/nvr/control.sock. Start the device (reclaim-device run --data /data/nvr)"))
        #expect(Self.press([.enter], &menu) == [.ask(.status)], "Try again asks again")
        _ = menu.handle(.notHere)
        #expect(menu.screen.text.contains("No device with serial number \(Self.serial) runs from /data/nvr."))
    }

    @Test func aDeviceNotActivatedOffersNoSignIn() {
        let menu = Self.signedOutMenu(status: Self.status(activated: false))
        #expect(menu.screen.text.contains("This device has no password yet."))
        #expect(!menu.screen.text.contains("Forgot password"))
    }

    // MARK: Forgot password

    @Test func forgotPasswordNamesTheModesAsTheSeedsDoAndOffersOnlyReadyOnes() {
        var menu = Self.modesMenu(.italian, status: Self.status(ready: [.securityQuestions, .reservedEmail]))
        let screen = menu.screen.text
        #expect(screen.contains("Password dimenticata"))
        #expect(screen.contains("[ Verifica file GUID ]"))
        #expect(screen.contains("Metodo non impostato su questo dispositivo."))
        #expect(screen.contains("▸ [ Verifica domande di sicurezza ]"), "the focus skips the mode not set up")
        #expect(screen.contains("[ Verifica tramite email riservata ]"))
        #expect(screen.contains("invia un codice di verifica a o***@example.org"))
        Self.press([.down, .down, .down], &menu)
        #expect(menu.screen.text.contains("▸ [ Verifica domande di sicurezza ]"), "round past Back, never onto the GUID mode")
    }

    @Test func aGUIDFileFromTheUSBStickGoesToTheDeviceWithTheNewPassword() {
        var menu = Self.modesMenu()
        #expect(Self.press([.enter], &menu) == [.listUSBFiles])
        _ = menu.handle(.usbListed(["GUID_A.guid.xml", "GUID_B.guid.xml"]))
        #expect(menu.screen.text.contains("Choose the GUID file on the USB stick (/media/usb):"))
        #expect(Self.press([.down, .enter], &menu) == [.readUSBFile("GUID_B.guid.xml")])
        _ = menu.handle(.usbFileRead(name: "GUID_B.guid.xml", bytes: Array("<GUID/>".utf8)))
        let screen = menu.screen.text
        #expect(screen.contains("GUID file: GUID_B.guid.xml"))
        #expect(screen.contains("Rules: 8 to 16 characters"))
        let actions = Self.press(Self.type(otherPassword) + [.enter] + Self.type(otherPassword) + [.enter], &menu)
        #expect(actions == [.ask(.recoverWithGUIDFile(file: Data("<GUID/>".utf8), newPassword: otherPassword))])
        _ = menu.handle(.device(.done))
        #expect(menu.screen.text.contains("Password changed"))
        #expect(menu.screen.text.contains("export a new GUID file"))
        #expect(Self.press([.enter], &menu) == [.ask(.status)], "Sign in asks the device afresh")
    }

    @Test func aStickWithNoGUIDFileSaysSo() {
        var menu = Self.modesMenu()
        Self.press([.enter], &menu)
        _ = menu.handle(.usbListed([]))
        #expect(menu.screen.text.contains("There is no .xml file on the USB stick (/media/usb)."))
        _ = menu.handle(.usbListed(nil))
        Self.press([.escape], &menu)
        #expect(menu.stage == .modes)
    }

    @Test func aRefusedGUIDFileReturnsToTheFileListWithTheReason() {
        var menu = Self.modesMenu(.italian)
        Self.press([.enter], &menu)
        _ = menu.handle(.usbListed(["GUID_X.xml"]))
        Self.press([.enter], &menu)
        _ = menu.handle(.usbFileRead(name: "GUID_X.xml", bytes: [1, 2, 3]))
        Self.press(Self.type(otherPassword) + [.enter] + Self.type(otherPassword) + [.enter], &menu)
        let lock = Lock(scope: .guidMode, until: Date(timeIntervalSince1970: 1800))
        _ = menu.handle(Self.refusal(.locked(lock, now: Date(timeIntervalSince1970: 0))))
        let screen = menu.screen.text
        #expect(screen.contains("▸ GUID_X.xml"))
        #expect(screen.contains("la verifica file GUID è bloccata per 30 minuti"), "\(screen)")
    }

    @Test func twoDifferentPasswordsNeverReachTheDevice() {
        var menu = Self.modesMenu()
        Self.press([.enter], &menu)
        _ = menu.handle(.usbListed(["GUID_A.xml"]))
        Self.press([.enter], &menu)
        _ = menu.handle(.usbFileRead(name: "GUID_A.xml", bytes: [1]))
        let actions = Self.press(Self.type(otherPassword) + [.enter] + Self.type(goodPassword) + [.enter], &menu)
        #expect(actions == [])
        #expect(menu.screen.text.contains("The two passwords differ."))
        #expect(menu.screen.text.contains("▸ New password: _"), "both cleared, the focus back on the first")
    }

    @Test func theQuestionsAreTheDevicesAndAWrongAnswerClearsThemWithTheAttemptsLeft() {
        var menu = Self.modesMenu(.italian)
        Self.focus("Verifica domande di sicurezza", &menu)
        Self.press([.enter], &menu)
        var screen = menu.screen.text
        #expect(screen.contains("1. Qual è il cognome da nubile di tua madre?"))
        #expect(screen.contains("2. Qual è la tua città natale?"))
        #expect(screen.contains("3. Di che marca era la tua prima auto?"))
        Self.press(Self.type("Rossi") + [.enter] + Self.type("Città") + [.enter], &menu)
        #expect(Self.press([.enter], &menu) == [], "an unanswered question stays here")
        #expect(menu.screen.text.contains("Rispondi a tutte e tre le domande."))
        Self.press([.down, .down] + Self.type("Fiat") + [.enter], &menu)
        #expect(menu.stage != .questions, "\(menu.screen.text)")
        let actions = Self.press(Self.type(otherPassword) + [.enter] + Self.type(otherPassword) + [.enter], &menu)
        let answers = [
            ConsoleRequest.Answer(questionID: 1, answer: "Rossi"), .init(questionID: 3, answer: "Città"),
            .init(questionID: 5, answer: "Fiat"),
        ]
        #expect(actions == [.ask(.recoverWithAnswers(answers: answers, newPassword: otherPassword))])
        _ = menu.handle(Self.refusal(DeviceError(.wrongCredential, "One or more answers are wrong. 3 attempts left.", attemptsLeft: 3)))
        screen = menu.screen.text
        #expect(screen.contains("I dati inseriti non corrispondono. Ti restano 3 tentativi prima del blocco."))
        #expect(!screen.contains("Rossi") && !screen.contains("Fiat"), "the answers are typed again")
    }

    @Test func aBrokenPasswordRuleKeepsTheProofAndAsksForAnotherPassword() {
        var menu = Self.modesMenu()
        Self.press([.enter], &menu)
        _ = menu.handle(.usbListed(["GUID_A.xml"]))
        Self.press([.enter], &menu)
        _ = menu.handle(.usbFileRead(name: "GUID_A.xml", bytes: [7]))
        Self.press(Self.type("admin") + [.enter] + Self.type("admin") + [.enter], &menu)
        let rules = DeviceError(.passwordRule, "Too short.", violations: [.tooShort(minimum: 8), .containsUserName])
        _ = menu.handle(Self.refusal(rules))
        let screen = menu.screen.text
        #expect(screen.contains("The password must be at least 8 characters long. The password must not contain the user name."))
        #expect(screen.contains("GUID file: GUID_A.xml"), "still on the new password for the same file")
        let actions = Self.press(Self.type(otherPassword) + [.enter] + Self.type(otherPassword) + [.enter], &menu)
        #expect(actions == [.ask(.recoverWithGUIDFile(file: Data([7]), newPassword: otherPassword))])
    }

    @Test func theReservedEmailShowsItsQRCodeWithTheTextUnderItThenTakesTheCode() throws {
        var menu = Self.modesMenu()
        Self.focus("Reserved e-mail", &menu)
        #expect(Self.press([.enter], &menu) == [.ask(.reservedEmailChallenge)])
        let text = "RC1:" + String(repeating: "AB7Q", count: 110)
        _ = menu.handle(.device(.challenge(text: text, expiresAt: Date(timeIntervalSince1970: 1_750_420_140))))
        let screen = menu.screen
        let rows = screen.lines.filter { $0.style == .qr }.map(\.text)
        let symbol = try #require(QRCode(text, correction: .low))
        #expect(rows == symbol.halfBlockRows(), "the challenge's own symbol")
        let textIndex = try #require(screen.lines.firstIndex { $0.text == "QR code text (expires on 20 Jun 2025 13:49):" })
        #expect(textIndex == screen.lines.lastIndex { $0.style == .qr }! + 1, "right under the QR code")
        #expect(screen.lines[textIndex + 1].text == text, "its text under it, whole")
        #expect(screen.wrapped(width: 80).count <= 49, "it fits a terminal of 80 × 50, with room for a refusal")
        #expect(screen.text.contains("goes to o***@example.org only"))
        #expect(screen.text.contains("▸ Verification code: _"))
        let actions = Self.press(
            Self.type("ABCD-EFGH") + [.enter] + Self.type(otherPassword) + [.enter] + Self.type(otherPassword) + [.enter], &menu)
        #expect(actions == [.ask(.recoverWithCode(code: "ABCD-EFGH", newPassword: otherPassword))])
    }

    @Test func aVoidChallengeOffersANewQRCode() {
        var menu = Self.modesMenu()
        Self.focus("Reserved e-mail", &menu)
        Self.press([.enter], &menu)
        _ = menu.handle(.device(.challenge(text: "RC1:ABC", expiresAt: Date())))
        Self.press(Self.type("WRONG-CODE") + [.enter] + Self.type(otherPassword) + [.enter] + Self.type(otherPassword) + [.enter], &menu)
        _ = menu.handle(Self.refusal(DeviceError(.unknownChallenge, "No challenge is waiting for a verification code.")))
        let screen = menu.screen.text
        #expect(!screen.contains("RC1:ABC"))
        #expect(screen.contains("▸ [ Generate QR code ]"))
        #expect(screen.contains("Generate a new QR code."))
        #expect(Self.press([.enter], &menu) == [.ask(.reservedEmailChallenge)])
    }

    @Test func escapeStepsBackOneScreenAtATime() {
        var menu = Self.modesMenu()
        Self.press([.enter], &menu)
        _ = menu.handle(.usbListed(["GUID_A.xml"]))
        Self.press([.enter], &menu)
        _ = menu.handle(.usbFileRead(name: "GUID_A.xml", bytes: [1]))
        Self.press(Self.type("half") + [.escape], &menu)
        #expect(menu.stage == .guidFiles)
        Self.press([.escape], &menu)
        #expect(menu.stage == .modes)
        Self.press([.escape], &menu)
        #expect(menu.stage == .signIn)
    }

    // MARK: Keys, drawing, texts

    @Test func keysAreReadFromTheTerminalsBytes() {
        let decode = { (bytes: [UInt8], final: Bool) in ConsoleKeys.decode(bytes, final: final) }
        #expect(decode([0x1B, 0x5B, 0x41, 0x1B, 0x4F, 0x42], false).keys == [.up, .down], "CSI and application mode")
        #expect(decode([0x0D, 0x0A, 0x7F, 0x09], false).keys == [.enter, .backspace, .tab])
        #expect(decode(Array("è!".utf8), false).keys == [.character("è"), .character("!")])
        let partial = decode([0x61, 0x1B], false)
        #expect(partial.keys == [.character("a")] && partial.rest == [0x1B], "a lone ESC may be an arrow still arriving")
        #expect(decode([0x1B], true).keys == [.escape], "nothing followed: it is Escape")
        #expect(decode([0x1B, 0x1B, 0x5B, 0x43], false).keys == [.escape, .right])
        #expect(decode(Array("é".utf8).dropLast().map { $0 }, false).rest.count == 1, "half a letter waits for the rest")
    }

    @Test func aQRCodeInHalfBlocksHasEveryModuleOfTheSymbol() throws {
        let symbol = try #require(QRCode("RC1:HELLO", correction: .low))
        let rows = symbol.halfBlockRows(quietZone: 2)
        #expect(rows.count == (symbol.size + 4 + 1) / 2)
        for row in 0..<symbol.size {
            for column in 0..<symbol.size {
                let character = Array(rows[(row + 2) / 2])[column + 2]
                let upper = (row + 2) % 2 == 0
                let dark = character == "█" || character == (upper ? "▀" : "▄")
                #expect(dark == symbol.modules[row * symbol.size + column], "module \(row), \(column)")
            }
        }
        #expect(rows.first?.allSatisfy { $0 == " " } == true, "a light quiet zone on top")
    }

    @Test func theScreenWrapsTextAtWordsAndCodesAnywhereAndDrawsQRCodesBlackOnWhite() {
        var screen = ConsoleScreen()
        screen.add("one two three four five six", .text)
        screen.add(String(repeating: "X", count: 45), .code)
        screen.add("▀▄█", .qr)
        let lines = screen.wrapped(width: 21).map(\.text)
        #expect(
            lines == [
                "one two three four", "five six", String(repeating: "X", count: 20), String(repeating: "X", count: 20), "XXXXX", "▀▄█",
            ])
        #expect(screen.ansi(width: 80).contains("\u{1B}[30;47m▀▄█\u{1B}[0m"))
    }

    @Test func everyConsoleTextIsUsedAndHasItsItalian() {
        let problems = CatalogAudit.problems(
            ConsoleStrings.catalog, templates: [:], sources: ["Sources/DeviceAgent/Console"], dynamicPrefixes: ["error."])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        for code in DeviceError.Code.allCases {
            let error = DeviceError(code, "The English reason.", attemptsLeft: 2, lockSecondsLeft: 60)
            #expect(error.message(.italian, ConsoleStrings.catalog) == error.message(.italian, DeviceWeb.surface.strings), "\(code)")
        }
    }
}

/// The console's requests on the control socket reach the device's own rules: the same
/// lock-out book, attempts left and password policy as the web page and ISAPI.
@Suite struct ConsoleSocketTests {
    static func ask(_ request: ConsoleRequest, _ fleet: Fleet, serial: String? = nil) async throws -> ConsoleAnswer {
        let line = await ControlSocket.answer(
            ConsoleWire.requestLine(serial: serial ?? fleet.members[0].device.identity.serial.text, request), fleet: fleet,
            logger: testLogger)
        return try #require(ConsoleWire.answer(from: line), "\(line)")
    }

    static func refusal(_ answer: ConsoleAnswer) -> DeviceError? {
        if case .refused(let refusal) = answer { refusal.error } else { nil }
    }

    static func setUp() async throws -> (Device, Fleet) {
        let device = try await makeActivatedDevice()
        let choices = [(1, "Rossi"), (3, "Milano"), (5, "Fiat")].map { SecurityQuestions.Choice(questionID: $0.0, answer: $0.1) }
        try await device.setSecurityQuestions(choices, password: goodPassword, source: "192.0.2.1")
        try await device.setReservedEmail("owner@example.org", password: goodPassword, source: "192.0.2.1")
        return (device, Fleet(members: [.init(device: device, host: "127.0.0.1", port: 0)], dataDirectory: temporaryDirectory()))
    }

    @Test func theStatusNamesTheQuestionsAndTheModesReadyNow() async throws {
        let (device, fleet) = try await Self.setUp()
        guard case .status(let status) = try await Self.ask(.status, fleet) else {
            Issue.record("no status")
            return
        }
        #expect(status.activated && status.serial == device.identity.serial.text)
        #expect(status.questionIDs == [1, 3, 5])
        #expect(status.ready.contains(.securityQuestions) && status.ready.contains(.reservedEmail) && !status.ready.contains(.guidFile))
        #expect(status.maskedEmail == "o***@example.org")
    }

    @Test func wrongAnswersFromTheConsoleCountAndLockItAsOnThePage() async throws {
        let (device, fleet) = try await Self.setUp()
        let wrong = [
            ConsoleRequest.Answer(questionID: 1, answer: "Rossi"), .init(questionID: 3, answer: "Roma"),
            .init(questionID: 5, answer: "Fiat"),
        ]
        for left in [4, 3, 2, 1] {
            let error = Self.refusal(try await Self.ask(.recoverWithAnswers(answers: wrong, newPassword: otherPassword), fleet))
            #expect(error?.code == .wrongCredential && error?.attemptsLeft == left)
            #expect(
                error?.message(.english, ConsoleStrings.catalog)
                    == "One or more answers are wrong. \(Language.english.counted(left, one: "1 attempt left", other: "{n} attempts left")) before a lock-out."
            )
        }
        _ = try await Self.ask(.recoverWithAnswers(answers: wrong, newPassword: otherPassword), fleet)
        // Locked: the right answers are refused too, with the time left, as on the page.
        var right = wrong
        right[1].answer = "Milano"
        let locked = Self.refusal(try await Self.ask(.recoverWithAnswers(answers: right, newPassword: otherPassword), fleet))
        #expect(locked?.code == .locked && locked?.lockSecondsLeft == 1800)
        #expect(locked?.message(.italian, ConsoleStrings.catalog) == "Troppi tentativi falliti: riprova tra 30 minuti.")
        #expect(await device.lock(for: ControlSocket.consoleSource) != nil)
        // The network is another caller: the page still works from there.
        try await device.verifyPassword(goodPassword, source: "192.0.2.9")
    }

    @Test func theNewPasswordMeetsTheDevicesPolicyThenWorksEverywhere() async throws {
        let (device, fleet) = try await Self.setUp()
        let right = [
            ConsoleRequest.Answer(questionID: 1, answer: "Rossi"), .init(questionID: 3, answer: "Milano"),
            .init(questionID: 5, answer: "Fiat"),
        ]
        let weak = Self.refusal(try await Self.ask(.recoverWithAnswers(answers: right, newPassword: "admin"), fleet))
        #expect(weak?.code == .passwordRule)
        #expect(weak?.violations.contains(.tooShort(minimum: 8)) == true && weak?.violations.contains(.containsUserName) == true)
        #expect(try await Self.ask(.recoverWithAnswers(answers: right, newPassword: otherPassword), fleet) == .done)
        try await device.verifyPassword(otherPassword, source: "192.0.2.9")
        #expect(try await Self.ask(.signIn(password: otherPassword), fleet) == .done)
        #expect(Self.refusal(try await Self.ask(.signIn(password: goodPassword), fleet))?.code == .wrongCredential)
    }

    @Test func aGUIDModeLockedFromTheNetworkIsLockedOnTheConsole() async throws {
        let (device, fleet) = try await Self.setUp()
        let file = try await device.exportGUID()
        for attempt in 0..<7 {
            await #expect(throws: DeviceError.self) {
                try await device.recover(guidFile: Array("<nope/>".utf8), newPassword: otherPassword, source: "192.0.2.\(10 + attempt)")
            }
        }
        let error = Self.refusal(try await Self.ask(.recoverWithGUIDFile(file: Data(file.xml.utf8), newPassword: otherPassword), fleet))
        #expect(error?.code == .locked && error?.lock?.scope == .guidMode)
        #expect(
            error?.message(.english, ConsoleStrings.catalog).hasPrefix("Too many bad GUID files: the GUID mode is locked for 30 minutes.")
                == true)
    }

    @Test func aReservedEmailChallengeIsTheDevicesAndNamesNoOtherSerial() async throws {
        let (device, fleet) = try await Self.setUp()
        guard case .challenge(let text, let expiresAt) = try await Self.ask(.reservedEmailChallenge, fleet) else {
            Issue.record("no challenge")
            return
        }
        let pending = try #require(await device.pendingChallenges.first)
        #expect(pending.text == text)
        #expect(abs(pending.content.expiresAt.timeIntervalSince(expiresAt)) < 1, "the expiry crosses the socket")
        let line = await ControlSocket.answer(ConsoleWire.requestLine(serial: "NOT-HERE", .status), fleet: fleet, logger: testLogger)
        #expect(line == "error no device with serial NOT-HERE runs here")
    }
}
