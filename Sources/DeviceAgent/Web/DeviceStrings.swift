import WebSupport

/// Every text of the device web page, in English and Italian.
enum DeviceStrings {
    static let catalog = StringCatalog([
        "appName": .init(
            en: "Reclaim device",
            it: "Dispositivo Reclaim"),
        "activateTitle": .init(
            en: "Activate the device",
            it: "Attivazione dispositivo"),
        "activateIntro": .init(
            en: "This device has no password yet. Choose the admin password now: there is no default password.",
            it: "Il dispositivo non ha ancora una password. Scegli ora la password amministratore: non esiste una password predefinita."),
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
            it: "Verifica tramite email riservata"),
        "modeReservedEmailHelp": .init(
            en: "Export a QR code; the recovery authority sends a verification code to {email}.",
            it: "Esporta il codice QR: l'autorità di ripristino invia un codice di verifica a {email}."),
        "modeSupport": .init(
            en: "Support case: reset key or reset file",
            it: "Caso di supporto online: codice o file di reset"),
        "modeSupportHelp": .init(
            en: "Export a QR code for your installer's support case, then enter the reset key or import the reset file it returns.",
            it:
                "Esporta il codice QR per il caso di supporto online del tuo installatore, poi inserisci il codice di reset o importa il file di reset che riceverai."
        ),
        "notReady": .init(
            en: "Not set up on this device.",
            it: "Metodo non impostato su questo dispositivo."),
        "notSupported": .init(
            en: "This device does not support it.",
            it: "Metodo non supportato da questo dispositivo."),
        "guidFile": .init(
            en: "GUID file",
            it: "File GUID"),
        "confirm": .init(
            en: "Confirm",
            it: "Conferma"),
        "generateQR": .init(
            en: "Generate QR code",
            it: "Genera codice QR"),
        "qrIntroEmail": .init(
            en:
                "Scan this QR code with the owner app, or hand its text to the recovery authority. The verification code goes to {email} only.",
            it:
                "Scansiona questo codice QR con l'app del proprietario, oppure consegnane il testo all'autorità di ripristino. Il codice di verifica arriva solo a {email}."
        ),
        "qrIntroSupport": .init(
            en: "Upload this QR code (or its text) to the support case. Earlier codes stay valid until they expire.",
            it:
                "Carica questo codice QR (o il suo testo) nel caso di supporto online. I codici precedenti restano validi fino alla scadenza."
        ),
        "qrText": .init(
            en: "QR code text",
            it: "Testo del codice QR"),
        "qrExpires": .init(
            en: "Expires on {time}.",
            it: "Scade il {time}."),
        "verificationCode": .init(
            en: "Verification code",
            it: "Codice di verifica"),
        "resetKey": .init(
            en: "Reset key",
            it: "Codice di reset"),
        "resetFile": .init(
            en: "Reset file (.xml)",
            it: "File di reset (.xml)"),
        "useKey": .init(
            en: "Confirm with the reset key",
            it: "Conferma con il codice di reset"),
        "useFile": .init(
            en: "Confirm with the reset file",
            it: "Conferma con il file di reset"),
        "successTitle": .init(
            en: "Password changed",
            it: "Password modificata"),
        "successText": .init(
            en: "The new admin password is set. Sign in with it, then export a new GUID file: any earlier one no longer works.",
            it:
                "La nuova password amministratore è impostata. Accedi con la nuova password, poi esporta un nuovo file GUID: quelli esportati prima non funzionano più."
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
            it: "Ripristino password"),
        "configured": .init(
            en: "Set up",
            it: "Impostazione completata"),
        "notConfigured": .init(
            en: "Not set up",
            it: "Da impostare"),
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
            it: "Esportato il {time}; si può usare una sola volta, fino al prossimo cambio password."),
        "guidNone": .init(
            en: "None is valid: export one and keep it safe.",
            it: "Nessun file GUID valido: esportane uno e conservalo al sicuro."),
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
            it: "Tentativi falliti dallo stesso indirizzo prima del blocco"),
        "lockMinutes": .init(
            en: "Lock duration (minutes)",
            it: "Durata del blocco (minuti)"),
        "save": .init(
            en: "Save",
            it: "Salva"),
        "hardeningTitle": .init(
            en: "Hardening checklist",
            it: "Checklist di messa in sicurezza"),
        "hardeningIntro": .init(
            en: "What keeps this device safe on its network; each line links to where you fix it.",
            it: "Cosa protegge questo dispositivo nella sua rete; ogni voce porta al punto in cui sistemarla."),
        "hardeningAllDone": .init(
            en: "All done.",
            it: "Tutto in ordine."),
        "hardeningLeft": .counted(
            en: ("1 item left to do.", "{n} items left to do."),
            it: ("Ti resta 1 voce da completare.", "Ti restano {n} voci da completare.")),
        "checkDone": .init(
            en: "Done",
            it: "Fatto"),
        "checkToDo": .init(
            en: "To do",
            it: "Da fare"),
        "checkPassword": .init(
            en: "A strong admin password",
            it: "Una password amministratore robusta"),
        "checkPasswordStrong": .init(
            en: "Strong.",
            it: "Robusta."),
        "checkPasswordFair": .init(
            en: "Fair: it only just meets the rules. Change it for 12 or more characters of 3 kinds, or a long passphrase.",
            it:
                "Sufficiente: rispetta appena le regole. Cambiala con una di almeno 12 caratteri di 3 tipi diversi, o con una frase segreta lunga."
        ),
        "checkPasswordWeak": .init(
            en: "Weak: it breaks the current rules. Change it now.",
            it: "Debole: non rispetta le regole attuali. Cambiala subito."),
        "checkPasswordUnrated": .init(
            en: "Not rated: it was set before the device rated passwords. Change it to have it rated.",
            it: "Non valutata: è stata impostata prima che il dispositivo valutasse le password. Cambiala per farla valutare."),
        "checkRecovery": .init(
            en: "A recovery method set up",
            it: "Un metodo di ripristino impostato"),
        "checkRecoverySet": .init(
            en: "Set up: {methods}.",
            it: "Impostato: {methods}."),
        "checkRecoveryNone": .init(
            en: "None: set security questions or a reserved e-mail, or export a GUID file.",
            it: "Nessuno: imposta le domande di sicurezza o l'email riservata, oppure esporta un file GUID."),
        "checkRecoveryNoneLocal": .init(
            en: "None: set security questions, or export a GUID file.",
            it: "Nessuno: imposta le domande di sicurezza, oppure esporta un file GUID."),
        "checkGuid": .init(
            en: "A GUID file exported since the last password change",
            it: "Un file GUID esportato dopo l'ultimo cambio password"),
        "checkGuidFresh": .init(
            en: "Exported on {time}.",
            it: "Esportato il {time}."),
        "checkGuidNone": .init(
            en: "None since the last password change: export one and keep it offline.",
            it: "Nessuno dopo l'ultimo cambio password: esportane uno e conservalo offline."),
        "checkFirmware": .init(
            en: "Firmware up to date",
            it: "Firmware aggiornato"),
        "checkFirmwareCurrent": .init(
            en: "{installed} is the latest known release.",
            it: "{installed} è l'ultima versione conosciuta."),
        "checkFirmwareOutdated": .init(
            en: "{installed} is installed; {latest} is available: update it.",
            it: "È installata la versione {installed}; è disponibile la {latest}: aggiorna il firmware."),
        "checkFirmwareUnknown": .init(
            en: "This model is not in the catalogue: check the vendor's releases.",
            it: "Questo modello non è nel catalogo: controlla le versioni pubblicate dal produttore."),
        "checkUpnp": .init(
            en: "UPnP off",
            it: "UPnP disattivato"),
        "checkUpnpOff": .init(
            en: "Off.",
            it: "Disattivato."),
        "checkUpnpOn": .init(
            en: "On: it can open ports on the router. Turn it off unless remote access needs it.",
            it: "Attivo: può aprire porte sul router. Disattivalo se l'accesso remoto non ne ha bisogno."),
        "fixRecovery": .init(
            en: "Set up recovery",
            it: "Imposta il ripristino"),
        "fixFirmware": .init(
            en: "Update the firmware",
            it: "Aggiorna il firmware"),
        "firmwareTitle": .init(
            en: "Firmware update",
            it: "Aggiornamento firmware"),
        "firmwareInstalledNow": .init(
            en: "Installed: {installed}.",
            it: "Versione installata: {installed}."),
        "firmwareHelp": .init(
            en:
                "Choose a firmware package (.pkg) signed with the vendor's release key. Before installing it the device checks the signature, the model and that the release is newer than the installed one.",
            it:
                "Scegli un pacchetto firmware (.pkg) firmato con la chiave di rilascio del produttore. Prima di installarlo, il dispositivo verifica la firma, il modello e che la versione sia più recente di quella installata."
        ),
        "firmwarePackage": .init(
            en: "Firmware package",
            it: "Pacchetto firmware"),
        "firmwareUpdate": .init(
            en: "Update the firmware",
            it: "Aggiorna il firmware"),
        "firmwareUpdated": .init(
            en: "Firmware {firmware} installed (it replaced {previous}).",
            it: "Firmware {firmware} installato (al posto di {previous})."),
        "fixUpnp": .init(
            en: "UPnP setting",
            it: "Impostazione UPnP"),
        "upnpTitle": .init(
            en: "UPnP port mapping",
            it: "Mappatura porte UPnP"),
        "upnpStateOn": .init(
            en: "UPnP is on: the device asks the router to open ports to it.",
            it: "UPnP è attivo: il dispositivo chiede al router di aprirgli delle porte."),
        "upnpStateOff": .init(
            en: "UPnP is off.",
            it: "UPnP è disattivato."),
        "upnpHelp": .init(
            en: "Leave it off unless remote access needs it: a port the router opens can be reached from the internet.",
            it: "Lascialo disattivato se l'accesso remoto non ne ha bisogno: una porta aperta dal router è raggiungibile da internet."),
        "upnpTurnOff": .init(
            en: "Turn UPnP off",
            it: "Disattiva UPnP"),
        "upnpTurnOn": .init(
            en: "Turn UPnP on",
            it: "Attiva UPnP"),
        "form.upnpChoice": .init(
            en: "Choose whether UPnP is on or off.",
            it: "Scegli se UPnP deve essere attivo o disattivato."),
        "passwordRules": .init(
            en: "Rules: {rules}",
            it: "Regole: {rules}"),
        "error.wrongCredential": .init(
            en: "That did not match.",
            it: "I dati inseriti non corrispondono."),
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
                "Troppi file GUID errati: la verifica file GUID è bloccata per 1 minuto. Le altre modalità di verifica restano disponibili.",
                "Troppi file GUID errati: la verifica file GUID è bloccata per {n} minuti. Le altre modalità di verifica restano disponibili."
            )),
        "form.mismatch": .init(
            en: "The two passwords differ.",
            it: "Le due password non coincidono."),
        "error.challengeExpired": .init(
            en: "It answers a challenge that has expired. Generate a new QR code and ask again.",
            it: "Si riferisce a una richiesta scaduta. Genera un nuovo codice QR e ripeti la richiesta."),
        "error.unknownChallenge": .init(
            en: "No challenge is waiting for it: it was used already or never issued here. Generate a new QR code.",
            it:
                "Non corrisponde a nessuna richiesta in attesa: è già stato usato oppure non è stato emesso per questo dispositivo. Genera un nuovo codice QR."
        ),
        "error.modeUnavailable": .init(
            en: "This recovery mode is not available on this device.",
            it: "Questa modalità di verifica non è disponibile su questo dispositivo."),
        "error.notActivated": .init(
            en: "The device is not activated yet.",
            it: "Il dispositivo non è ancora attivato."),
        "error.alreadyActivated": .init(
            en: "The device is already activated: sign in instead.",
            it: "Il dispositivo è già attivato: accedi."),
        "error.storage": .init(
            en: "The device could not save the change; nothing was changed. Try again.",
            it: "Il dispositivo non è riuscito a salvare la modifica; non è cambiato nulla. Riprova."),
        "error.badRequest": .init(
            en: "Something in the form is missing or wrong: {detail}",
            it: "Nel modulo manca qualcosa o c'è un errore: {detail}"),
        "error.badRequest.unnamed": .init(
            en: "Something in the form is missing or wrong: check each field and send it again.",
            it: "Nel modulo manca qualcosa o c'è un errore: controlla i campi e invialo di nuovo."),
        "error.questions": .init(
            en: "Choose three different questions and answer each with 2 to 128 characters.",
            it: "Scegli tre domande diverse e rispondi a ciascuna con un testo da 2 a 128 caratteri."),
        "error.notAnEmail": .init(
            en: "{address} is not an e-mail address; write it as name@example.org.",
            it: "{address} non è un indirizzo email; scrivilo come nome@example.org."),
        "error.notIPv4": .init(en: "{address} is not an IPv4 address.", it: "{address} non è un indirizzo IPv4."),
        "error.notAPort": .init(en: "{port} is not a port number.", it: "{port} non è un numero di porta."),
        "error.addressNotHere": .init(
            en: "{address} is not an address this machine has; choose a free one on loopback (127.0.0.0/8).",
            it: "{address} non è un indirizzo di questa macchina; scegline uno libero su loopback (127.0.0.0/8)."),
        "error.failureLimits": .init(
            en: "The number of failed attempts must be between {min} and {max}.",
            it: "Il numero di tentativi falliti deve essere compreso tra {min} e {max}."),
        "error.lockDuration": .init(
            en: "The lock duration must be between 1 minute and 24 hours.",
            it: "La durata del blocco deve essere compresa tra 1 minuto e 24 ore."),
        "error.challengeLifetime": .init(
            en: "A QR code must stay valid between 5 minutes and 7 days.",
            it: "Un codice QR deve restare valido tra 5 minuti e 7 giorni."),
        "form.signInFirst": .init(
            en: "Sign in first.",
            it: "Accedi prima di continuare."),
        "form.fileMissing": .init(
            en: "Choose a file.",
            it: "Scegli un file."),
        "form.wholeNumbers": .init(
            en: "Write the limits as whole numbers.", it: "Inserisci i limiti come numeri interi."),
        "error.firmwareRefused": .init(
            en: "The firmware package was refused; nothing was installed.",
            it: "Il pacchetto firmware è stato rifiutato; non è stato installato nulla."),
        "error.firmware.tooLarge": .init(
            en: "The firmware package is larger than the {megabytes} MB the device takes: check that it is the right file.",
            it: "Il pacchetto firmware supera i {megabytes} MB accettati dal dispositivo: controlla che sia il file giusto."),
        "error.firmware.malformed": .init(
            en: "The file is not a valid firmware package: choose the .pkg file of the release.",
            it: "Il file non è un pacchetto firmware valido: scegli il file .pkg della versione."),
        "error.firmware.unsigned": .init(
            en: "The firmware package is not signed: only signed releases are installed.",
            it: "Il pacchetto firmware non è firmato: vengono installate solo le versioni firmate."),
        "error.firmware.noTrustedKey": .init(
            en: "This device trusts no release key, so it installs no firmware package.",
            it: "Questo dispositivo non ha chiavi di rilascio attendibili, quindi non installa pacchetti firmware."),
        "error.firmware.unknownKey": .init(
            en: "The firmware package is signed with key {key}, which this device does not trust: it is not a release for it.",
            it:
                "Il pacchetto firmware è firmato con la chiave {key}, che questo dispositivo non considera attendibile: non è una versione per questo dispositivo."
        ),
        "error.firmware.badSignature": .init(
            en: "The firmware package's signature does not verify: the file was altered or is not genuine. Nothing was installed.",
            it: "La firma del pacchetto firmware non è valida: il file è stato modificato o non è originale. Non è stato installato nulla."),
        "error.firmware.wrongModel": .init(
            en: "The firmware package is for {models}, not for this {model}.",
            it: "Il pacchetto firmware è per {models}, non per questo {model}."),
        "error.firmware.sameVersion": .init(
            en: "{installed} is installed already; nothing was changed.",
            it: "La versione {installed} è già installata; non è cambiato nulla."),
        "error.firmware.olderVersion": .init(
            en: "The package holds {offered}, older than the installed {installed}: a device never goes back to an older release.",
            it:
                "Il pacchetto contiene la versione {offered}, precedente a quella installata ({installed}): il dispositivo non torna mai a una versione precedente."
        ),
        "error.conflict": .init(
            en: "Something changed on the device while this was checked; nothing was done. Try again.",
            it: "Qualcosa è cambiato sul dispositivo durante la verifica; non è stato fatto nulla. Riprova."),
        "done.activated": .init(
            en: "The admin password is set. Now set up at least one way to recover it if it is ever lost.",
            it: "La password amministratore è impostata. Ora configura almeno un metodo di ripristino, nel caso in cui dovessi perderla."),
        "done.saved": .init(en: "Saved.", it: "Modifiche salvate."),
        "done.recovered": .init(
            en: "The new admin password is set. Sign in with it, then export a new GUID file: any earlier one no longer works.",
            it:
                "La nuova password amministratore è impostata. Accedi con la nuova password, poi esporta un nuovo file GUID: quelli esportati prima non funzionano più."
        ),
        "done.passwordChanged": .init(en: "Password changed", it: "Password modificata"),
        "done.upnpOff": .init(
            en: "UPnP is off: the device no longer asks the router to open ports.",
            it: "UPnP disattivato: il dispositivo non chiede più al router di aprire porte."),
        "done.upnpOn": .init(en: "UPnP is on.", it: "UPnP attivato."),
    ])
}
