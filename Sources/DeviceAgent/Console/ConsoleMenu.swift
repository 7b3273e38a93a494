public import Foundation
public import ReclaimCore
import ReclaimQR
import WebSupport

/// The device's local menu, as an NVR shows it on its monitor: sign-in, and "Forgot
/// password" with the GUID file from a USB stick, the security questions and the
/// reserved e-mail's QR code; then the new password twice.
///
/// A pure state machine, in the style of ``DeviceMachine``: it takes an ``Event`` (a key,
/// the device's answer, what the USB stick holds) and returns the ``Action``s to perform;
/// ``screen`` says what the monitor shows now. The terminal, the control socket and the
/// USB folder are the caller's (`reclaim-device console`), so every step here is tested
/// without any of them. The menu decides nothing the device decides: every proof and
/// every new password goes to the device, whose refusals it shows as they come.
public struct ConsoleMenu: Sendable {
    /// What to do for the menu; each ends in one ``Event``, except ``quit``.
    public enum Action: Sendable, Equatable {
        /// Send the request to the device: answers with `.device`, `.unreachable` or `.notHere`.
        case ask(ConsoleRequest)
        /// List the `.xml` files on the USB stick: answers with `.usbListed`.
        case listUSBFiles
        /// Read one of them: answers with `.usbFileRead` or `.usbFileUnreadable`.
        case readUSBFile(String)
        /// Leave the menu and give the terminal back.
        case quit
    }

    public enum Event: Sendable, Equatable {
        case key(ConsoleKey)
        case device(ConsoleAnswer)
        /// Nothing answers on the control socket.
        case unreachable
        /// The control socket answers, but no device with this serial runs there.
        case notHere
        /// The `.xml` files on the stick, by name; nil when there is no stick.
        case usbListed([String]?)
        case usbFileRead(name: String, bytes: [UInt8])
        case usbFileUnreadable(name: String)
    }

    /// Where the menu is.
    public enum Stage: Sendable, Equatable {
        /// Waiting for the device to answer `pending`.
        case waiting(Pending)
        case unreachable(notHere: Bool)
        case notActivated
        case signIn
        case signedIn
        /// "Forgot password": the modes.
        case modes
        /// The GUID files on the stick, to pick one.
        case guidFiles
        case questions
        case email
        /// The new password, twice, for `proof`.
        case newPassword(Proof)
        case recovered
    }

    /// What the device is being asked, so its answer lands in the right place.
    public enum Pending: Sendable, Equatable {
        /// The status, then go to `next` (the sign-in or the modes).
        case status(then: Stage.AfterStatus)
        case signIn
        case challenge
        case recovery(Proof)
    }

    /// What proves the device is yours, kept until the new password goes with it.
    public enum Proof: Sendable, Equatable {
        case guidFile(name: String, bytes: [UInt8])
        case answers([ConsoleRequest.Answer])
        case code(String)
    }

    /// The menu's text fields.
    public enum Field: Sendable, Hashable {
        case password, answer(Int), code, newPassword, confirm
    }

    /// What focus can rest on.
    public enum Control: Sendable, Equatable {
        case field(Field)
        case button(Button)
        case file(String)
    }

    public enum Button: Sendable, Equatable {
        case signIn, forgot, exit, signOut, tryAgain, back, next, confirm, generateQR
        case mode(RecoveryModes.Mode)
    }

    public let serial: String
    public let language: Language
    /// Shown in texts only: the data folder, its socket, the folder standing for the USB stick.
    let dataFolder: String
    let socketPath: String
    let usbFolder: String?
    let timeZone: TimeZone

    public private(set) var stage: Stage
    public private(set) var status: ConsoleStatus?
    public private(set) var focus = 0
    /// Under the form: a refusal, or what is missing.
    public private(set) var message: String?
    var values: [Field: String] = [:]
    /// The stick's `.xml` files; nil before listing or without a stick.
    var usbFiles: [String]?
    var challenge: (text: String, expiresAt: Date)?

    public init(
        serial: String, language: Language, dataFolder: String, socketPath: String, usbFolder: String?, timeZone: TimeZone = .current
    ) {
        self.serial = serial
        self.language = language
        self.dataFolder = dataFolder
        self.socketPath = socketPath
        self.usbFolder = usbFolder
        self.timeZone = timeZone
        stage = .waiting(.status(then: .signIn))
    }

    /// What to do first: ask the device what it is.
    public func start() -> [Action] { [.ask(.status)] }

    func t(_ key: String, _ values: [String: String] = [:]) -> String { ConsoleStrings.catalog.text(key, language, values) }

    // MARK: Events

    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .key(let key): return handle(key)
        case .device(let answer): return answered(answer)
        case .unreachable, .notHere:
            go(to: .unreachable(notHere: event == .notHere))
            return []
        case .usbListed(let files):
            guard stage == .guidFiles else { return [] }
            usbFiles = files
            focus = 0
            return []
        case .usbFileRead(let name, let bytes):
            guard stage == .guidFiles else { return [] }
            go(to: .newPassword(.guidFile(name: name, bytes: bytes)))
            return []
        case .usbFileUnreadable(let name):
            guard stage == .guidFiles else { return [] }
            message = t("usbUnreadable", ["file": name])
            return []
        }
    }

    /// Moves to `stage` with focus on its first control and no message.
    mutating func go(to stage: Stage, message: String? = nil) {
        self.stage = stage
        self.message = message
        focus = 0
    }

    /// Asks the device, showing that it is asked meanwhile.
    mutating func ask(_ request: ConsoleRequest, _ pending: Pending) -> [Action] {
        go(to: .waiting(pending))
        return [.ask(request)]
    }

    mutating func answered(_ answer: ConsoleAnswer) -> [Action] {
        guard case .waiting(let pending) = stage else { return [] }
        switch (pending, answer) {
        case (.status(let next), .status(let status)):
            self.status = status
            guard status.activated else {
                go(to: .notActivated)
                return []
            }
            go(to: next.stage)
            return []
        case (.signIn, .done):
            go(to: .signedIn)
            return []
        case (.challenge, .challenge(let text, let expiresAt)):
            challenge = (text, expiresAt)
            go(to: .email)
            return []
        case (.recovery, .done):
            usbFiles = nil
            challenge = nil
            values = [:]
            go(to: .recovered)
            return []
        case (_, .refused(let refusal)):
            return refused(refusal.error, pending: pending)
        default:
            // An answer that fits no question: start again from what the device is.
            return ask(.status, .status(then: .signIn))
        }
    }

    /// Shows a refusal where the user can act on it: a broken password rule at the new
    /// password, anything about the proof at the proof.
    mutating func refused(_ error: DeviceError, pending: Pending) -> [Action] {
        let shown = error.message(language, ConsoleStrings.catalog)
        if error.code == .notActivated { return ask(.status, .status(then: .signIn)) }
        switch pending {
        case .status, .signIn:
            go(to: .signIn, message: shown)
        case .challenge:
            go(to: .modes, message: shown)
        case .recovery(let proof):
            if error.code == .passwordRule {
                go(to: .newPassword(proof), message: shown)
                return []
            }
            switch proof {
            case .guidFile(let name, _):
                go(to: .guidFiles, message: shown)
                // On the file refused, so the next one is a key away.
                focus = controls.firstIndex(of: .file(name)) ?? 0
            case .answers:
                // The device does not say which answer was wrong, so none is kept.
                for index in 0..<SecurityQuestions.requiredCount { values[.answer(index)] = nil }
                go(to: .questions, message: shown)
            case .code:
                values[.code] = nil
                // A void or expired challenge can't be answered any more: offer a new QR code.
                if error.code == .unknownChallenge || error.code == .challengeExpired { challenge = nil }
                go(to: .email, message: shown)
                if challenge == nil { focus = controls.firstIndex(of: .button(.generateQR)) ?? 0 }
            }
        }
        return []
    }

    // MARK: Keys

    mutating func handle(_ key: ConsoleKey) -> [Action] {
        if case .waiting = stage { return [] }
        let controls = self.controls
        switch key {
        case .up:
            if !controls.isEmpty { focus = (focus + controls.count - 1) % controls.count }
        case .down, .tab:
            if !controls.isEmpty { focus = (focus + 1) % controls.count }
        case .character(let character):
            if case .field(let field) = focused { values[field, default: ""].append(character) }
        case .backspace:
            if case .field(let field) = focused, !(values[field] ?? "").isEmpty { values[field]?.removeLast() }
        case .escape:
            return back()
        case .enter:
            return enter()
        case .interrupt:
            return [.quit]
        case .left, .right:
            // Side by side, buttons are also reached sideways; a field has no cursor to move.
            if let focused, !focused.isField, !controls.isEmpty {
                focus = (focus + (key == .left ? controls.count - 1 : 1)) % controls.count
            }
        }
        return []
    }

    var focused: Control? {
        let controls = self.controls
        return controls.indices.contains(focus) ? controls[focus] : nil
    }

    mutating func back() -> [Action] {
        switch stage {
        case .waiting: return []
        case .signIn, .notActivated, .unreachable: return [.quit]
        case .signedIn, .modes, .recovered:
            values = [:]
            go(to: .signIn)
        case .guidFiles, .questions, .email:
            go(to: .modes)
        case .newPassword(let proof):
            values[.newPassword] = nil
            values[.confirm] = nil
            go(to: proof.stage)
        }
        return []
    }

    /// Enter: a field moves on to the next field, or, on the last one, does what the
    /// form's first button does; a button does its thing.
    mutating func enter() -> [Action] {
        let controls = self.controls
        guard let control = focused else { return [] }
        switch control {
        case .field:
            if let next = controls.indices.dropFirst(focus + 1).first(where: { controls[$0].isField }) {
                focus = next
                return []
            }
            guard let button = controls.dropFirst(focus + 1).compactMap(\.button).first else { return [] }
            return press(button)
        case .button(let button):
            return press(button)
        case .file(let name):
            message = nil
            return [.readUSBFile(name)]
        }
    }

    mutating func press(_ button: Button) -> [Action] {
        switch button {
        case .exit:
            return [.quit]
        case .tryAgain:
            return ask(.status, .status(then: .signIn))
        case .signIn where stage == .recovered:
            return ask(.status, .status(then: .signIn))
        case .signIn:
            let password = values[.password] ?? ""
            guard !password.isEmpty else { return complain(t("typePassword")) }
            // The password is not kept: it goes to the device and nowhere else.
            values[.password] = nil
            return ask(.signIn(password: password), .signIn)
        case .signOut, .back:
            return back()
        case .forgot:
            // Asked afresh, so a mode set up or used up meanwhile shows as it is now.
            values = [:]
            return ask(.status, .status(then: .modes))
        case .mode(.guidFile):
            usbFiles = nil
            go(to: .guidFiles)
            return [.listUSBFiles]
        case .mode(.securityQuestions):
            go(to: .questions)
            return []
        case .mode(.reservedEmail):
            return ask(.reservedEmailChallenge, .challenge)
        case .mode:
            return []
        case .generateQR:
            values[.code] = nil
            return ask(.reservedEmailChallenge, .challenge)
        case .next:
            return next()
        case .confirm:
            return confirm()
        }
    }

    /// The proof is complete: on to the new password.
    mutating func next() -> [Action] {
        switch stage {
        case .questions:
            let ids = status?.questionIDs ?? []
            let answers = ids.enumerated().map { index, id in
                ConsoleRequest.Answer(questionID: id, answer: values[.answer(index)] ?? "")
            }
            guard !answers.isEmpty, answers.allSatisfy({ !$0.answer.isEmpty }) else { return complain(t("answerAll")) }
            go(to: .newPassword(.answers(answers)))
        case .email:
            let code = (values[.code] ?? "").trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty else { return complain(t("typeCode")) }
            go(to: .newPassword(.code(code)))
        default:
            break
        }
        return []
    }

    mutating func confirm() -> [Action] {
        guard case .newPassword(let proof) = stage else { return [] }
        let password = values[.newPassword] ?? "", again = values[.confirm] ?? ""
        values[.newPassword] = nil
        values[.confirm] = nil
        guard !password.isEmpty else { return complain(t("typeNewPassword")) }
        guard password == again else { return complain(t("mismatch")) }
        let request: ConsoleRequest =
            switch proof {
            case .guidFile(_, let bytes): .recoverWithGUIDFile(file: Data(bytes), newPassword: password)
            case .answers(let answers): .recoverWithAnswers(answers: answers, newPassword: password)
            case .code(let code): .recoverWithCode(code: code, newPassword: password)
            }
        return ask(request, .recovery(proof))
    }

    /// Stays, says what is missing, and puts the focus on the first field.
    mutating func complain(_ text: String) -> [Action] {
        message = text
        focus = controls.firstIndex(where: \.isField) ?? focus
        return []
    }

    // MARK: What can take focus

    var modeList: [RecoveryModes.Mode] { [.guidFile, .securityQuestions, .reservedEmail] }

    public var controls: [Control] {
        switch stage {
        case .waiting: []
        case .unreachable, .notActivated: [.button(.tryAgain), .button(.exit)]
        case .signIn: [.field(.password), .button(.signIn), .button(.forgot), .button(.exit)]
        case .signedIn: [.button(.signOut)]
        case .modes:
            modeList.filter { status?.ready.contains($0) == true }.map { .button(.mode($0)) } + [.button(.back)]
        case .guidFiles: (usbFiles ?? []).map(Control.file) + [.button(.back)]
        case .questions:
            (status?.questionIDs ?? []).indices.map { .field(.answer($0)) } + [.button(.next), .button(.back)]
        case .email:
            challenge == nil
                ? [.button(.generateQR), .button(.back)] : [.field(.code), .button(.next), .button(.generateQR), .button(.back)]
        case .newPassword: [.field(.newPassword), .field(.confirm), .button(.confirm), .button(.back)]
        case .recovered: [.button(.signIn)]
        }
    }
}

extension ConsoleMenu.Stage {
    /// Where a status answer leads.
    public enum AfterStatus: Sendable, Equatable {
        case signIn, modes

        var stage: ConsoleMenu.Stage { self == .signIn ? .signIn : .modes }
    }
}

extension ConsoleMenu.Proof {
    /// The screen the proof was given on, to go back to.
    var stage: ConsoleMenu.Stage {
        switch self {
        case .guidFile: .guidFiles
        case .answers: .questions
        case .code: .email
        }
    }
}

extension ConsoleMenu.Control {
    var isField: Bool {
        if case .field = self { true } else { false }
    }

    var button: ConsoleMenu.Button? {
        if case .button(let button) = self { button } else { nil }
    }
}

// MARK: - The screen

extension ConsoleMenu {
    /// What the monitor shows now.
    public var screen: ConsoleScreen {
        var screen = ConsoleScreen()
        screen.add(t("header", ["device": status.map { "\($0.model) · \($0.serial)" } ?? serial]), .header)
        // The reserved e-mail's screen is the fullest: its QR code, its text and the form
        // must fit 50 lines, so it has no blank lines.
        var compact = false
        switch stage {
        case .waiting(let pending):
            screen.add("", .text)
            screen.add(pending == .status(then: .signIn) ? t("connecting") : t("working"), .text)
        case .unreachable(let notHere):
            screen.add(t("unreachableTitle"), .title)
            screen.add("", .text)
            screen.add(
                notHere
                    ? t("notHere", ["serial": serial, "folder": dataFolder])
                    : t("unreachable", ["socket": socketPath, "folder": dataFolder]), .text)
            screen.add("", .text)
            addControls(to: &screen)
        case .notActivated:
            screen.add(t("notActivatedTitle"), .title)
            screen.add("", .text)
            screen.add(t("notActivated"), .text)
            screen.add("", .text)
            addControls(to: &screen)
        case .signIn:
            screen.add(t("signInTitle"), .title)
            screen.add("", .text)
            screen.add("  \(t("userName")): admin", .text)
            addControls(to: &screen)
        case .signedIn:
            screen.add(t("signedInTitle"), .title)
            screen.add("", .text)
            if let status {
                screen.add("\(t("model")): \(status.model)", .text)
                screen.add("\(t("serial")): \(status.serial)", .text)
                screen.add("\(t("firmware")): \(status.firmware)", .text)
                screen.add("\(t("mac")): \(status.mac)", .text)
                screen.add("", .text)
                screen.add(t("recoverySetup"), .title)
                for mode in modeList where status.supported.contains(mode) {
                    let state = status.ready.contains(mode) ? t("setUp") : t("notSetUp")
                    screen.add("\(modeName(mode)): \(state)", .text)
                }
                screen.add("", .text)
            }
            addControls(to: &screen)
        case .modes:
            screen.add(t("forgot"), .title)
            screen.add("", .text)
            screen.add(t("forgotIntro"), .text)
            screen.add("", .text)
            for mode in modeList {
                let ready = status?.ready.contains(mode) == true
                let supported = status?.supported.contains(mode) == true
                let help = ready ? modeHelp(mode) : supported ? t("notReady") : t("notSupported")
                addButtons([.mode(mode)], to: &screen, dimmed: !ready)
                screen.add("      " + help, .dim)
            }
            screen.add("", .text)
            addButtons([.back], to: &screen)
        case .guidFiles:
            screen.add(t("modeGuidFile"), .title)
            screen.add("", .text)
            if let usbFolder {
                if let files = usbFiles {
                    screen.add(
                        files.isEmpty ? t("usbEmpty", ["folder": usbFolder]) : t("usbFiles", ["folder": usbFolder]), .text)
                }
            } else {
                screen.add(t("usbAbsent"), .text)
            }
            screen.add("", .text)
            addControls(to: &screen)
        case .questions:
            screen.add(t("modeSecurityQuestions"), .title)
            screen.add("", .text)
            screen.add(t("modeSecurityQuestionsHelp"), .text)
            for (index, id) in (status?.questionIDs ?? []).enumerated() {
                screen.add("", .text)
                screen.add("  \(index + 1). " + (SecurityQuestions.question(id: id)?.text(language) ?? ""), .text)
                addField(.answer(index), to: &screen)
            }
            screen.add("", .text)
            addButtons(controls.compactMap(\.button), to: &screen)
        case .email:
            screen.add(t("modeReservedEmail"), .title)
            if let challenge {
                compact = true
                screen.add(t("emailIntro", ["email": status?.maskedEmail ?? ""]), .text)
                // Low correction: a screen does not get scratched, and the smallest symbol
                // leaves room under it for its text and the form on a 50-line terminal.
                for row in QRCode(challenge.text, correction: .low)?.halfBlockRows() ?? [] { screen.add(row, .qr) }
                screen.add(t("qrText", ["time": language.dateTime(challenge.expiresAt, timeZone: timeZone)]), .text)
                screen.add(challenge.text, .code)
            } else {
                screen.add("", .text)
                screen.add(modeHelp(.reservedEmail), .text)
                screen.add("", .text)
            }
            addControls(to: &screen)
        case .newPassword(let proof):
            screen.add(t("newPasswordTitle"), .title)
            screen.add("", .text)
            if case .guidFile(let name, _) = proof { screen.add(t("proofGuidFile", ["file": name]), .text) }
            screen.add(t("rules", ["rules": PasswordPolicy(status?.passwordProfile ?? .compatible).summary(language: language)]), .text)
            screen.add("", .text)
            addControls(to: &screen)
        case .recovered:
            screen.add(t("successTitle"), .title)
            screen.add("", .text)
            screen.add(t("successText"), .notice)
            screen.add("", .text)
            addControls(to: &screen)
        }
        if !compact { screen.add("", .text) }
        if let message { screen.add(message, .error) }
        screen.add(t("hint"), .dim)
        return screen
    }

    func modeName(_ mode: RecoveryModes.Mode) -> String {
        switch mode {
        case .guidFile: t("modeGuidFile")
        case .securityQuestions: t("modeSecurityQuestions")
        default: t("modeReservedEmail")
        }
    }

    func modeHelp(_ mode: RecoveryModes.Mode) -> String {
        switch mode {
        case .guidFile: t("modeGuidFileHelp")
        case .securityQuestions: t("modeSecurityQuestionsHelp")
        default: t("modeReservedEmailHelp", ["email": status?.maskedEmail ?? ""])
        }
    }

    func label(_ field: Field) -> String {
        switch field {
        case .password: t("password")
        case .answer: ""
        case .code: t("verificationCode")
        case .newPassword: t("newPassword")
        case .confirm: t("confirmPassword")
        }
    }

    func label(_ button: Button) -> String {
        switch button {
        case .signIn: t("signIn")
        case .forgot: t("forgot")
        case .exit: t("exit")
        case .signOut: t("signOut")
        case .tryAgain: t("tryAgain")
        case .back: t("back")
        case .next: t("next")
        case .confirm: t("confirm")
        case .generateQR: t("generateQR")
        case .mode(let mode): modeName(mode)
        }
    }

    /// The stage's controls: each field and file on its line, the buttons side by side
    /// on one, as a dialog shows them.
    func addControls(to screen: inout ConsoleScreen) {
        var buttons: [Button] = []
        for control in controls {
            switch control {
            case .field(let field): addField(field, to: &screen)
            case .file(let name): screen.add((focused == control ? "▸ " : "  ") + name, focused == control ? .focused : .text)
            case .button(let button): buttons.append(button)
            }
        }
        addButtons(buttons, to: &screen)
    }

    /// A field: what was typed (a password as `*`), with `_` for the cursor when focused;
    /// `▸` marks the focus.
    func addField(_ field: Field, to screen: inout ConsoleScreen) {
        let isFocused = focused == .field(field)
        let value = values[field] ?? ""
        let shown = field.isSecret ? String(repeating: "*", count: value.count) : value
        let label = label(field)
        let text = (isFocused ? "▸ " : "  ") + (label.isEmpty ? "" : label + ": ") + shown + (isFocused ? "_" : "")
        screen.add(text, isFocused ? .focused : .text)
    }

    /// Buttons in brackets on one line; the focused one marked with `▸` and drawn in reverse.
    func addButtons(_ buttons: [Button], to screen: inout ConsoleScreen, dimmed: Bool = false) {
        guard !buttons.isEmpty else { return }
        var text = ""
        var highlight: Range<Int>?
        for button in buttons {
            let isFocused = focused == .button(button)
            text += isFocused ? "▸ " : "  "
            let start = text.count
            text += "[ \(label(button)) ]"
            if isFocused { highlight = start..<text.count }
            text += " "
        }
        screen.add(String(text.dropLast()), dimmed ? .dim : .text, highlight: highlight)
    }
}

extension ConsoleMenu.Field {
    var isSecret: Bool {
        switch self {
        case .password, .newPassword, .confirm: true
        case .answer, .code: false
        }
    }
}
