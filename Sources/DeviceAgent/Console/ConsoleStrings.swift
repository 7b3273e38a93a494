import WebSupport

/// Every text of the local console (`reclaim-device console`), in English and Italian.
///
/// The refusals (`error.…`) and the device's own labels are the device page's, so a wrong
/// answer, a lock or a broken password rule reads the same on the monitor as in the browser.
enum ConsoleStrings {
    /// The device page's texts the console shows as they are.
    static let shared: Set<String> = [
        "model", "serial", "firmware", "mac", "recoverySetup", "modeGuidFile", "modeSecurityQuestions", "modeSecurityQuestionsHelp",
        "modeReservedEmail",
    ]

    static let catalog = StringCatalog(own).merging(
        StringCatalog(DeviceStrings.catalog.entries.filter { $0.key.hasPrefix("error.") || shared.contains($0.key) }))

    static let own: [String: Translation] = [
        "header": .init(
            en: "Local menu · {device}",
            it: "Menu locale · {device}"),
        "hint": .init(
            en: "↑↓ move · Enter choose · Esc back · Ctrl-C quit",
            it: "↑↓ sposta · Invio conferma · Esc indietro · Ctrl-C esci"),
        "connecting": .init(
            en: "Asking the device…",
            it: "Richiesta al dispositivo in corso…"),
        "working": .init(
            en: "Checking with the device…",
            it: "Verifica in corso sul dispositivo…"),
        "unreachableTitle": .init(
            en: "No device answers",
            it: "Il dispositivo non risponde"),
        "unreachable": .init(
            en: "Nothing answers on {socket}. Start the device (reclaim-device run --data {folder}), then try again.",
            it: "Nessuna risposta su {socket}. Avvia il dispositivo (reclaim-device run --data {folder}), poi riprova."),
        "notHere": .init(
            en: "No device with serial number {serial} runs from {folder}. Check the serial number on the label.",
            it: "Nessun dispositivo con numero di serie {serial} è in funzione in {folder}. Controlla il numero di serie sull'etichetta."),
        "tryAgain": .init(
            en: "Try again",
            it: "Riprova"),
        "exit": .init(
            en: "Exit",
            it: "Chiudi"),
        "notActivatedTitle": .init(
            en: "Not activated",
            it: "Dispositivo non attivato"),
        "notActivated": .init(
            en: "This device has no password yet. Activate it from its web page or with the LAN tool: there is no default password.",
            it:
                "Il dispositivo non ha ancora una password. Attivalo dalla sua pagina web o con lo strumento LAN: non esiste una password predefinita."
        ),
        "signInTitle": .init(
            en: "Sign in",
            it: "Accesso"),
        "userName": .init(
            en: "User name",
            it: "Nome utente"),
        "password": .init(
            en: "Password",
            it: "Password"),
        "signIn": .init(
            en: "Sign in",
            it: "Accedi"),
        "forgot": .init(
            en: "Forgot password",
            it: "Password dimenticata"),
        "typePassword": .init(
            en: "Type the admin password.",
            it: "Inserisci la password amministratore."),
        "signedInTitle": .init(
            en: "Signed in as admin",
            it: "Accesso eseguito come admin"),
        "setUp": .init(
            en: "set up",
            it: "impostazione completata"),
        "notSetUp": .init(
            en: "not set up",
            it: "da impostare"),
        "signOut": .init(
            en: "Sign out",
            it: "Esci"),
        "forgotIntro": .init(
            en: "Choose how you will prove that this device is yours:",
            it: "Scegli come dimostrare che il dispositivo è tuo:"),
        "modeGuidFileHelp": .init(
            en: "Import the GUID file you exported from this device, from a USB stick.",
            it: "Importa da una chiavetta USB il file GUID esportato da questo dispositivo."),
        "modeReservedEmailHelp": .init(
            en: "Show a QR code; the recovery authority sends a verification code to {email}.",
            it: "Mostra un codice QR: l'autorità di ripristino invia un codice di verifica a {email}."),
        "notReady": .init(
            en: "Not set up on this device.",
            it: "Metodo non impostato su questo dispositivo."),
        "notSupported": .init(
            en: "This device does not support it.",
            it: "Metodo non supportato da questo dispositivo."),
        "usbFiles": .init(
            en: "Choose the GUID file on the USB stick ({folder}):",
            it: "Scegli il file GUID sulla chiavetta USB ({folder}):"),
        "usbEmpty": .init(
            en: "There is no .xml file on the USB stick ({folder}). Copy the GUID file there, then try again.",
            it: "Sulla chiavetta USB ({folder}) non c'è nessun file .xml. Copiaci il file GUID, poi riprova."),
        "usbAbsent": .init(
            en: "No USB stick: start the console with --usb FOLDER, the folder that stands for the stick.",
            it: "Nessuna chiavetta USB: avvia il menu con --usb CARTELLA, la cartella che fa da chiavetta."),
        "usbUnreadable": .init(
            en: "Cannot read {file} from the USB stick; choose another file.",
            it: "Impossibile leggere {file} dalla chiavetta USB; scegli un altro file."),
        "back": .init(
            en: "Back",
            it: "Indietro"),
        "next": .init(
            en: "Next",
            it: "Avanti"),
        "answerAll": .init(
            en: "Answer all three questions.",
            it: "Rispondi a tutte e tre le domande."),
        "emailIntro": .init(
            en:
                "Scan this QR code with the owner app, or hand its text to the recovery authority. The verification code goes to {email} only.",
            it:
                "Scansiona questo codice QR con l'app del proprietario, oppure consegnane il testo all'autorità di ripristino. Il codice di verifica arriva solo a {email}."
        ),
        "qrText": .init(
            en: "QR code text (expires on {time}):",
            it: "Testo del codice QR (scade il {time}):"),
        "generateQR": .init(
            en: "Generate QR code",
            it: "Genera codice QR"),
        "verificationCode": .init(
            en: "Verification code",
            it: "Codice di verifica"),
        "typeCode": .init(
            en: "Type the verification code from the e-mail.",
            it: "Inserisci il codice di verifica ricevuto via email."),
        "newPasswordTitle": .init(
            en: "New password",
            it: "Nuova password"),
        "newPassword": .init(
            en: "New password",
            it: "Nuova password"),
        "confirmPassword": .init(
            en: "Confirm the password",
            it: "Conferma la password"),
        "rules": .init(
            en: "Rules: {rules}",
            it: "Regole: {rules}"),
        "confirm": .init(
            en: "Confirm",
            it: "Conferma"),
        "mismatch": .init(
            en: "The two passwords differ.",
            it: "Le due password non coincidono."),
        "typeNewPassword": .init(
            en: "Type the new password twice.",
            it: "Inserisci due volte la nuova password."),
        "proofGuidFile": .init(
            en: "GUID file: {file}",
            it: "File GUID: {file}"),
        "successTitle": .init(
            en: "Password changed",
            it: "Password modificata"),
        "successText": .init(
            en: "The new admin password is set. Sign in with it, then export a new GUID file: any earlier one no longer works.",
            it:
                "La nuova password amministratore è impostata. Accedi con la nuova password, poi esporta un nuovo file GUID: quelli esportati prima non funzionano più."
        ),
    ]
}
