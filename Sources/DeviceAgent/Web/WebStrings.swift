import Foundation
import ReclaimCore

/// Every piece of text the device web page shows, in English and Italian.
enum WebStrings {
    static func table(_ language: Language) -> [String: String] {
        language == .italian ? italian : english
    }

    static func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        var text = table(language)[key] ?? english[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    static let english: [String: String] = [
        "appName": "Reclaim device",
        "language": "Language",
        "activateTitle": "Activate the device",
        "activateIntro": "This device has no password yet. Choose the admin password now: there is no default password.",
        "userName": "User name",
        "password": "Password",
        "newPassword": "New password",
        "confirmPassword": "Confirm the password",
        "currentPassword": "Current password",
        "activate": "Activate",
        "signInTitle": "Sign in",
        "signIn": "Sign in",
        "signOut": "Sign out",
        "forgotLink": "Forgot password?",
        "forgotTitle": "Forgot password",
        "forgotIntro": "Choose how you will prove that this device is yours:",
        "modeGuidFile": "GUID file",
        "modeGuidFileHelp": "Import the GUID file you exported from this device.",
        "modeSecurityQuestions": "Security questions",
        "modeSecurityQuestionsHelp": "Answer the three questions you chose.",
        "modeReservedEmail": "Reserved e-mail",
        "modeReservedEmailHelp": "Export a QR code; the recovery authority sends a verification code to {email}.",
        "modeSupport": "Support case: reset key or reset file",
        "modeSupportHelp":
            "Export a QR code for your installer's support case, then enter the reset key or import the reset file it returns.",
        "notReady": "Not set up on this device.",
        "notSupported": "This device does not support it.",
        "guidFile": "GUID file",
        "confirm": "Confirm",
        "back": "Back",
        "generateQR": "Generate QR code",
        "qrIntroEmail":
            "Scan this QR code with the owner app, or hand its text to the recovery authority. The verification code goes to {email} only.",
        "qrIntroSupport": "Upload this QR code (or its text) to the support case. Earlier codes stay valid until they expire.",
        "qrText": "QR code text",
        "qrExpires": "Valid until {time}.",
        "verificationCode": "Verification code",
        "resetKey": "Reset key",
        "resetFile": "Reset file (.xml)",
        "useKey": "Confirm with the reset key",
        "useFile": "Confirm with the reset file",
        "successTitle": "Password changed",
        "successText": "The new admin password is set. Sign in with it, then export a new GUID file: any earlier one no longer works.",
        "activatedTitle": "Device activated",
        "activatedText": "The admin password is set. Now set up at least one way to recover it if it is ever lost.",
        "continue": "Continue",
        "device": "Device",
        "model": "Model",
        "serial": "Serial number",
        "firmware": "Firmware",
        "mac": "MAC address",
        "recoverySetup": "Password recovery",
        "configured": "Set up",
        "notConfigured": "Not set up",
        "questionsTitle": "Security questions",
        "questionN": "Question {n}",
        "answer": "Answer",
        "emailTitle": "Reserved e-mail",
        "emailAddress": "E-mail address",
        "guidTitle": "GUID file",
        "guidExported": "Exported on {time}; it works once, until the next password change.",
        "guidNone": "None is valid: export one and keep it safe.",
        "exportGuid": "Export GUID file",
        "changePassword": "Change password",
        "lockoutTitle": "Login lock-out",
        "maxFailures": "Failed attempts from one address before a lock",
        "lockMinutes": "Lock duration (minutes)",
        "save": "Save",
        "saved": "Saved.",
        "passwordRules": "Rules: {rules}",
        "errWrong": "That did not match.",
        "errAttempts": "{n} attempts left before a lock-out.",
        "errLocked": "Too many failed attempts: try again in {m} minutes.",
        "errLockedGuid": "Too many bad GUID files: the GUID mode is locked for {m} minutes. Other modes still work.",
        "errMismatch": "The two passwords differ.",
        "errExpired": "It answers a challenge that has expired. Generate a new QR code and ask again.",
        "errUnknownChallenge": "No challenge is waiting for it: it was used already or never issued here. Generate a new QR code.",
        "errModeUnavailable": "This recovery mode is not available on this device.",
        "errForm": "The form expired. Reload the page and try again.",
        "errNotActivated": "The device is not activated yet.",
        "errAlreadyActivated": "The device is already activated: sign in instead.",
        "errStorage": "The device could not save the change; nothing was changed. Try again.",
        "errBadRequest": "Something in the form is missing or wrong: {detail}",
        "errSignInFirst": "Sign in first.",
        "errFileMissing": "Choose a file.",
    ]

    static let italian: [String: String] = [
        "appName": "Dispositivo Reclaim",
        "language": "Lingua",
        "activateTitle": "Attiva il dispositivo",
        "activateIntro":
            "Il dispositivo non ha ancora una password. Scegli ora la password di amministratore: non esiste una password predefinita.",
        "userName": "Nome utente",
        "password": "Password",
        "newPassword": "Nuova password",
        "confirmPassword": "Conferma la password",
        "currentPassword": "Password attuale",
        "activate": "Attiva",
        "signInTitle": "Accesso",
        "signIn": "Accedi",
        "signOut": "Esci",
        "forgotLink": "Password dimenticata?",
        "forgotTitle": "Password dimenticata",
        "forgotIntro": "Scegli come dimostrare che il dispositivo è tuo:",
        "modeGuidFile": "Verifica file GUID",
        "modeGuidFileHelp": "Importa il file GUID esportato da questo dispositivo.",
        "modeSecurityQuestions": "Verifica domande di sicurezza",
        "modeSecurityQuestionsHelp": "Rispondi alle tre domande che hai scelto.",
        "modeReservedEmail": "Email riservata",
        "modeReservedEmailHelp": "Esporta il QR code: l'autorità di recupero invia un codice di verifica a {email}.",
        "modeSupport": "Caso di supporto: chiave o file di reset",
        "modeSupportHelp":
            "Esporta il QR code per il caso di supporto dell'installatore, poi inserisci la chiave di reset o importa il file di reset ricevuto.",
        "notReady": "Non configurato su questo dispositivo.",
        "notSupported": "Non supportato da questo dispositivo.",
        "guidFile": "File GUID",
        "confirm": "Conferma",
        "back": "Indietro",
        "generateQR": "Genera QR code",
        "qrIntroEmail":
            "Inquadra questo QR code con l'app del proprietario, oppure consegnane il testo all'autorità di recupero. Il codice di verifica arriva solo a {email}.",
        "qrIntroSupport":
            "Carica questo QR code (o il suo testo) nel caso di supporto. I codici precedenti restano validi fino alla scadenza.",
        "qrText": "Testo del QR code",
        "qrExpires": "Valido fino a {time}.",
        "verificationCode": "Codice di verifica",
        "resetKey": "Chiave di reset",
        "resetFile": "File di reset (.xml)",
        "useKey": "Conferma con la chiave di reset",
        "useFile": "Conferma con il file di reset",
        "successTitle": "Password modificata",
        "successText":
            "La nuova password di amministratore è impostata. Accedi con questa, poi esporta un nuovo file GUID: quelli precedenti non valgono più.",
        "activatedTitle": "Dispositivo attivato",
        "activatedText": "La password di amministratore è impostata. Ora configura almeno un modo per recuperarla, se mai andasse persa.",
        "continue": "Continua",
        "device": "Dispositivo",
        "model": "Modello",
        "serial": "Numero di serie",
        "firmware": "Firmware",
        "mac": "Indirizzo MAC",
        "recoverySetup": "Recupero della password",
        "configured": "Configurato",
        "notConfigured": "Non configurato",
        "questionsTitle": "Domande di sicurezza",
        "questionN": "Domanda {n}",
        "answer": "Risposta",
        "emailTitle": "Email riservata",
        "emailAddress": "Indirizzo email",
        "guidTitle": "File GUID",
        "guidExported": "Esportato il {time}; vale una volta, fino al prossimo cambio di password.",
        "guidNone": "Nessuno è valido: esportane uno e conservalo al sicuro.",
        "exportGuid": "Esporta file GUID",
        "changePassword": "Cambia password",
        "lockoutTitle": "Blocco degli accessi",
        "maxFailures": "Tentativi falliti da un indirizzo prima del blocco",
        "lockMinutes": "Durata del blocco (minuti)",
        "save": "Salva",
        "saved": "Salvato.",
        "passwordRules": "Regole: {rules}",
        "errWrong": "Non corrisponde.",
        "errAttempts": "Restano {n} tentativi prima del blocco.",
        "errLocked": "Troppi tentativi falliti: riprova tra {m} minuti.",
        "errLockedGuid": "Troppi file GUID errati: la verifica GUID è bloccata per {m} minuti. Gli altri metodi funzionano ancora.",
        "errMismatch": "Le due password non coincidono.",
        "errExpired": "Risponde a una richiesta scaduta. Genera un nuovo QR code e richiedi di nuovo.",
        "errUnknownChallenge": "Nessuna richiesta lo attende: è già stato usato o non è mai stato emesso qui. Genera un nuovo QR code.",
        "errModeUnavailable": "Questo metodo di recupero non è disponibile su questo dispositivo.",
        "errForm": "Il modulo è scaduto. Ricarica la pagina e riprova.",
        "errNotActivated": "Il dispositivo non è ancora attivato.",
        "errAlreadyActivated": "Il dispositivo è già attivato: accedi.",
        "errStorage": "Il dispositivo non è riuscito a salvare la modifica; nulla è cambiato. Riprova.",
        "errBadRequest": "Qualcosa nel modulo manca o è errato: {detail}",
        "errSignInFirst": "Prima accedi.",
        "errFileMissing": "Scegli un file.",
    ]

    /// A refusal, said in `language`, with what the user needs to act on it.
    static func message(for error: DeviceError, language: Language) -> String {
        let minutes = String(((error.lockSecondsLeft ?? 60) + 59) / 60)
        switch error.code {
        case .locked:
            return text(error.lock?.scope == .guidMode ? "errLockedGuid" : "errLocked", language, ["m": minutes])
        case .wrongCredential:
            // The device's English reason says what was wrong and how many attempts are left.
            guard language != .english else { return error.reason }
            let left = error.attemptsLeft.map { " " + text("errAttempts", language, ["n": String($0)]) } ?? ""
            return text("errWrong", language) + left
        case .passwordRule:
            return error.violations.map { $0.message(language: language) }.joined(separator: " ")
        case .challengeExpired: return text("errExpired", language)
        case .unknownChallenge: return text("errUnknownChallenge", language)
        case .modeUnavailable: return language == .english ? error.reason : text("errModeUnavailable", language)
        case .notActivated: return text("errNotActivated", language)
        case .alreadyActivated: return text("errAlreadyActivated", language)
        case .storage: return text("errStorage", language)
        case .badRequest: return text("errBadRequest", language, ["detail": error.reason])
        }
    }
}
