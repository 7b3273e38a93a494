import Foundation
import ReclaimCore
import WebSupport

/// The messages the platform sends. Their texts are held like every page's: one catalogue,
/// each text in English and Italian, with `{name}` values.
enum MailTemplates {
    /// The verification code for a reserved-e-mail recovery. The authority does not know
    /// the reader's language, so the message carries both.
    static func verificationCode(code: String, serial: String, model: String, expires: Date, timeZone: TimeZone) -> MailMessage.Content {
        let values = ["code": code, "serial": serial, "model": model]
        func text(_ key: String, _ language: Language) -> String {
            strings.text(key, language, values.merging(["until": language.dateTime(expires, timeZone: timeZone)]) { mine, _ in mine })
        }
        return MailMessage.Content(
            subject: text("mail.verificationCode.subject", .english) + " / " + text("mail.verificationCode.subject", .italian),
            body: text("mail.verificationCode.body", .english) + "\n\n--\n\n"
                + text("mail.verificationCode.body", .italian))
    }

    static func confirmSignUp(link: String, language: Language) -> MailMessage.Content {
        message("mail.confirmSignUp", language, ["link": link])
    }

    /// Sent instead of a confirmation when the address already has an account, so the
    /// sign-up page can answer the same either way.
    static func alreadyRegistered(signIn: String, language: Language) -> MailMessage.Content {
        message("mail.alreadyRegistered", language, ["link": signIn])
    }

    /// A link to set a new portal password, to an account's own address.
    static func passwordReset(link: String, language: Language) -> MailMessage.Content {
        message("mail.passwordReset", language, ["link": link])
    }

    /// After a reset: the password was changed, so someone else's reset does not go unnoticed.
    static func passwordChanged(link: String, language: Language) -> MailMessage.Content {
        message("mail.passwordChanged", language, ["link": link])
    }

    /// A support case was opened or changed state: to the installer who opened it, in their language.
    static func caseEvent(_ event: String, caseID: String, serial: String, model: String, link: String, language: Language)
        -> MailMessage.Content
    {
        var values = ["id": caseID, "serial": serial, "model": model, "link": link]
        values["what"] = strings.text("mail.case.event." + event, language, values)
        values["state"] = strings.text("mail.case.state." + event, language, values)
        return message("mail.case", language, values)
    }

    /// A change of an owner-approved reset, or a recovery reported by the device, for its
    /// owner or the installer who asked. `event` names the text: `reset.requested`, …
    static func deviceEvent(_ event: String, values: [String: String], language: Language) -> MailMessage.Content {
        self.event("mail.device", event, values: values, language: language)
    }

    /// The mail `template` ("mail.device", "mail.share") saying what `event` was.
    static func event(_ template: String, _ event: String, values: [String: String], language: Language) -> MailMessage.Content {
        var values = values
        values["what"] = strings.text(template + ".event." + event, language, values)
        return message(template, language, values)
    }

    static func message(_ name: String, _ language: Language, _ values: [String: String]) -> MailMessage.Content {
        MailMessage.Content(
            subject: strings.text(name + ".subject", language, values), body: strings.text(name + ".body", language, values))
    }

    static let strings = StringCatalog([
        "mail.verificationCode.subject": .init(
            en: "Reclaim: verification code for {model} {serial}", it: "Reclaim: codice di verifica per {model} {serial}"),
        "mail.verificationCode.body": .init(
            en: """
                Someone asked to reset the admin password of device {model}, serial {serial},
                with this address, the device's reserved e-mail.

                Verification code: {code}

                Enter it on the device (its web page or the reclaim LAN tool) with a new
                password before {until}. It works once, for the QR code exported just now.
                If you did not ask for it, ignore this message: nothing changes without the code.
                """,
            it: """
                Qualcuno ha chiesto di reimpostare la password amministratore del dispositivo
                {model}, numero di serie {serial}, tramite questo indirizzo, che è l'email
                riservata del dispositivo.

                Codice di verifica: {code}

                Inseriscilo sul dispositivo (nella sua pagina web o nello strumento LAN reclaim)
                insieme a una nuova password entro il {until}. Vale una sola volta, per il codice
                QR appena esportato. Se non hai fatto tu questa richiesta, ignora questo
                messaggio: senza il codice non cambia nulla.
                """),
        "mail.invitation.subject": .init(
            en: "Reclaim: {inviter} invites you to {company}", it: "Reclaim: {inviter} ti invita in {company}"),
        "mail.invitation.body": .init(
            en: """
                {inviter} invites you to join the installer company {company} on Reclaim,
                to open support cases and work on its sites' devices together.

                Open this link to join, before {until}:
                {link}

                It works once. If you do not know {inviter} or {company}, ignore this message:
                nothing happens without the link.
                """,
            it: """
                {inviter} ti invita a unirti all'azienda installatrice {company} su Reclaim,
                per aprire casi di supporto e lavorare insieme sui dispositivi dei suoi siti.

                Apri questo link per unirti, entro il {until}:
                {link}

                Vale una sola volta. Se non conosci {inviter} o {company}, ignora questo
                messaggio: senza il link non succede nulla.
                """),
        "mail.ticket.subject": .init(en: "Reclaim: ticket {id} — {model} {serial}", it: "Reclaim: ticket {id} — {model} {serial}"),
        "mail.ticket.body": .init(
            en: """
                Support ticket {id}, device {model}, serial {serial}:

                {what}

                {link}
                """,
            it: """
                Ticket di supporto {id}, dispositivo {model}, numero di serie {serial}:

                {what}

                {link}
                """),
        "mail.ticket.event.opened": .init(
            en: "An owner opened a ticket: check the documents on the desk.",
            it: "Un proprietario ha aperto un ticket: controlla i documenti."),
        "mail.ticket.event.asked": .init(
            en: "The support operator wrote to you. Open the ticket to read and answer.",
            it: "L'operatore del supporto tecnico ti ha scritto. Apri il ticket per leggere e rispondere."),
        "mail.ticket.event.answered": .init(
            en: "The owner wrote on the ticket.", it: "Il proprietario ha scritto sul ticket."),
        "mail.ticket.event.approved": .init(
            en: "The ticket is approved: open it to read the reset code, and use it on the device.",
            it: "Il ticket è approvato: aprilo per leggere il codice di reset e usalo sul dispositivo."),
        "mail.ticket.event.rejected": .init(
            en: "The ticket was rejected. Open it to read why.", it: "Il ticket è stato rifiutato. Aprilo per leggere il motivo."),
        "mail.ticket.event.closed": .init(en: "The owner closed the ticket.", it: "Il proprietario ha chiuso il ticket."),
        "mail.device.subject": .init(en: "Reclaim: {model} {serial}", it: "Reclaim: {model} {serial}"),
        "mail.device.body": .init(
            en: """
                Device {model}, serial {serial}:

                {what}

                {link}

                If this was not you or someone you trust, open the owner app and check who can
                reach the device.
                """,
            it: """
                Dispositivo {model}, numero di serie {serial}:

                {what}

                {link}

                Se questa operazione non è stata fatta da te o da qualcuno di cui ti fidi, apri
                l'app e controlla chi può raggiungere il dispositivo.
                """),
        "mail.device.event.reset.requested": .init(
            en: "{company} asks to reset the device password ({mode}). Approve or refuse it in the owner app before {until}.",
            it:
                "{company} chiede di reimpostare la password del dispositivo ({mode}). Approva o rifiuta la richiesta nell'app entro il {until}."
        ),
        "mail.device.event.reset.approved": .init(
            en: "The owner approved the password reset; the device is taking the new password.",
            it: "Il proprietario ha approvato la reimpostazione della password; il dispositivo sta ricevendo la nuova password."),
        "mail.device.event.reset.changed": .init(
            en: "The device password was changed.", it: "La password del dispositivo è stata cambiata."),
        "mail.device.event.reset.failed": .init(
            en: "The device did not take the new password: {reason}", it: "Il dispositivo non ha accettato la nuova password: {reason}"),
        "mail.device.event.reset.expired": .init(
            en: "The password reset request expired: nothing changed.",
            it: "La richiesta di reimpostazione della password è scaduta: non è cambiato nulla."),
        "mail.device.event.reset.declined": .init(
            en: "The owner refused the password reset: nothing changed.",
            it: "Il proprietario ha rifiutato la reimpostazione della password: non è cambiato nulla."),
        "mail.device.event.reset.cancelled": .init(
            en: "{company} withdrew its password reset request: nothing changed.",
            it: "{company} ha ritirato la richiesta di reimpostazione della password: non è cambiato nulla."),
        "mail.device.event.firmware-installed": .init(
            en: "A new firmware was installed on the device: {method} (from {source}).",
            it: "Sul dispositivo è stato installato un nuovo firmware: {method} (da {source})."),
        "mail.device.event.recovered": .init(
            en: "The admin password was reset on the device ({method}, from {source}).",
            it: "La password amministratore è stata reimpostata sul dispositivo ({method}, da {source})."),
        "mail.device.event.issued.reset-key": .init(
            en: "Reclaim's support issued a reset key for this device ({source}): whoever holds it can set a new admin password.",
            it:
                "Il supporto di Reclaim ha emesso un codice di reset per questo dispositivo ({source}): chi lo possiede può impostare una nuova password amministratore."
        ),
        "mail.device.event.issued.reset-file": .init(
            en: "Reclaim's support issued a reset file for this device ({source}): whoever holds it can set a new admin password.",
            it:
                "Il supporto di Reclaim ha emesso un file di reset per questo dispositivo ({source}): chi lo possiede può impostare una nuova password amministratore."
        ),
        "mail.device.event.issued.verification-code": .init(
            en: "A verification code was sent to the device's reserved e-mail, to reset its admin password on the device.",
            it:
                "È stato inviato un codice di verifica all'email riservata del dispositivo: serve a reimpostarne la password amministratore direttamente sul dispositivo."
        ),
        "mail.device.event.claim.started": .init(
            en:
                "Someone who holds this device and its label code asked to move it to their account. If you sold or gave it away, do nothing: it moves on {until}. If not, object in the owner app before then.",
            it:
                "Qualcuno che ha questo dispositivo e il codice sulla sua etichetta ha chiesto di trasferirlo nel proprio account. Se l'hai venduto o ceduto, non fare nulla: il trasferimento avverrà il {until}. Altrimenti, opponiti nell'app prima di quella data."
        ),
        "mail.device.event.claim.moved": .init(
            en: "The device moved to its new owner's account; the installer companies it was shared with no longer see it.",
            it:
                "Il dispositivo è passato all'account del nuovo proprietario; le aziende installatrici con cui era condiviso non lo vedono più."
        ),
        "mail.device.event.claim.objected": .init(
            en: "The current owner objected: the device stays in their account.",
            it: "Il proprietario attuale si è opposto: il dispositivo resta nel suo account."),
        "mail.share.subject": .init(en: "Reclaim: {company} and {site}", it: "Reclaim: {company} e {site}"),
        "mail.share.body": .init(
            en: """
                {what}

                {link}
                """,
            it: """
                {what}

                {link}
                """),
        "mail.share.event.share.granted": .init(
            en: "{owner} shared the site {site} with {company}: its devices are under Sites and devices.",
            it: "{owner} ha condiviso il sito {site} con {company}: trovi i suoi dispositivi in Siti e dispositivi."),
        "mail.share.event.share.revoked": .init(
            en: "{owner} ended the sharing of the site {site} with {company}: its devices are no longer visible to you.",
            it: "{owner} ha terminato la condivisione del sito {site} con {company}: non vedi più i suoi dispositivi."),
        "mail.share.event.access.requested": .init(
            en:
                "{company} sent you an authorisation request: \"{note}\". Accept it for one of your sites, or decline it, in the owner app.",
            it:
                "{company} ti ha inviato una richiesta di autorizzazione: \"{note}\". Nell'app puoi accettarla per uno dei tuoi siti oppure rifiutarla."
        ),
        "mail.share.event.access.declined": .init(
            en: "{owner} declined the authorisation request of {company}.",
            it: "{owner} ha rifiutato la richiesta di autorizzazione di {company}."),
        "mail.method.guidFile": .init(en: "GUID file", it: "file GUID"),
        "mail.method.securityQuestions": .init(en: "security questions", it: "domande di sicurezza"),
        "mail.method.reservedEmail": .init(en: "reserved e-mail code", it: "codice dell'email riservata"),
        "mail.method.supportKey": .init(en: "support case reset key", it: "codice di reset del caso di supporto"),
        "mail.method.supportFile": .init(en: "support case reset file", it: "file di reset del caso di supporto"),
        "mail.method.ownerApproval": .init(en: "approved by the owner", it: "con l'approvazione del proprietario"),
        "mail.method.factoryReset": .init(en: "factory reset", it: "ripristino impostazioni di fabbrica"),
        "mail.method.reset-key": .init(en: "reset key", it: "codice di reset"),
        "mail.method.reset-file": .init(en: "reset file", it: "file di reset"),
        "mail.method.verification-code": .init(en: "verification code", it: "codice di verifica"),
        "mail.method.claim": .init(en: "second-hand claim", it: "richiesta del nuovo proprietario"),
        "mail.case.subject": .init(en: "Reclaim: case {id} — {state}", it: "Reclaim: caso {id} — {state}"),
        "mail.case.body": .init(
            en: """
                Support case {id}, device password reset of {model} {serial}:

                {what}

                The case: {link}
                """,
            it: """
                Caso di supporto online {id}, reimpostazione password del dispositivo {model} {serial}:

                {what}

                Il caso: {link}
                """),
        "mail.case.state.opened": .init(en: "In progress", it: "In corso"),
        "mail.case.state.waiting-for-review": .init(en: "In progress", it: "In corso"),
        "mail.case.state.to-confirm": .init(en: "To confirm", it: "Da confermare"),
        "mail.case.state.rejected": .init(en: "Rejected", it: "Respinto"),
        "mail.case.state.closed": .init(en: "Closed", it: "Chiuso"),
        "mail.case.event.opened": .init(
            en: "We received it and are checking the photo of the label.",
            it: "Abbiamo ricevuto il caso e stiamo controllando la foto dell'etichetta."),
        "mail.case.event.waiting-for-review": .init(
            en: "The label could not be checked automatically; a reviewer will look at it in working hours.",
            it:
                "Non è stato possibile controllare l'etichetta in automatico; un operatore del supporto tecnico la esaminerà in orario di lavoro."
        ),
        "mail.case.event.to-confirm": .init(
            en: "The reset code or file is ready. Open the case to copy or download it, and use it in the LAN tool.",
            it: "Il codice o il file di reset è pronto. Apri il caso per copiarlo o scaricarlo e usalo nello strumento LAN."),
        "mail.case.event.rejected": .init(
            en: "The case was rejected. Open it to read why.",
            it: "Il caso è stato respinto. Aprilo per leggere il motivo."),
        "mail.case.event.closed": .init(
            en: "The case is closed.",
            it: "Il caso è chiuso."),
        "mail.confirmSignUp.subject": .init(en: "Reclaim: confirm your account", it: "Reclaim: conferma il tuo account"),
        "mail.confirmSignUp.body": .init(
            en: """
                To finish signing up to Reclaim, open this link within 24 hours:

                {link}

                If you did not sign up, ignore this message.
                """,
            it: """
                Per completare la registrazione a Reclaim apri questo collegamento entro 24 ore:

                {link}

                Se non hai chiesto tu la registrazione, ignora questo messaggio.
                """),
        "mail.passwordReset.subject": .init(en: "Reclaim: set a new password", it: "Reclaim: imposta una nuova password"),
        "mail.passwordReset.body": .init(
            en: """
                Someone asked to set a new password for your Reclaim account. To choose it, open this link within one hour:

                {link}

                The link works once. If you did not ask, ignore this message: your password stays as it is.
                """,
            it: """
                È stata chiesta una nuova password per il tuo account Reclaim. Per sceglierla, apri questo link entro un'ora:

                {link}

                Il link funziona una sola volta. Se non hai fatto tu questa richiesta, ignora questo messaggio: la tua password non cambia.
                """),
        "mail.passwordChanged.subject": .init(en: "Reclaim: your password was changed", it: "Reclaim: la tua password è stata cambiata"),
        "mail.passwordChanged.body": .init(
            en: """
                The password of your Reclaim account was just set anew through a link sent to this address, and every sign-in was ended.

                If you did not do this, ask for a new password at once: {link}
                """,
            it: """
                La password del tuo account Reclaim è appena stata reimpostata tramite un link inviato a questo indirizzo, e tutti gli accessi sono stati chiusi.

                Se non hai fatto tu questa operazione, chiedi subito una nuova password: {link}
                """),
        "mail.alreadyRegistered.subject": .init(en: "Reclaim: you already have an account", it: "Reclaim: hai già un account"),
        "mail.alreadyRegistered.body": .init(
            en: """
                Someone tried to sign up to Reclaim with this address, which already has an account.
                Sign in here: {link}

                If it was not you, ignore this message.
                """,
            it: """
                Qualcuno ha provato a registrarsi a Reclaim con questo indirizzo, che ha già un account.
                Accedi qui: {link}

                Se non hai provato tu a registrarti, ignora questo messaggio.
                """),
    ])
}

extension MailMessage {
    struct Content {
        let subject: String
        let body: String
    }

    init(to: String, _ content: Content) {
        self.init(to: to, subject: content.subject, body: content.body)
    }
}
