import WebSupport

/// Every text of the device web page, in English and Italian.
enum DeviceStrings {
    static let catalog = StringCatalog([
        "appName": .init(
            en: "Reclaim device",
            it: "Dispositivo Reclaim"),
        "activateTitle": .init(
            en: "Activate the device",
            it: "Attiva il dispositivo"),
        "activateIntro": .init(
            en: "This device has no password yet. Choose the admin password now: there is no default password.",
            it: "Il dispositivo non ha ancora una password. Scegli ora la password di amministratore: non esiste una password predefinita."),
        "userName": .init(
            en: "User name",
            it: "Nome utente"),
        "password": .init(
            en: "Password",
            it: "Password"),
        "newPassword": .init(
            en: "New password",
            it: "Nuova password"),
        "confirmPassword": .init(
            en: "Confirm the password",
            it: "Conferma la password"),
        "currentPassword": .init(
            en: "Current password",
            it: "Password attuale"),
        "activate": .init(
            en: "Activate",
            it: "Attiva"),
        "signInTitle": .init(
            en: "Sign in",
            it: "Accesso"),
        "signIn": .init(
            en: "Sign in",
            it: "Accedi"),
        "forgotLink": .init(
            en: "Forgot password?",
            it: "Password dimenticata?"),
        "forgotTitle": .init(
            en: "Forgot password",
            it: "Password dimenticata"),
        "forgotIntro": .init(
            en: "Choose how you will prove that this device is yours:",
            it: "Scegli come dimostrare che il dispositivo è tuo:"),
        "modeGuidFile": .init(
            en: "GUID file",
            it: "Verifica file GUID"),
        "modeGuidFileHelp": .init(
            en: "Import the GUID file you exported from this device.",
            it: "Importa il file GUID esportato da questo dispositivo."),
        "modeSecurityQuestions": .init(
            en: "Security questions",
            it: "Verifica domande di sicurezza"),
        "modeSecurityQuestionsHelp": .init(
            en: "Answer the three questions you chose.",
            it: "Rispondi alle tre domande che hai scelto."),
        "modeReservedEmail": .init(
            en: "Reserved e-mail",
            it: "Email riservata"),
        "modeReservedEmailHelp": .init(
            en: "Export a QR code; the recovery authority sends a verification code to {email}.",
            it: "Esporta il QR code: l'autorità di recupero invia un codice di verifica a {email}."),
        "modeSupport": .init(
            en: "Support case: reset key or reset file",
            it: "Caso di supporto: chiave o file di reset"),
        "modeSupportHelp": .init(
            en: "Export a QR code for your installer's support case, then enter the reset key or import the reset file it returns.",
            it:
                "Esporta il QR code per il caso di supporto dell'installatore, poi inserisci la chiave di reset o importa il file di reset ricevuto."
        ),
        "notReady": .init(
            en: "Not set up on this device.",
            it: "Non configurato su questo dispositivo."),
        "notSupported": .init(
            en: "This device does not support it.",
            it: "Non supportato da questo dispositivo."),
        "guidFile": .init(
            en: "GUID file",
            it: "File GUID"),
        "confirm": .init(
            en: "Confirm",
            it: "Conferma"),
        "generateQR": .init(
            en: "Generate QR code",
            it: "Genera QR code"),
        "qrIntroEmail": .init(
            en:
                "Scan this QR code with the owner app, or hand its text to the recovery authority. The verification code goes to {email} only.",
            it:
                "Inquadra questo QR code con l'app del proprietario, oppure consegnane il testo all'autorità di recupero. Il codice di verifica arriva solo a {email}."
        ),
        "qrIntroSupport": .init(
            en: "Upload this QR code (or its text) to the support case. Earlier codes stay valid until they expire.",
            it: "Carica questo QR code (o il suo testo) nel caso di supporto. I codici precedenti restano validi fino alla scadenza."),
        "qrText": .init(
            en: "QR code text",
            it: "Testo del QR code"),
        "qrExpires": .init(
            en: "Expires on {time}.",
            it: "Scade il {time}."),
        "verificationCode": .init(
            en: "Verification code",
            it: "Codice di verifica"),
        "resetKey": .init(
            en: "Reset key",
            it: "Chiave di reset"),
        "resetFile": .init(
            en: "Reset file (.xml)",
            it: "File di reset (.xml)"),
        "useKey": .init(
            en: "Confirm with the reset key",
            it: "Conferma con la chiave di reset"),
        "useFile": .init(
            en: "Confirm with the reset file",
            it: "Conferma con il file di reset"),
        "successTitle": .init(
            en: "Password changed",
            it: "Password modificata"),
        "successText": .init(
            en: "The new admin password is set. Sign in with it, then export a new GUID file: any earlier one no longer works.",
            it:
                "La nuova password di amministratore è impostata. Accedi con questa, poi esporta un nuovo file GUID: quelli precedenti non valgono più."
        ),
        "device": .init(
            en: "Device",
            it: "Dispositivo"),
        "model": .init(
            en: "Model",
            it: "Modello"),
        "serial": .init(
            en: "Serial number",
            it: "Numero di serie"),
        "firmware": .init(
            en: "Firmware",
            it: "Firmware"),
        "mac": .init(
            en: "MAC address",
            it: "Indirizzo MAC"),
        "recoverySetup": .init(
            en: "Password recovery",
            it: "Recupero della password"),
        "configured": .init(
            en: "Set up",
            it: "Configurato"),
        "notConfigured": .init(
            en: "Not set up",
            it: "Non configurato"),
        "questionsTitle": .init(
            en: "Security questions",
            it: "Domande di sicurezza"),
        "questionN": .init(
            en: "Question {n}",
            it: "Domanda {n}"),
        "answer": .init(
            en: "Answer",
            it: "Risposta"),
        "emailTitle": .init(
            en: "Reserved e-mail",
            it: "Email riservata"),
        "emailAddress": .init(
            en: "E-mail address",
            it: "Indirizzo email"),
        "guidTitle": .init(
            en: "GUID file",
            it: "File GUID"),
        "guidExported": .init(
            en: "Exported on {time}; it works once, until the next password change.",
            it: "Esportato il {time}; vale una volta, fino al prossimo cambio di password."),
        "guidNone": .init(
            en: "None is valid: export one and keep it safe.",
            it: "Nessuno è valido: esportane uno e conservalo al sicuro."),
        "exportGuid": .init(
            en: "Export GUID file",
            it: "Esporta file GUID"),
        "changePassword": .init(
            en: "Change password",
            it: "Cambia password"),
        "lockoutTitle": .init(
            en: "Login lock-out",
            it: "Blocco degli accessi"),
        "maxFailures": .init(
            en: "Failed attempts from one address before a lock",
            it: "Tentativi falliti da un indirizzo prima del blocco"),
        "lockMinutes": .init(
            en: "Lock duration (minutes)",
            it: "Durata del blocco (minuti)"),
        "save": .init(
            en: "Save",
            it: "Salva"),
        "passwordRules": .init(
            en: "Rules: {rules}",
            it: "Regole: {rules}"),
        "error.wrongCredential": .init(
            en: "That did not match.",
            it: "Non corrisponde."),
        "error.attemptsLeft": .counted(
            en: ("1 attempt left before a lock-out.", "{n} attempts left before a lock-out."),
            it: ("Ti resta 1 tentativo prima del blocco.", "Ti restano {n} tentativi prima del blocco.")),
        "error.locked": .counted(
            en: ("Too many failed attempts: try again in 1 minute.", "Too many failed attempts: try again in {n} minutes."),
            it: ("Troppi tentativi falliti: riprova tra 1 minuto.", "Troppi tentativi falliti: riprova tra {n} minuti.")),
        "error.locked.guidMode": .counted(
            en: (
                "Too many bad GUID files: the GUID mode is locked for 1 minute. Other modes still work.",
                "Too many bad GUID files: the GUID mode is locked for {n} minutes. Other modes still work."
            ),
            it: (
                "Troppi file GUID errati: la verifica GUID è bloccata per 1 minuto. Gli altri metodi funzionano ancora.",
                "Troppi file GUID errati: la verifica GUID è bloccata per {n} minuti. Gli altri metodi funzionano ancora."
            )),
        "form.mismatch": .init(
            en: "The two passwords differ.",
            it: "Le due password non coincidono."),
        "error.challengeExpired": .init(
            en: "It answers a challenge that has expired. Generate a new QR code and ask again.",
            it: "Risponde a una richiesta scaduta. Genera un nuovo QR code e richiedi di nuovo."),
        "error.unknownChallenge": .init(
            en: "No challenge is waiting for it: it was used already or never issued here. Generate a new QR code.",
            it: "Nessuna richiesta lo attende: è già stato usato o non è mai stato emesso qui. Genera un nuovo QR code."),
        "error.modeUnavailable": .init(
            en: "This recovery mode is not available on this device.",
            it: "Questo metodo di recupero non è disponibile su questo dispositivo."),
        "error.notActivated": .init(
            en: "The device is not activated yet.",
            it: "Il dispositivo non è ancora attivato."),
        "error.alreadyActivated": .init(
            en: "The device is already activated: sign in instead.",
            it: "Il dispositivo è già attivato: accedi."),
        "error.storage": .init(
            en: "The device could not save the change; nothing was changed. Try again.",
            it: "Il dispositivo non è riuscito a salvare la modifica; nulla è cambiato. Riprova."),
        "error.badRequest": .init(
            en: "Something in the form is missing or wrong: {detail}",
            it: "Qualcosa nel modulo manca o è errato: {detail}"),
        "form.signInFirst": .init(
            en: "Sign in first.",
            it: "Prima accedi."),
        "form.fileMissing": .init(
            en: "Choose a file.",
            it: "Scegli un file."),
        "form.wholeNumbers": .init(
            en: "Write the limits as whole numbers.", it: "Scrivi i limiti come numeri interi."),
        "error.conflict": .init(
            en: "Something changed on the device while this was checked; nothing was done. Try again.",
            it: "Qualcosa è cambiato sul dispositivo durante la verifica; non è stato fatto nulla. Riprova."),
        "done.activated": .init(
            en: "The admin password is set. Now set up at least one way to recover it if it is ever lost.",
            it: "La password di amministratore è impostata. Ora configura almeno un modo per recuperarla, se mai andasse persa."),
        "done.saved": .init(en: "Saved.", it: "Salvato."),
        "done.recovered": .init(
            en: "The new admin password is set. Sign in with it, then export a new GUID file: any earlier one no longer works.",
            it:
                "La nuova password di amministratore è impostata. Accedi con questa, poi esporta un nuovo file GUID: quelli precedenti non valgono più."
        ),
        "done.passwordChanged": .init(en: "Password changed", it: "Password modificata"),
    ])
}
