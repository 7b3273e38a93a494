import Foundation
import ReclaimCore

/// The texts of the messages the platform sends, in English and Italian.
enum MailTemplates {
    /// The verification code for a reserved-e-mail recovery. The authority does not know
    /// the reader's language, so the message carries both.
    static func verificationCode(code: String, serial: String, model: String, expires: Date) -> MailMessage.Content {
        let until = expires.formatted(.iso8601)
        return MailMessage.Content(
            subject: "Reclaim: verification code for \(model) \(serial) / codice di verifica",
            body: """
                Someone asked to reset the admin password of device \(model), serial \(serial),
                with this address, the device's reserved e-mail.

                Verification code: \(code)

                Enter it on the device (its web page or the reclaim LAN tool) with a new
                password before \(until). It works once, for the QR code exported just now.
                If you did not ask for it, ignore this message: nothing changes without the code.

                --

                È stato chiesto di reimpostare la password di amministratore del dispositivo
                \(model), numero di serie \(serial), con questo indirizzo, l'e-mail riservata
                del dispositivo.

                Codice di verifica: \(code)

                Inseriscilo sul dispositivo (pagina web o strumento LAN reclaim) insieme a una
                nuova password entro \(until). Vale una sola volta, per il codice QR appena
                esportato. Se non l'hai chiesto tu, ignora questo messaggio: senza il codice
                non cambia nulla.
                """)
    }

    static func confirmSignUp(link: String, language: Language) -> MailMessage.Content {
        switch language {
        case .italian:
            MailMessage.Content(
                subject: "Reclaim: conferma il tuo account",
                body: """
                    Per completare la registrazione a Reclaim apri questo collegamento entro 24 ore:

                    \(link)

                    Se non ti sei registrato tu, ignora questo messaggio.
                    """)
        case .english:
            MailMessage.Content(
                subject: "Reclaim: confirm your account",
                body: """
                    To finish signing up to Reclaim, open this link within 24 hours:

                    \(link)

                    If you did not sign up, ignore this message.
                    """)
        }
    }

    /// Sent instead of a confirmation when the address already has an account, so the
    /// sign-up page can answer the same either way.
    static func alreadyRegistered(signIn: String, language: Language) -> MailMessage.Content {
        switch language {
        case .italian:
            MailMessage.Content(
                subject: "Reclaim: hai già un account",
                body: """
                    Qualcuno ha provato a registrarsi a Reclaim con questo indirizzo, che ha già un account.
                    Accedi qui: \(signIn)

                    Se non sei stato tu, ignora questo messaggio.
                    """)
        case .english:
            MailMessage.Content(
                subject: "Reclaim: you already have an account",
                body: """
                    Someone tried to sign up to Reclaim with this address, which already has an account.
                    Sign in here: \(signIn)

                    If it was not you, ignore this message.
                    """)
        }
    }
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
