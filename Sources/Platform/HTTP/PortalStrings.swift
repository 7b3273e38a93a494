import ReclaimCore
import WebSupport

/// Every text of the portal, in English and Italian. The messages of errors are here too,
/// as `error.CODE`, for every code the platform's surfaces can show.
enum PortalStrings {
    static let catalog = StringCatalog([
        "appName": .init(en: "Reclaim", it: "Reclaim"),
        "homeTitle": .init(
            en: "Get back into your video devices",
            it: "Riprendi l'accesso ai tuoi dispositivi video"),
        "homeIntro": .init(
            en: "Reclaim helps installers and owners recover a camera, DVR or NVR whose admin password is lost: securely, in minutes.",
            it:
                "Reclaim aiuta installatori e proprietari a ripristinare la password amministratore di una telecamera, un DVR o un NVR quando è andata persa: in modo sicuro, in pochi minuti."
        ),
        "homeRecover": .init(
            en: "Recover a device password with its reserved e-mail",
            it: "Ripristina la password di un dispositivo con la sua email riservata"),
        "homeRecoverHint": .init(
            en: "Hand in the QR code the device shows on its \"forgot password\" page; the code goes to the device's reserved address.",
            it:
                "Invia il codice QR che il dispositivo mostra nella pagina \"Password dimenticata\": il codice di verifica arriva all'indirizzo email riservato del dispositivo."
        ),
        // The sign-in page's title; "Accedi" is the action.
        "signInTitle": .init(en: "Sign in", it: "Accesso"),
        "signIn": .init(
            en: "Sign in",
            it: "Accedi"),
        "signUp": .init(
            en: "Sign up",
            it: "Registrati"),
        "email": .init(
            en: "E-mail address",
            it: "Indirizzo email"),
        "password": .init(
            en: "Password",
            it: "Password"),
        "name": .init(
            en: "Your name",
            it: "Il tuo nome"),
        "signInRefused": .init(
            en: "Wrong e-mail address or password, or the account is not confirmed yet.",
            it: "Indirizzo email o password errati, oppure l'account non è ancora confermato."),
        "signInPaused": .init(
            en: "Too many failed sign-ins. Try again after {until}.",
            it: "Troppi tentativi di accesso non riusciti. Riprova dopo le {until}."),
        "signUpTitle": .init(
            en: "Create an account",
            it: "Crea un account"),
        "signUpKind": .init(
            en: "I am",
            it: "Tipo di account"),
        "kindInstaller": .init(
            en: "an installer (for my company)",
            it: "Installatore (per la mia azienda)"),
        "kindOwner": .init(
            en: "a device owner",
            it: "Proprietario di un dispositivo"),
        "companyName": .init(
            en: "Company name (installers)",
            it: "Nome dell'azienda (installatori)"),
        "passwordRules": .init(
            en: "At least 15 characters; a few words make a good one. Common passwords are refused.",
            it: "Almeno 15 caratteri: qualche parola messa in fila è una buona password. Le password troppo comuni non sono accettate."),
        "signUpDone": .init(
            en: "Check your mailbox: we sent a message to {email} to finish signing up.",
            it: "Controlla la tua casella di posta: abbiamo inviato un messaggio a {email} per completare la registrazione."),
        "signUpLimited": .init(
            en: "Too many sign-ups from your network; try again in an hour.",
            it: "Troppe registrazioni dalla tua rete; riprova tra un'ora."),
        "confirmFailed": .init(
            en: "This confirmation link is not valid (any more). Sign up again to get a new one.",
            it: "Questo link di conferma non è valido o è scaduto. Registrati di nuovo per riceverne uno nuovo."),
        "dashboard": .init(
            en: "Dashboard",
            it: "Dashboard"),
        "welcome": .init(
            en: "Welcome, {name}",
            it: "Ciao, {name}"),
        "roleInstaller": .init(
            en: "Installer",
            it: "Installatore"),
        "roleOwner": .init(
            en: "Owner",
            it: "Proprietario"),
        "roleReviewer": .init(
            en: "Support reviewer",
            it: "Operatore del supporto tecnico"),
        "roleAdmin": .init(
            en: "Administrator",
            it: "Amministratore"),
        "company": .init(
            en: "Company",
            it: "Azienda"),
        "certified": .init(
            en: "Certified: your installers may open device password reset cases.",
            it: "Azienda autenticata: i tuoi installatori possono aprire casi di reimpostazione password dispositivo."),
        "notCertified": .init(
            en:
                "Not certified yet: only certified companies may open reset cases. Ask your distributor for a certification code and enter it here.",
            it:
                "Azienda non ancora autenticata: solo le aziende autenticate possono aprire casi di reimpostazione password. Chiedi il codice di autenticazione al tuo distributore e inseriscilo qui."
        ),
        "certificationCode": .init(en: "Certification code", it: "Codice di autenticazione"),
        "certifyWithCode": .init(en: "Certify my company", it: "Autentica la mia azienda"),
        "done.certified": .init(
            en: "Your company is certified: its installers may now open reset cases.",
            it: "La tua azienda è autenticata: i suoi installatori possono ora aprire casi di reimpostazione password."),
        "certifyWrongCode": .init(
            en: "This certification code does not work: check it with your distributor. Each code works once, for 30 days.",
            it:
                "Questo codice di autenticazione non funziona: verificalo con il tuo distributore. Ogni codice vale una sola volta, per 30 giorni."
        ),
        "certifyLimited": .init(
            en: "Too many wrong codes for your company; try again in an hour.",
            it: "Troppi codici errati per la tua azienda; riprova tra un'ora."),
        "roleDistributor": .init(en: "Distributor", it: "Distributore"),
        // The company page: colleagues, invitations, leaving.
        "companyTitle": .init(en: "Your company", it: "La tua azienda"),
        "companyNav": .init(en: "Company", it: "Azienda"),
        "membersCount": .counted(
            en: ("1 member", "{n} members"), it: ("1 persona", "{n} persone")),
        "memberSince": .init(en: "Since", it: "Dal"),
        "memberYou": .init(en: "you", it: "tu"),
        "inviteTitle": .init(en: "Invite a colleague", it: "Invita un collega"),
        "inviteHelp": .init(
            en: "They get a link by e-mail: it works once, for 7 days. They join with a new account, or sign in with the one they have.",
            it:
                "Riceverà un link via email: vale una sola volta, per 7 giorni. Per unirsi all'azienda crea un nuovo account o accede con quello che ha già."
        ),
        "inviteSubmit": .init(en: "Send the invitation", it: "Invia l'invito"),
        "invitationsPending": .init(en: "Invitations not yet accepted", it: "Inviti non ancora accettati"),
        "invitationExpires": .init(en: "Expires", it: "Scade il"),
        "invitationRevoke": .init(en: "Take back", it: "Annulla l'invito"),
        "leaveTitle": .init(en: "Leave the company", it: "Lascia l'azienda"),
        "leaveHelp": .init(
            en:
                "Its sites, cases and shares stay with the company and your colleagues. You keep your account, and can join another company when invited.",
            it:
                "Siti, casi e condivisioni restano all'azienda e ai tuoi colleghi. Il tuo account resta: potrai unirti a un'altra azienda quando ti invitano."
        ),
        "leaveConfirm": .init(
            en: "I understand that I lose access to the company's cases and sites.",
            it: "Ho capito che perdo l'accesso ai casi e ai siti dell'azienda."),
        "leaveSubmit": .init(en: "Leave the company", it: "Lascia l'azienda"),
        "leaveLastMemberHint": .init(
            en: "You are its only member: invite a colleague before you leave.",
            it: "Sei l'unica persona dell'azienda: invita un collega prima di lasciarla."),
        "leaveLastMember": .init(
            en: "You are the last member of {company}: invite a colleague first, so that someone answers for its sites and cases.",
            it:
                "Sei l'ultima persona di {company}: invita prima un collega, così qualcuno risponde dei suoi siti e dei suoi casi."
        ),
        "leaveConfirmMissing": .init(en: "Tick the box to confirm.", it: "Spunta la casella per confermare."),
        "noCompany": .init(en: "You belong to no company.", it: "Non fai parte di nessuna azienda."),
        "noCompanyHelp": .init(
            en: "Ask a colleague to invite you, then open the link in their e-mail; or start a company of your own.",
            it: "Chiedi a un collega di invitarti e apri il link della sua email, oppure crea una tua azienda."),
        "startCompanyMember": .init(
            en: "You belong to a company already: leave it first to start another.",
            it: "Fai già parte di un'azienda: lasciala prima di crearne un'altra."),
        "startCompany": .init(en: "Start a company", it: "Crea un'azienda"),
        "done.invited": .init(en: "The invitation is on its way.", it: "L'invito è stato inviato."),
        "done.invitationRevoked": .init(en: "The invitation no longer works.", it: "L'invito non è più valido."),
        "done.left": .init(en: "You left the company.", it: "Hai lasciato l'azienda."),
        "done.joined": .init(en: "You joined the company.", it: "Ora fai parte dell'azienda."),
        "done.companyStarted": .init(en: "Your company is created.", it: "La tua azienda è stata creata."),
        "invitationsLimited": .counted(
            en: (
                "Your company sent 1 invitation today; try again tomorrow.", "Your company sent {n} invitations today; try again tomorrow."
            ),
            it: ("La tua azienda ha inviato 1 invito oggi: riprova domani.", "La tua azienda ha inviato {n} inviti oggi: riprova domani.")),
        "error.alreadyColleague": .init(en: "{email} is already in your company.", it: "{email} fa già parte della tua azienda."),
        "invitationTitle": .init(en: "Invitation", it: "Invito"),
        "invitationIntro": .init(
            en: "{inviter} invites you to join {company} on Reclaim.", it: "{inviter} ti invita a unirti a {company} su Reclaim."),
        "invitationFor": .init(en: "Invitation for", it: "Invito per"),
        "invitationNewAccount": .init(
            en: "Choose your name and a password: your account is ready at once.",
            it: "Scegli il tuo nome e una password: il tuo account è subito pronto."),
        "invitationSignIn": .init(
            en: "This address has an account: sign in to join.", it: "Questo indirizzo ha già un account: accedi per unirti."),
        "invitationJoin": .init(en: "Join {company}", it: "Unisciti a {company}"),
        "invitationInvalid": .init(
            en: "This invitation does not work any more: ask your colleague for a new one. Each works once, for 7 days.",
            it: "Questo invito non è più valido: chiedine uno nuovo al tuo collega. Ogni invito vale una sola volta, per 7 giorni."),
        "invitationOtherAccount": .init(
            en: "This invitation is for {email}: sign out, then sign in with that address to accept it.",
            it: "Questo invito è per {email}: esci, poi accedi con quell'indirizzo per accettarlo."),
        "invitationNotInstaller": .init(
            en: "Only installer accounts join an installer company.",
            it: "Solo gli account da installatore possono unirsi a un'azienda installatrice."),
        "invitationLeaveFirst": .init(
            en: "You belong to {company}: leave it on your company's page first, then open the invitation again.",
            it: "Fai parte di {company}: prima lasciala dalla pagina della tua azienda, poi apri di nuovo l'invito."),
        // Owners' support tickets (an owner without an installer) and their desk pages.
        "ticketsNav": .init(en: "Tickets", it: "Ticket"),
        "ticketsTitle": .init(en: "Support tickets", it: "Ticket di supporto"),
        "ticketsIntro": .init(
            en:
                "Cannot get into a device and have no installer? Open a ticket: a support operator checks that the device is yours and gives you its reset code.",
            it:
                "Non riesci ad accedere a un dispositivo e non hai un installatore? Apri un ticket: un operatore del supporto tecnico verifica che il dispositivo sia tuo e ti dà il codice di reset."
        ),
        "ticketsNone": .init(en: "No tickets yet.", it: "Ancora nessun ticket."),
        "ticketNewTitle": .init(en: "Open a ticket", it: "Apri un ticket"),
        "ticketNewIntro": .init(
            en:
                "Export the device's QR code for a support case (its web page or the LAN tool: Forgot password → support), take a photo of its label, and attach the invoice or receipt.",
            it:
                "Esporta il codice QR del dispositivo per un caso di supporto (dalla sua pagina web o dallo strumento LAN: Password dimenticata → supporto), fotografa la sua etichetta e allega la fattura o lo scontrino."
        ),
        "ticketLimits": .init(
            en: "PDF, JPEG or PNG files, up to {megabytes} MB each.", it: "File PDF, JPEG o PNG, fino a {megabytes} MB ciascuno."),
        "ticketQR": .init(en: "Picture of the device's QR code", it: "Immagine del codice QR del dispositivo"),
        "ticketQRText": .init(en: "…or the QR code's text", it: "…oppure il testo del codice QR"),
        "ticketLabel": .init(en: "Photo of the device's label", it: "Foto dell'etichetta del dispositivo"),
        "ticketPurchase": .init(en: "Proof of purchase (invoice or receipt)", it: "Prova d'acquisto (fattura o scontrino)"),
        "ticketOnBehalf": .init(
            en: "I act for a client who owns the device", it: "Agisco per conto di un cliente proprietario del dispositivo"),
        "ticketOnBehalfShort": .init(en: "On behalf of a client", it: "Per conto di un cliente"),
        "ticketAuthorisation": .init(
            en: "The client's authorisation letter (when you act for a client)",
            it: "Lettera di autorizzazione del cliente (se agisci per conto di un cliente)"),
        "ticketNote": .init(en: "Anything the operator should know", it: "Informazioni utili per l'operatore"),
        "ticketSubmit": .init(en: "Open the ticket", it: "Apri il ticket"),
        "ticketTitle": .init(en: "Ticket for {serial}", it: "Ticket per {serial}"),
        "ticketDevice": .init(en: "Device", it: "Dispositivo"),
        "ticketStateLabel": .init(en: "State", it: "Stato"),
        "ticketUpdated": .init(en: "Last change", it: "Ultima modifica"),
        "ticketState.waiting-for-review": .init(en: "Waiting for the support operator", it: "In attesa dell'operatore"),
        "ticketState.waiting-for-owner": .init(en: "Waiting for the owner's answer", it: "In attesa della risposta del proprietario"),
        "ticketState.approved": .init(en: "Approved", it: "Approvato"),
        "ticketState.rejected": .init(en: "Rejected", it: "Rifiutato"),
        "ticketState.closed": .init(en: "Closed", it: "Chiuso"),
        "ticketStateHint.waiting-for-review": .init(
            en: "A support operator reads the ticket in working hours; you get an e-mail when something changes.",
            it: "Un operatore del supporto tecnico legge il ticket in orario di lavoro: ricevi un'email quando qualcosa cambia."),
        "ticketStateHint.waiting-for-owner": .init(
            en: "The support operator asked you something: answer below, with a file if needed.",
            it: "L'operatore del supporto tecnico ti ha chiesto qualcosa: rispondi qui sotto, con un file se serve."),
        "ticketStateHint.approved": .init(
            en: "Use the reset code on the device (its web page or the LAN tool), then close the ticket.",
            it: "Usa il codice di reset sul dispositivo (nella sua pagina web o con lo strumento LAN), poi chiudi il ticket."),
        "ticketStateHint.rejected": .init(
            en: "The support operator rejected the ticket for the reason below.",
            it: "L'operatore del supporto tecnico ha rifiutato il ticket per il motivo qui sotto."),
        "ticketStateHint.closed": .init(en: "The ticket is closed.", it: "Il ticket è chiuso."),
        "ticketDocuments": .init(en: "Documents", it: "Documenti"),
        "ticketFile.qr-code": .init(en: "QR code", it: "Codice QR"),
        "ticketFile.label-photo": .init(en: "Label photo", it: "Foto dell'etichetta"),
        "ticketFile.proof-of-purchase": .init(en: "Proof of purchase", it: "Prova d'acquisto"),
        "ticketFile.authorisation": .init(en: "Authorisation letter", it: "Lettera di autorizzazione"),
        "ticketFile.message": .init(en: "Attachment", it: "Allegato"),
        "ticketFileSize": .init(en: "{kilobytes} KB", it: "{kilobytes} kB"),
        "ticketFileDeletedShort": .init(en: "deleted", it: "eliminato"),
        "ticketFilesDeleted": .init(
            en: "The files were deleted when the retention period ended; their names stay as a record.",
            it: "I file sono stati eliminati alla fine del periodo di conservazione: ne restano i nomi."),
        "ticketMessages": .init(en: "Messages", it: "Messaggi"),
        "ticketNoMessages": .init(en: "No messages yet.", it: "Ancora nessun messaggio."),
        "ticketFromReviewer": .init(en: "support operator", it: "operatore del supporto tecnico"),
        "ticketFromOwner": .init(en: "owner", it: "proprietario"),
        "ticketAskOwner": .init(en: "Ask the owner for more", it: "Chiedi altre informazioni al proprietario"),
        "ticketWriteReviewer": .init(en: "Write to the support operator", it: "Scrivi all'operatore del supporto tecnico"),
        "ticketAttachment": .init(en: "Attach a file", it: "Allega un file"),
        "ticketSend": .init(en: "Send", it: "Invia"),
        "ticketClose": .init(en: "Close the ticket", it: "Chiudi il ticket"),
        "ticketOwner": .init(en: "Owner", it: "Proprietario"),
        "ticketRejectWhy": .init(en: "Why (the owner reads it)", it: "Motivo (lo legge il proprietario)"),
        "ticketResultKey": .init(
            en: "The reset code for your device: enter it on the device's web page or with the LAN tool.",
            it: "Il codice di reset del tuo dispositivo: inseriscilo nella sua pagina web o con lo strumento LAN."),
        "ticketResultFile": .init(
            en: "The reset file for your recorder: import it on the device's web page or with the LAN tool.",
            it: "Il file di reset del tuo videoregistratore: importalo nella sua pagina web o con lo strumento LAN."),
        "ticketDownloadFile": .init(en: "Download the reset file", it: "Scarica il file di reset"),
        "deskTickets": .init(en: "Owners' tickets", it: "Ticket dei proprietari"),
        "done.ticketOpened": .init(
            en: "Your ticket is open: a support operator will read it.",
            it: "Il ticket è aperto: un operatore del supporto tecnico lo leggerà."),
        "done.ticketSaved": .init(en: "Saved.", it: "Salvato."),
        "ticketWrongState": .init(en: "The ticket cannot change that way now.", it: "Ora il ticket non può cambiare così."),
        "ticketChallengeExpired": .init(
            en: "The device's QR code expired: ask the owner to export a new one and attach it.",
            it: "Il codice QR del dispositivo è scaduto: chiedi al proprietario di esportarne uno nuovo e di allegarlo."),
        "ticketRejectWhyMissing": .init(
            en: "Say why the ticket is rejected: the owner reads it.", it: "Scrivi il motivo del rifiuto: lo legge il proprietario."),
        "ticketFileNotAPicture": .init(
            en: "The QR code and the label must be JPEG or PNG pictures.",
            it: "Il codice QR e l'etichetta devono essere immagini JPEG o PNG."),
        "ticketFileMissing.qr-code": .init(
            en: "Attach the picture of the device's QR code, or paste its text.",
            it: "Allega l'immagine del codice QR del dispositivo, oppure incolla il suo testo."),
        "ticketFileMissing.label-photo": .init(
            en: "Attach a photo of the device's label.", it: "Allega una foto dell'etichetta del dispositivo."),
        "ticketFileMissing.proof-of-purchase": .init(
            en: "Attach the proof of purchase: the invoice or receipt.", it: "Allega la prova d'acquisto: la fattura o lo scontrino."),
        "ticketFileMissing.authorisation": .init(
            en: "You act for a client: attach the client's authorisation letter.",
            it: "Agisci per conto di un cliente: allega la sua lettera di autorizzazione."),
        "ticketFileMissing.message": .init(en: "Attach a file.", it: "Allega un file."),
        "ticketFileTooLarge": .init(
            en: "{name} is larger than {megabytes} MB: send a smaller copy.",
            it: "{name} supera {megabytes} MB: invia una copia più piccola."),
        "ticketFileKind": .init(en: "{name} is not a PDF, JPEG or PNG file.", it: "{name} non è un file PDF, JPEG o PNG."),
        "ticketFileDamaged": .init(
            en: "{name} is damaged or cut short: send it again.", it: "{name} è danneggiato o incompleto: invialo di nuovo."),
        "ticketFileActive": .init(
            en: "{name} contains active content (scripts or embedded files): print it to a plain PDF, or send a photo of it.",
            it: "{name} contiene contenuti attivi (script o file incorporati): stampalo in un PDF semplice, oppure invia una sua foto."),
        "ticketOwnersOnly": .init(
            en: "Only owners open tickets; installers open support cases.",
            it: "Solo i proprietari aprono ticket: gli installatori aprono casi di supporto."),
        "ticketNoQR": .init(en: "No QR code could be read in the picture.", it: "Nell'immagine non si legge nessun codice QR."),
        "ticketFileDeleted": .init(
            en: "This file was deleted when the ticket's retention period ended.",
            it: "Questo file è stato eliminato alla fine del periodo di conservazione del ticket."),
        "ticketNoResult": .init(en: "This ticket has no reset code to give.", it: "Questo ticket non ha un codice di reset da dare."),
        "ticketMessageEmpty": .init(en: "Write a message or attach a file.", it: "Scrivi un messaggio o allega un file."),
        // "ticket" and "file" do not change in the Italian plural: the number alone tells.
        "ticketsLimited": .counted(
            en: (
                "You opened 1 ticket today: try again tomorrow, or write on a ticket you opened.",
                "You opened {n} tickets today: try again tomorrow, or write on a ticket you opened."
            ),
            it: (
                "Oggi hai aperto 1 ticket: riprova domani, oppure scrivi su un ticket che hai già aperto.",
                "Oggi hai aperto {n} ticket: riprova domani, oppure scrivi su un ticket che hai già aperto."
            )),
        "ticketTooManyFiles": .counted(
            en: ("A ticket holds at most 1 file.", "A ticket holds at most {n} files."),
            it: ("Un ticket può contenere al massimo 1 file.", "Un ticket può contenere al massimo {n} file.")),
        "message.ticket.opened": .init(en: "An owner opened ticket {id}.", it: "Un proprietario ha aperto il ticket {id}."),
        "message.ticket.asked": .init(
            en: "The support operator wrote to you about ticket {id}.",
            it: "L'operatore del supporto tecnico ti ha scritto sul ticket {id}."),
        "message.ticket.answered": .init(en: "The owner wrote on ticket {id}.", it: "Il proprietario ha scritto sul ticket {id}."),
        "message.ticket.approved": .init(
            en: "Ticket {id} is approved: the reset code is ready.", it: "Il ticket {id} è approvato: il codice di reset è pronto."),
        "message.ticket.rejected": .init(en: "Ticket {id} was rejected.", it: "Il ticket {id} è stato rifiutato."),
        "message.ticket.closed": .init(en: "The owner closed ticket {id}.", it: "Il proprietario ha chiuso il ticket {id}."),
        "distributorTitle": .init(en: "Certification codes", it: "Codici di autenticazione"),
        "distributorIntro": .init(en: "Issue certification codes", it: "Genera codici di autenticazione"),
        "distributorHelp": .init(
            en:
                "Give a code to an installer company you vouch for: entered in its portal, it certifies the company. Each code works once, for 30 days.",
            it:
                "Consegna un codice a un'azienda installatrice di cui ti fidi: inserito nel suo portale, la rende un'azienda autenticata. Ogni codice vale una sola volta, per 30 giorni."
        ),
        "issueCode": .init(en: "Issue a new code", it: "Genera un nuovo codice"),
        "codeShownOnce": .init(
            en: "The new code, shown only now: copy it and give it to the company.",
            it: "Il nuovo codice, mostrato solo ora: copialo e consegnalo all'azienda."),
        "codesIssued": .init(en: "Codes issued", it: "Codici generati"),
        "codeHint": .init(en: "Code ends in", it: "Il codice termina con"),
        "codeIssued": .init(en: "Issued", it: "Generato il"),
        "codeExpires": .init(en: "Expires", it: "Scade il"),
        "codeState": .init(en: "State", it: "Stato"),
        "codeUnused": .init(en: "Not used yet", it: "Non ancora usato"),
        "codeExpired": .init(en: "Expired", it: "Scaduto"),
        "codeRedeemed": .init(en: "Used by {company} on {when}", it: "Usato da {company} il {when}"),
        "ownerIntro": .init(
            en: "Your sites and devices will be listed here.",
            it: "Qui compariranno i tuoi siti e dispositivi."),
        "companies": .init(
            en: "Installer companies",
            it: "Aziende installatrici"),
        "certify": .init(
            en: "Certify",
            it: "Autentica"),
        "recentActivity": .init(
            en: "Recent authority and account activity",
            it: "Attività recente dell'autorità di ripristino e degli account"),
        "auditHead": .counted(
            en: ("Audit log: 1 entry, head {head}", "Audit log: {n} entries, head {head}"),
            it: ("Registro di controllo: 1 voce, ultima {head}", "Registro di controllo: {n} voci, ultima {head}")),
        "auditColumnWhen": .init(en: "When", it: "Quando"),
        "auditColumnAction": .init(en: "Action (code)", it: "Azione (codice)"),
        "auditColumnSubject": .init(en: "About", it: "Riguarda"),
        "auditColumnActor": .init(en: "By", it: "Eseguita da"),
        "forgotLink": .init(en: "Forgot password?", it: "Password dimenticata?"),
        "forgotTitle": .init(en: "Forgot password", it: "Password dimenticata"),
        "forgotIntro": .init(
            en: "Give your account's e-mail address: we send it a link to choose a new password.",
            it: "Indica l'indirizzo email del tuo account: ti inviamo un link per scegliere una nuova password."),
        "forgotSubmit": .init(en: "Send the link", it: "Invia il link"),
        "forgotSent": .init(
            en: "If {email} has a Reclaim account, a link to choose a new password is on its way. It works once, for one hour.",
            it:
                "Se {email} ha un account Reclaim, è in arrivo un link per scegliere una nuova password. Funziona una sola volta, per un'ora."
        ),
        "forgotLimited": .init(
            en: "Too many requests from your network; try again in an hour.",
            it: "Troppe richieste dalla tua rete; riprova tra un'ora."),
        "resetLinkTitle": .init(en: "New password", it: "Nuova password"),
        "resetLinkSubmit": .init(en: "Set the new password", it: "Imposta la nuova password"),
        "resetLinkDone": .init(
            en: "Your new password is set, and every other sign-in has ended. Sign in with it.",
            it: "La nuova password è impostata e tutti gli altri accessi sono stati chiusi. Accedi con la nuova password."),
        "resetLinkInvalid": .init(
            en: "This link does not work: it was used already, replaced by a newer one, or is more than an hour old. Ask for a new one.",
            it:
                "Questo link non funziona: è già stato usato, ne è stato inviato uno più recente oppure ha più di un'ora. Chiedine uno nuovo."
        ),
        "newPassword": .init(en: "New password", it: "Nuova password"),
        "confirmPassword": .init(en: "New password again", it: "Ripeti la nuova password"),
        "compatTitle": .init(en: "Compatibility", it: "Compatibilità"),
        "compatIntro": .init(
            en: "Which recovery methods each model offers, by firmware, if its admin password is lost.",
            it: "Le modalità di ripristino offerte da ogni modello, per versione firmware, se perdi la password amministratore."),
        "compatFirmware": .init(en: "Firmware", it: "Versione firmware"),
        "compatPassword": .init(en: "Password rules", it: "Regole della password"),
        "compatYes": .init(en: "Yes", it: "Sì"),
        "compatEnrolled": .init(en: "Enrolled devices", it: "Dispositivi registrati"),
        "compatNo": .init(en: "No", it: "No"),
        "compatEnrolledHint": .init(
            en:
                "“Enrolled devices”: the method needs the device registered with the recovery authority at the factory. A device's own “Forgot password” page lists the methods it offers.",
            it:
                "“Dispositivi registrati”: la modalità richiede che il dispositivo sia stato registrato in fabbrica presso l'autorità di ripristino. La pagina “Password dimenticata” del dispositivo elenca le modalità che offre."
        ),
        "method.guidFile": .init(en: "GUID file", it: "Verifica file GUID"),
        "method.securityQuestions": .init(en: "Security questions", it: "Verifica domande di sicurezza"),
        "method.reservedEmail": .init(en: "Reserved e-mail", it: "Verifica tramite email riservata"),
        "method.supportCase": .init(en: "Support case (reset code or file)", it: "Caso di supporto online (codice o file di reset)"),
        "method.ownerApproval": .init(en: "Reset approved by the owner", it: "Reimpostazione approvata dal proprietario"),
        "kind.IPCamera": .init(en: "Network camera", it: "Telecamera di rete"),
        "kind.NVR": .init(en: "Network video recorder (NVR)", it: "Videoregistratore di rete (NVR)"),
        "kind.DVR": .init(en: "Digital video recorder (DVR)", it: "Videoregistratore digitale (DVR)"),
        "recoverTitle": .init(
            en: "Reserved e-mail recovery",
            it: "Ripristino password tramite email riservata"),
        "recoverIntro": .init(
            en:
                "On the device's web page or in the reclaim LAN tool choose \"Forgot password\" → \"Reserved e-mail\". Upload a picture of the QR code it shows, or paste the text under it.",
            it:
                "Nella pagina web del dispositivo o nello strumento LAN reclaim scegli \"Password dimenticata\" → \"Email riservata\". Carica una foto del codice QR che compare, oppure incolla il testo riportato sotto il codice."
        ),
        "recoverPicture": .init(
            en: "Picture of the QR code (PNG or JPEG)",
            it: "Foto del codice QR (PNG o JPEG)"),
        "recoverText": .init(
            en: "…or the text under the QR code",
            it: "…oppure il testo sotto il codice QR"),
        "recoverSubmit": .init(
            en: "Send the verification code",
            it: "Richiedi il codice di verifica"),
        "recoverReceived": .init(
            en:
                "Received. If the code is a valid recovery request from an enrolled device, a verification code is on its way to the device's reserved e-mail address. Enter it on the device with a new password.",
            it:
                "Ricevuto. Se il codice è una richiesta di ripristino valida di un dispositivo registrato, un codice di verifica è in arrivo all'indirizzo email riservato del dispositivo. Inseriscilo sul dispositivo insieme alla nuova password."
        ),
        "done.confirmed": .init(en: "Your account is confirmed. Sign in.", it: "Il tuo account è confermato. Accedi."),
        "recoverUnreadablePicture": .init(
            en: "No QR code could be read in this picture. Take it again, straight on and well lit, or paste the text under the code.",
            it:
                "In questa foto non si legge nessun codice QR. Scattala di nuovo, frontalmente e con una buona illuminazione, oppure incolla il testo riportato sotto il codice."
        ),
        "recoverPictureTooLarge": .init(
            en: "The picture is {size} pixels, more than this service reads; upload a smaller one (up to 40 megapixels).",
            it: "La foto è di {size} pixel, troppi per questo servizio: caricane una più piccola (fino a 40 megapixel)."),
        "sitesTitle": .init(en: "Sites and devices", it: "Siti e dispositivi"),
        "sitesIntro": .init(
            en: "Sites owners have shared with your company. Give owners your company code to share a site with you:",
            it:
                "I siti che i proprietari hanno condiviso con la tua azienda. Per farti condividere un sito, comunica al proprietario il codice della tua azienda:"
        ),
        "sitesNone": .init(en: "No site is shared with your company yet.", it: "Nessun sito è ancora condiviso con la tua azienda."),
        "deviceName": .init(en: "Device", it: "Dispositivo"),
        "deviceSerial": .init(en: "Serial number", it: "Numero di serie"),
        "deviceState": .init(en: "Status", it: "Stato"),
        "deviceOnline": .init(en: "Online", it: "Online"),
        "deviceOffline": .init(en: "Offline", it: "Offline"),
        "deviceSince": .init(en: "since", it: "dal"),
        "resetDevicePassword": .init(en: "Reset device password", it: "Reimposta password dispositivo"),
        "resetRequestsTitle": .init(en: "Password reset requests", it: "Richieste di reimpostazione password"),
        "resetAskTitle": .init(en: "Reset device password", it: "Reimposta password dispositivo"),
        "resetModeChoose": .init(en: "Where are you?", it: "Dove sei?"),
        "resetMode.off-site": .init(en: "Off-site", it: "Fuori sede"),
        "resetMode.on-site": .init(en: "On-site", it: "In sede"),
        "resetModeHint.off-site": .init(
            en: "Valid 24 hours. The owner approves from the device's network (their phone on the same Wi-Fi as the device).",
            it:
                "Valida 24 ore. Il proprietario approva dalla rete del dispositivo (con il telefono connesso alla stessa rete Wi-Fi del dispositivo)."
        ),
        "resetModeHint.on-site": .init(
            en: "Valid 5 minutes. You must be on the device's network now.",
            it: "Valida 5 minuti. Devi trovarti adesso sulla rete del dispositivo."),
        "resetAsk": .init(en: "Send the request to the owner", it: "Invia la richiesta al proprietario"),
        "resetRequestTitle": .init(en: "Password reset request", it: "Richiesta di reimpostazione password"),
        "resetSent": .init(
            en: "Request sent. The owner ({email}) approves it in the owner app.",
            it: "Richiesta inviata. Il proprietario ({email}) potrà approvarla nell'app."),
        "resetExpires": .init(en: "Expires on", it: "Scade il"),
        "resetCancel": .init(en: "Cancel the request", it: "Annulla la richiesta"),
        // Why a reset request ended without a change, by the code the device or platform gave.
        "resetFailure.not-approved": .init(
            en: "The owner did not answer in time.", it: "Il proprietario non ha risposto in tempo."),
        "resetFailure.offline": .init(
            en: "The device did not answer before the request expired.", it: "Il dispositivo non ha risposto prima della scadenza."),
        "resetFailure.not-sent": .init(
            en: "The platform could not send the command; ask again.",
            it: "La piattaforma non è riuscita a inviare il comando; invia di nuovo la richiesta."),
        "resetFailure.passwordRule": .init(
            en: "The device refused the new password: it breaks one of the device's password rules. Ask again with a stronger one.",
            it:
                "Il dispositivo ha rifiutato la nuova password: non rispetta una delle regole del dispositivo per le password. Invia una nuova richiesta con una password più robusta."
        ),
        "resetFailure.locked": .init(
            en: "The device is locked after too many failed attempts; ask again later.",
            it: "Il dispositivo si è bloccato dopo troppi tentativi non riusciti; invia di nuovo la richiesta più tardi."),
        "resetFailure.notActivated": .init(
            en: "The device is not activated: it has no password to reset. Activate it instead.",
            it: "Il dispositivo non è attivato: non ha una password da reimpostare. Procedi invece con l'attivazione."),
        "resetFailure.other": .init(
            en: "The device refused the command; ask again.", it: "Il dispositivo ha rifiutato il comando; invia di nuovo la richiesta."),
        "resetState.pending": .init(en: "Waiting for the owner", it: "In attesa del proprietario"),
        "resetState.approved": .init(
            en: "Approved: the device is taking the new password", it: "Approvata: il dispositivo sta ricevendo la nuova password"),
        "resetState.changed": .init(en: "Password changed", it: "Password cambiata"),
        "resetState.failed": .init(en: "Not changed", it: "Non cambiata"),
        "resetState.expired": .init(en: "Expired", it: "Scaduta"),
        "resetState.cancelled": .init(en: "Cancelled", it: "Annullata"),
        "resetState.declined": .init(en: "Refused by the owner", it: "Rifiutata dal proprietario"),
        "resetWho": .init(en: "Asked by", it: "Richiesta da"),
        "resetPolicy": .init(
            en: "The device asks for at least {length} characters; it checks its full rule again itself.",
            it: "Il dispositivo richiede almeno {length} caratteri e verifica comunque da sé tutte le sue regole."),
        "resetNewPassword": .init(en: "New password", it: "Nuova password"),
        "resetNewPasswordAgain": .init(en: "New password again", it: "Ripeti la nuova password"),
        "resetEncrypted": .init(
            en: "Your phone encrypts the password for the device itself: Reclaim passes it on without being able to read it.",
            it:
                "Il tuo telefono cifra la password in modo che solo il dispositivo possa decifrarla: Reclaim la inoltra senza poterla leggere."
        ),
        "resetNoCrypto": .init(
            en: "This browser cannot encrypt the password. Open the app in an up-to-date browser.",
            it: "Questo browser non riesce a cifrare la password. Apri l'app con un browser aggiornato."),
        "resetApprove": .init(en: "Approve", it: "Approva"),
        "resetDecline": .init(en: "Refuse", it: "Rifiuta"),
        "passwordsDiffer": .init(en: "The two passwords differ.", it: "Le due password non coincidono."),
        "appTitle": .init(en: "My devices", it: "I miei dispositivi"),
        "appServices": .init(en: "Services", it: "Servizi"),
        "appNoRequests": .init(en: "No request is waiting for you.", it: "Nessuna richiesta in attesa."),
        "appShares": .init(en: "Shared with", it: "Condiviso con"),
        "appRevoke": .init(en: "Revoke", it: "Revoca"),
        "appCompanyCode": .init(en: "Installer company code", it: "Codice dell'azienda installatrice"),
        "appMayReset": .init(en: "May ask to reset device passwords", it: "Può chiedere di reimpostare le password dei dispositivi"),
        "appShare": .init(en: "Share this site", it: "Condividi questo sito"),
        "appAddDevice": .init(en: "Add a device", it: "Aggiungi un dispositivo"),
        "appLabelCode": .init(en: "Verification code (on the label)", it: "Codice di verifica (sull'etichetta)"),
        "appSite": .init(en: "Site", it: "Sito"),
        "appNewSite": .init(en: "A new site", it: "Un nuovo sito"),
        "appNewSiteName": .init(en: "Name of the new site", it: "Nome del nuovo sito"),
        "appAdd": .init(en: "Add", it: "Aggiungi"),
        "done.deviceAdded": .init(en: "Device added.", it: "Dispositivo aggiunto."),
        "done.shared": .init(en: "Site shared.", it: "Sito condiviso."),
        "done.revoked": .init(
            en: "Share revoked: the company no longer sees the site.", it: "Condivisione revocata: l'azienda non vede più il sito."),
        "deviceNotShared": .init(
            en: "No device with this serial is shared with your company.",
            it: "Nessun dispositivo con questo numero di serie è condiviso con la tua azienda."),
        "resetDeviceOffline": .init(
            en: "The device is offline: an on-site reset needs it online.",
            it: "Il dispositivo è offline: una reimpostazione in sede richiede che sia online."),
        "resetNotOnSite": .init(
            en: "An on-site reset must be asked for from the device's network; you are on another one.",
            it: "Una reimpostazione in sede va richiesta dalla rete del dispositivo, ma ti trovi su un'altra rete."),
        "resetAlreadyPending": .init(
            en: "A password reset of this device is already waiting; cancel it first or wait for its answer.",
            it: "Una reimpostazione della password di questo dispositivo è già in attesa; annullala o attendi la risposta."),
        "resetSealedInvalid": .init(
            en: "The sealed password is not what the owner app sends.", it: "La password cifrata non è nel formato inviato dall'app."),
        "resetNotFound": .init(
            en: "No such request for your devices.", it: "Questa richiesta non esiste o non riguarda i tuoi dispositivi."),
        "resetNotPending": .init(
            en: "This request is no longer waiting for an answer.", it: "Questa richiesta non è più in attesa di risposta."),
        "resetNotOnDeviceNetwork": .init(
            en:
                "An off-site reset is approved from the device's network: connect your phone to the same network as the device and try again.",
            it:
                "Una reimpostazione fuori sede si approva dalla rete del dispositivo: collega il telefono alla stessa rete del dispositivo e riprova."
        ),
        "siteNameInvalid": .init(
            en: "Give the site a name of 1 to 80 characters.", it: "Dai al sito un nome da 1 a 80 caratteri."),
        "siteNotFound": .init(en: "No such site in your account.", it: "Questo sito non è nel tuo account."),
        "shareNotFound": .init(en: "No such share in your account.", it: "Questa condivisione non è nel tuo account."),
        "companyNotFound": .init(en: "No installer company has this code.", it: "Nessuna azienda installatrice ha questo codice."),
        "ownersOnly": .init(
            en: "Only owner accounts keep devices and sites.", it: "Solo gli account dei proprietari gestiscono dispositivi e siti."),
        "deviceAddThrottled": .init(
            en: "Too many wrong verification codes; try again within the hour.",
            it: "Troppi codici di verifica errati; riprova più tardi (il blocco dura al massimo un'ora)."),
        "deviceAddMismatch": .init(
            en: "The serial number and the verification code on the label do not match a device. Check both on the label.",
            it:
                "Il numero di serie e il codice di verifica dell'etichetta non corrispondono a un dispositivo. Controlla entrambi sull'etichetta."
        ),
        "deviceOwnedElsewhere": .init(
            en:
                "This device is already in another account. If it came to you second-hand, restore its factory settings, connect it to the internet, and claim it with \"Claim a second-hand device\": its owner is told and may object.",
            it:
                "Questo dispositivo è già in un altro account. Se l'hai avuto di seconda mano, esegui il ripristino delle impostazioni di fabbrica, collegalo a internet e richiedilo con \"Richiedi un dispositivo di seconda mano\": il proprietario viene avvisato e può opporsi."
        ),
        "done.accessSent": .init(
            en: "Authorisation request sent: the owner answers in the owner app.",
            it: "Richiesta di autorizzazione inviata: il proprietario risponderà nell'app."),
        "done.accessAccepted": .init(
            en: "Authorisation request accepted: the company sees the site.",
            it: "Richiesta di autorizzazione accettata: ora l'azienda vede il sito."),
        "done.accessDeclined": .init(en: "Authorisation request declined.", it: "Richiesta di autorizzazione rifiutata."),
        "done.claimSent": .init(
            en: "Claim sent: the current owner is told and may object; otherwise the device moves to you at the end of the grace period.",
            it:
                "Richiesta inviata: il proprietario attuale viene avvisato e può opporsi; altrimenti il dispositivo passa a te alla fine del periodo di attesa."
        ),
        "done.claimObjected": .init(en: "You objected: the device stays yours.", it: "Opposizione registrata: il dispositivo resta tuo."),
        "done.claimWithdrawn": .init(en: "Claim withdrawn.", it: "Richiesta ritirata."),
        "accessTitle": .init(en: "Authorisation requests", it: "Richieste di autorizzazione"),
        "accessAsk": .init(en: "Ask an owner for access", it: "Chiedi l'accesso a un proprietario"),
        "accessAskHint": .init(
            en: "The owner gets an authorisation request in the owner app and chooses the site to share.",
            it: "Il proprietario riceve una richiesta di autorizzazione nell'app e sceglie il sito da condividere."),
        "accessOwnerEmail": .init(en: "The owner's e-mail (owner app account)", it: "Email del proprietario (account dell'app)"),
        "accessNote": .init(en: "What the access is for", it: "A cosa serve l'accesso"),
        "accessSend": .init(en: "Send the request", it: "Invia la richiesta"),
        "accessAccept": .init(en: "Accept", it: "Accetta"),
        "accessDecline": .init(en: "Decline", it: "Rifiuta"),
        "accessState.pending": .init(en: "Waiting for the owner", it: "In attesa del proprietario"),
        "accessState.accepted": .init(en: "Accepted", it: "Accettata"),
        "accessState.declined": .init(en: "Declined", it: "Rifiutata"),
        "accessState.withdrawn": .init(en: "Withdrawn", it: "Ritirata"),
        "installersOnly": .init(
            en: "Only installer accounts send authorisation requests.",
            it: "Solo gli account installatore inviano richieste di autorizzazione."),
        "accessNoteInvalid": .init(
            en: "Say in 1 to 300 characters what the access is for.", it: "Scrivi in 1-300 caratteri a cosa serve l'accesso."),
        "accessOwnerUnknown": .init(
            en: "No owner account has this address: ask the owner for the address they sign in to the owner app with.",
            it: "Nessun account proprietario ha questo indirizzo: chiedi al proprietario l'indirizzo con cui accede all'app."),
        "accessNotFound": .init(
            en: "No such authorisation request for you.", it: "Questa richiesta di autorizzazione non esiste o non è rivolta a te."),
        "accessAnswered": .init(en: "This request was answered already.", it: "Hai già risposto a questa richiesta."),
        "claimTitle": .init(en: "Claim a second-hand device", it: "Richiedi un dispositivo di seconda mano"),
        "claimHint": .init(
            en:
                "For a device still in its previous owner's account: restore its factory settings and connect it to the internet first. The owner is told and may object during the grace period.",
            it:
                "Per un dispositivo ancora nell'account del proprietario precedente: prima esegui il ripristino delle impostazioni di fabbrica e collegalo a internet. Il proprietario viene avvisato e può opporsi durante il periodo di attesa."
        ),
        "claimSubmit": .init(en: "Claim it", it: "Richiedi"),
        "claimOnYours": .init(en: "Someone claims your device", it: "Qualcuno richiede il tuo dispositivo"),
        "claimYours": .init(en: "Your claim of", it: "La tua richiesta di"),
        "claimUntil": .init(en: "it moves on", it: "passaggio di proprietà il"),
        "claimObject": .init(en: "Object: keep the device", it: "Opponiti: tieni il dispositivo"),
        "claimWithdraw": .init(en: "Withdraw the claim", it: "Ritira la richiesta"),
        "claimNotNeeded": .init(
            en: "This device is in no other account: add it with \"Add device\".",
            it: "Questo dispositivo non è in un altro account: aggiungilo con \"Aggiungi dispositivo\"."),
        "claimNeedsFactoryReset": .init(
            en:
                "Restore the device's factory settings and connect it to the internet first: a claim needs the device itself, not yet activated, linked to Reclaim.",
            it:
                "Prima esegui il ripristino delle impostazioni di fabbrica e collega il dispositivo a internet: per la richiesta serve il dispositivo stesso, non ancora attivato e collegato a Reclaim."
        ),
        "claimPending": .init(
            en: "This device is already being claimed; wait for that claim to end.",
            it: "Per questo dispositivo c'è già una richiesta in corso; attendi che si concluda."),
        "claimNotFound": .init(en: "No such claim for you.", it: "Questa richiesta non esiste o non ti riguarda."),
        "claimEnded": .init(en: "This claim has ended already.", it: "Questa richiesta è già conclusa."),
        "labelPhotoUnreadable": .init(
            en:
                "The photo shows no label QR code that can be read: take it again, close and straight, or type the serial number and the code.",
            it:
                "Nella foto non si legge il codice QR dell'etichetta: scattala di nuovo, da vicino e di fronte, oppure inserisci il numero di serie e il codice di verifica."
        ),
        "appScanTitle": .init(en: "Forgot a device's password?", it: "Password del dispositivo dimenticata?"),
        "appScanHint": .init(
            en:
                "On the device: Forgot password → Reserved e-mail → the QR code. Scan it here: the verification code goes to the device's reserved e-mail only.",
            it:
                "Sul dispositivo: Password dimenticata → Email riservata → il codice QR. Scansionalo qui: il codice di verifica arriva solo all'email riservata del dispositivo."
        ),
        "appScanPhoto": .init(en: "Scan the QR code", it: "Scansiona il codice QR"),
        "appLabelPhoto": .init(en: "Photo of the label's QR code", it: "Foto del codice QR dell'etichetta"),
        "appLabelPhotoHint": .init(
            en: "Take a photo of the label, or type the serial number and the verification code below.",
            it: "Scatta una foto dell'etichetta, oppure inserisci qui sotto il numero di serie e il codice di verifica."),
        "historyTitle": .init(en: "Device history", it: "Storico del dispositivo"),
        "historyNone": .init(en: "Nothing yet.", it: "Ancora nessun evento."),
        "history.recovered": .init(en: "Password reset on the device: {method}", it: "Password reimpostata sul dispositivo: {method}"),
        "history.issued": .init(en: "Issued: {method}", it: "Emissione: {method}"),
        "history.claimed": .init(en: "Claimed as second-hand", it: "Richiesto come dispositivo di seconda mano"),
        "history.firmware-installed": .init(en: "Firmware updated to {method}", it: "Firmware aggiornato alla versione {method}"),
        "message.device.firmware-installed": .init(
            en: "The firmware of your device {id} was updated: see its history.",
            it: "Il firmware del tuo dispositivo {id} è stato aggiornato: guarda lo storico."),
        "history.reset-request": .init(
            en: "Reset request from {company}: {state}", it: "Richiesta di reimpostazione da {company}: {state}"),
        "message.device.recovered": .init(
            en: "The password of your device {id} was reset: see its history.",
            it: "La password del tuo dispositivo {id} è stata reimpostata: guarda lo storico."),
        "message.device.issued": .init(
            en: "A way to reset the password of your device {id} was issued: see its history.",
            it: "È stato emesso un mezzo per reimpostare la password del tuo dispositivo {id}: guarda lo storico."),
        "message.share.granted": .init(
            en: "A site was shared with your company ({id}).", it: "Un sito è stato condiviso con la tua azienda ({id})."),
        "message.share.revoked": .init(
            en: "A site is no longer shared with your company ({id}).", it: "Un sito non è più condiviso con la tua azienda ({id})."),
        "message.access.requested": .init(
            en: "An installer company sent you an authorisation request ({id}).",
            it: "Un'azienda installatrice ti ha inviato una richiesta di autorizzazione ({id})."),
        "message.access.declined": .init(
            en: "The owner declined your authorisation request ({id}).",
            it: "Il proprietario ha rifiutato la tua richiesta di autorizzazione ({id})."),
        "message.claim.started": .init(
            en: "A second-hand claim of a device began ({id}).",
            it: "È stata avviata una richiesta per un dispositivo di seconda mano ({id})."),
        "message.claim.moved": .init(
            en: "A claimed device moved to its new owner ({id}).", it: "Un dispositivo richiesto è passato al nuovo proprietario ({id})."),
        "message.claim.objected": .init(
            en: "The owner objected to the claim ({id}): the device stays.",
            it: "Il proprietario si è opposto alla richiesta ({id}): il dispositivo non cambia proprietario."),
        "message.claim.withdrawn": .init(en: "The claim {id} was withdrawn.", it: "La richiesta {id} è stata ritirata."),
        "caseInstallersOnly": .init(
            en: "Only installers of a company open support cases.",
            it: "Solo gli installatori di un'azienda possono aprire casi di supporto online."),
        "caseNotCertified": .init(
            en: "Your company is not certified yet: ask your distributor for the certification, then open the case.",
            it: "La tua azienda non è ancora autenticata: chiedi l'autenticazione al tuo distributore, poi apri il caso."),
        "caseNoticeMissing": .init(
            en: "Read and accept the notice before submitting.",
            it: "Prima di inviare, leggi la procedura e conferma di averne preso visione."),
        "casePhotoDamaged": .init(
            en: "The label photo is damaged or cut short: send it again.",
            it: "La foto dell'etichetta è danneggiata o incompleta: inviala di nuovo."),
        "casePhotoNotAPicture": .init(
            en: "The label photo must be a JPEG or PNG picture.",
            it: "La foto dell'etichetta deve essere un'immagine JPEG o PNG."),
        "caseBadChallenge": .init(
            en:
                "The device's code cannot be used: it may have expired, or the device is not one Reclaim knows. Export it again from the device.",
            it:
                "Il codice del dispositivo non è utilizzabile: potrebbe essere scaduto, o il dispositivo non è noto a Reclaim. Esportalo di nuovo dal dispositivo."
        ),
        "caseWrongPurpose": .init(
            en: "That QR code is for the reserved e-mail recovery; export the one for a support case.",
            it: "Quel codice QR serve per il ripristino tramite email riservata; esporta quello per il caso di supporto online."),
        "caseNoResult": .init(
            en: "This case has no reset code or file to give.",
            it: "Questo caso non ha un codice o un file di reset da consegnare."),
        "casePhotoMissing": .init(
            en: "Add a photo of the device's label.",
            it: "Aggiungi una foto dell'etichetta del dispositivo."),
        "caseChallengeMissing": .init(
            en: "Pick the device from the LAN list, or upload the QR code exported from it.",
            it: "Scegli il dispositivo dall'elenco LAN, oppure carica il codice QR esportato dal dispositivo."),
        "caseQRUnreadable": .init(
            en: "No device QR code could be read in that picture; upload the PNG the device or the LAN tool exported.",
            it:
                "In quell'immagine non si legge il codice QR di un dispositivo; carica il PNG esportato dal dispositivo o dallo strumento LAN."
        ),
        "casesTitle": .init(
            en: "Support cases",
            it: "Casi di supporto online"),
        "deskTitle": .init(
            en: "Reviewer desk",
            it: "Supporto tecnico: casi da esaminare"),
        "caseNew": .init(
            en: "New case: device password reset",
            it: "Nuovo caso: reimpostazione password dispositivo"),
        "caseState": .init(
            en: "Status",
            it: "Stato"),
        "caseAnyState": .init(
            en: "Any",
            it: "Tutti"),
        "caseFrom": .init(
            en: "From",
            it: "Dal"),
        "caseTo": .init(
            en: "To",
            it: "Al"),
        "caseFilter": .init(
            en: "Filter",
            it: "Filtra"),
        "caseId": .init(
            en: "Case ID",
            it: "ID caso"),
        "caseCreated": .init(
            en: "Created",
            it: "Data di creazione"),
        "caseDevice": .init(
            en: "Device",
            it: "Dispositivo"),
        "caseChannel": .init(
            en: "Device from",
            it: "Origine del dispositivo"),
        "caseNone": .init(
            en: "No cases yet.",
            it: "Ancora nessun caso."),
        "casePrevious": .init(
            en: "Previous",
            it: "Indietro"),
        "caseNext": .init(
            en: "Next",
            it: "Avanti"),
        "casePage": .init(
            en: "Page {page} of {pages} · {total} cases",
            it: "Pagina {page} di {pages} · Casi: {total}"),
        "caseNewIntro": .init(
            en:
                "Give the device's code and a photo of its label. A readable label is checked at once, at any hour; the reset code or file is ready within seconds.",
            it:
                "Indica il codice del dispositivo e una foto della sua etichetta. Un'etichetta leggibile viene controllata subito, a qualsiasi ora: il codice o il file di reset è pronto in pochi secondi."
        ),
        "channelLAN": .init(
            en: "LAN device",
            it: "Dispositivo LAN"),
        "channelLANHint": .init(
            en:
                "Picking the device from your LAN needs the helper on your computer: run reclaim helper --platform with this site's address. Until then, export the device's QR code with the LAN tool (reclaim export-qr) and upload it below.",
            it:
                "Per scegliere il dispositivo dalla tua LAN serve l'assistente sul tuo computer: avvia reclaim helper --platform con l'indirizzo di questo sito. Nel frattempo esporta il codice QR del dispositivo con lo strumento LAN (reclaim export-qr) e caricalo qui sotto."
        ),
        "channelOther": .init(
            en: "Other (QR code exported on site)",
            it: "Altro (codice QR esportato sul posto)"),
        "caseQR": .init(
            en: "The device's QR code (PNG)",
            it: "Il codice QR del dispositivo (PNG)"),
        "caseChallengeText": .init(
            en: "…or the text under it",
            it: "…oppure il testo sotto il codice"),
        "casePhoto": .init(
            en: "Photo of the device label",
            it: "Foto dell'etichetta del dispositivo"),
        "casePhotoHint": .init(
            en: "The whole label, sharp and straight on: serial number, verification code and QR code must be readable.",
            it: "Tutta l'etichetta, a fuoco e di fronte: numero di serie, codice di verifica e codice QR devono essere leggibili."),
        "caseNotice": .init(
            en:
                "The reset code or file lets whoever holds it set a new admin password on this device. Open a case only for a device you are authorised to service; every case is recorded with your name.",
            it:
                "Il codice o il file di reset permette a chi lo possiede di impostare una nuova password amministratore su questo dispositivo. Apri un caso solo per un dispositivo su cui hai l'autorizzazione a intervenire; ogni caso viene registrato con il tuo nome."
        ),
        "caseAcknowledge": .init(
            en: "I have read the procedure",
            it: "Ho preso visione della procedura"),
        "caseSubmit": .init(
            en: "Submit",
            it: "Invia"),
        "caseSent": .init(
            en: "Request sent",
            it: "Richiesta inviata"),
        "caseSentChecking": .init(
            en: "The label is being checked; this page shows the result in a few seconds.",
            it: "L'etichetta è in verifica: questa pagina mostra il risultato tra pochi secondi."),
        "caseSentDone": .init(
            en: "The label has been checked; the result is below.",
            it: "L'etichetta è stata verificata: trovi il risultato qui sotto."),
        "caseKeyTitle": .init(
            en: "Reset code",
            it: "Codice di reset"),
        "caseCopy": .init(
            en: "Copy",
            it: "Copia"),
        "caseCopied": .init(
            en: "Copied",
            it: "Copiato"),
        "caseCopyHint": .init(
            en: "Type it in the LAN tool's \"Forgot password\" or on the device's page.",
            it: "Inseriscilo in \"Password dimenticata\" nello strumento LAN o nella pagina del dispositivo."),
        "caseKeyUse": .init(
            en: "With the LAN tool, on the device's network:",
            it: "Con lo strumento LAN, sulla rete del dispositivo:"),
        "caseExpires": .init(
            en: "Expires on",
            it: "Scade il"),
        "caseFileTitle": .init(
            en: "Reset file",
            it: "File di reset"),
        "caseDownload": .init(
            en: "Download",
            it: "Scarica"),
        "caseFileUse": .init(
            en: "Import it with the LAN tool, on the device's network:",
            it: "Importalo con lo strumento LAN, sulla rete del dispositivo:"),
        "caseClose": .init(
            en: "Close case",
            it: "Chiudi caso"),
        "caseTitle": .init(
            en: "Case {id}",
            it: "Caso {id}"),
        "caseReviewBy": .init(
            en: "The label could not be checked automatically. A reviewer will look at it by {when} (working hours).",
            it:
                "Non è stato possibile verificare l'etichetta in automatico. Un operatore del supporto tecnico la esaminerà entro il {when} (in orario di lavoro)."
        ),
        "caseReviewSoon": .init(
            en: "A reviewer will look at it in working hours.",
            it: "Un operatore del supporto tecnico esaminerà il caso in orario di lavoro."),
        "caseChecking": .init(
            en: "Checking the label…",
            it: "Verifica dell'etichetta in corso…"),
        "deskEmpty": .init(
            en: "No case is waiting.",
            it: "Nessun caso in attesa."),
        "deskChallengeSays": .init(
            en: "The device's code says",
            it: "Secondo il codice del dispositivo"),
        "deskEnrollmentSays": .init(
            en: "The factory record says",
            it: "Secondo il registro di fabbrica"),
        "deskLabelRead": .init(
            en: "Read on the label",
            it: "Letto sull'etichetta"),
        "deskCode": .init(
            en: "Verification code",
            it: "Codice di verifica"),
        "deskExpires": .init(
            en: "Expires",
            it: "Scade"),
        "deskReused": .init(
            en: "The same photo came with case",
            it: "La stessa foto è stata inviata anche con il caso"),
        "deskApprove": .init(
            en: "Approve: issue the reset code or file",
            it: "Approva: emetti il codice o il file di reset"),
        "deskRejectReason": .init(
            en: "Reason",
            it: "Motivo"),
        "deskRejectText": .init(
            en: "For the installer (required with \"Other\")",
            it: "Per l'installatore (obbligatorio con \"Altro\")"),
        "deskReject": .init(
            en: "Reject",
            it: "Respingi"),
        "deskWaited": .init(
            en: "Waiting for {time} of working time",
            it: "In attesa da {time} (in orario di lavoro)"),
        "deskNotEnrolled": .init(
            en: "not enrolled",
            it: "non registrato"),
        "deskNothingRead": .init(
            en: "nothing",
            it: "niente"),
        "messagesTitle": .init(
            en: "Messages",
            it: "Messaggi"),
        "messagesNone": .init(
            en: "No messages.",
            it: "Nessun messaggio."),
        "duration": .init(
            en: "{hours} h {minutes} min",
            it: "{hours} h {minutes} min"),
        "done.approved": .init(
            en: "Approved: the installer has the reset code or file.",
            it: "Approvato: l'installatore ha il codice o il file di reset."),
        "done.rejected": .init(
            en: "Rejected: the installer reads why.",
            it: "Respinto: l'installatore vedrà il motivo."),
        "caseState.in-progress": .init(
            en: "In progress",
            it: "In corso"),
        "caseState.to-confirm": .init(
            en: "To confirm",
            it: "Da confermare"),
        "caseState.closed": .init(
            en: "Closed",
            it: "Chiuso"),
        "caseState.rejected": .init(
            en: "Rejected",
            it: "Respinto"),
        "channel.lan-device": .init(
            en: "LAN device",
            it: "Dispositivo LAN"),
        "channel.other-network": .init(
            en: "Other",
            it: "Altro"),
        "reject.label-of-another-device": .init(
            en: "The label in the photo is of another device.",
            it: "L'etichetta nella foto è di un altro dispositivo."),
        "reject.verification-code-mismatch": .init(
            en: "The verification code on the label is not this device's.",
            it: "Il codice di verifica sull'etichetta non è quello di questo dispositivo."),
        "reject.label-not-visible": .init(
            en: "The label cannot be read in the photo.",
            it: "Nella foto l'etichetta non si legge."),
        "reject.photo-not-of-the-device": .init(
            en: "The photo does not show the device's label.",
            it: "La foto non mostra l'etichetta del dispositivo."),
        "reject.suspected-fraud": .init(
            en: "The request cannot be accepted.",
            it: "La richiesta non può essere accettata."),
        "reject.other": .init(
            en: "Other:",
            it: "Altro:"),
        "close.by-installer": .init(
            en: "Closed by the installer.",
            it: "Chiuso dall'installatore."),
        "close.result-expired": .init(
            en: "Closed by itself: the reset code or file expired.",
            it: "Chiuso automaticamente: il codice o il file di reset è scaduto."),
        "close.challenge-expired": .init(
            en: "Closed by itself: the device's code expired before the case was decided. Open a new case with a fresh code.",
            it: "Chiuso automaticamente: il codice del dispositivo è scaduto prima della decisione. Apri un nuovo caso con un codice nuovo."
        ),
        "review.unreadable-label": .init(
            en: "Label not readable",
            it: "Etichetta non leggibile"),
        "review.photo-reused": .init(
            en: "Photo sent for another device too",
            it: "Foto inviata anche per un altro dispositivo"),
        "message.reset.requested": .init(
            en: "An installer asks to reset the password of a device of yours ({id}).",
            it: "Un installatore chiede di reimpostare la password di un tuo dispositivo ({id})."),
        "message.reset.sent": .init(
            en: "Password reset request {id} sent to the owner.", it: "Richiesta di reimpostazione {id} inviata al proprietario."),
        "message.reset.approved": .init(
            en: "Request {id} approved: the device is taking the new password.",
            it: "Richiesta {id} approvata: il dispositivo sta ricevendo la nuova password."),
        "message.reset.changed": .init(
            en: "Request {id}: the device password was changed.", it: "Richiesta {id}: la password del dispositivo è stata cambiata."),
        "message.reset.failed": .init(
            en: "Request {id}: the device did not take the new password.",
            it: "Richiesta {id}: il dispositivo non ha accettato la nuova password."),
        "message.reset.expired": .init(en: "Request {id} expired: nothing changed.", it: "Richiesta {id} scaduta: non è cambiato nulla."),
        "message.reset.declined": .init(
            en: "Request {id} was refused by the owner.", it: "La richiesta {id} è stata rifiutata dal proprietario."),
        "message.reset.cancelled": .init(
            en: "Request {id} was cancelled by the installer.", it: "La richiesta {id} è stata annullata dall'installatore."),
        "message.opened": .init(
            en: "Case {id} opened: the label is being checked.",
            it: "Caso {id} aperto: l'etichetta è in verifica."),
        "message.waiting-for-review": .init(
            en: "Case {id} waits for a reviewer.",
            it: "Il caso {id} è in attesa di un operatore del supporto tecnico."),
        "message.to-confirm": .init(
            en: "Case {id}: the reset code or file is ready.",
            it: "Caso {id}: il codice o il file di reset è pronto."),
        "message.rejected": .init(
            en: "Case {id} was rejected.",
            it: "Il caso {id} è stato respinto."),
        "message.closed": .init(
            en: "Case {id} is closed.",
            it: "Il caso {id} è chiuso."),
        "helperStart": .init(
            en: "Start the helper on this computer, on the device's network:",
            it: "Avvia l'assistente su questo computer, sulla rete del dispositivo:"),
        "helperPairing": .init(
            en: "When it asks, type this pairing code:",
            it: "Quando lo chiede, inserisci questo codice di abbinamento:"),
        "helperMissing": .init(
            en: "The helper does not answer yet: start it as shown above.",
            it: "L'assistente non risponde ancora: avvialo come indicato sopra."),
        "helperUnpaired": .init(
            en: "The helper answers but is not paired with this page: type the pairing code shown above into it.",
            it: "L'assistente risponde ma non è abbinato a questa pagina: inserisci il codice di abbinamento indicato sopra."),
        "helperNotFound": .init(
            en: "The helper no longer finds this device on your LAN: check that it is on and connected, then choose it again.",
            it: "L'assistente non trova più questo dispositivo nella tua LAN: controlla che sia acceso e collegato, poi sceglilo di nuovo."),
        "helperNoAnswer": .init(
            en: "The device did not answer the helper: check that it is on this LAN, then choose it again.",
            it: "Il dispositivo non ha risposto all'assistente: controlla che sia in questa LAN, poi sceglilo di nuovo."),
        "helperLocked": .init(
            en: "The device is locked after too many failed attempts: wait a few minutes, then choose it again.",
            it: "Il dispositivo è bloccato dopo troppi tentativi falliti: attendi qualche minuto, poi sceglilo di nuovo."),
        "helperNoChallenge": .init(
            en: "The device did not give its QR code: export it on site and upload it below instead.",
            it: "Il dispositivo non ha fornito il suo codice QR: esportalo in sede e caricalo qui sotto."),
        "helperFound": .init(
            en: "Devices on your LAN:",
            it: "Dispositivi nella tua LAN:"),
        "helperChoose": .init(
            en: "Choose",
            it: "Scegli"),
        "helperSearch": .init(
            en: "Search by part of the serial number",
            it: "Cerca per parte del numero di serie"),
        "helperPicked": .init(
            en: "Chosen device:",
            it: "Dispositivo scelto:"),
        "caseWrongState": .init(
            en: "This case no longer allows that; reload the page to see where it stands.",
            it: "Questo caso non lo consente più; ricarica la pagina per vedere a che punto è."),
        "caseRejectNeedsText": .init(
            en: "Say why the case is rejected: the installer reads it.",
            it: "Scrivi perché respingi il caso: l'installatore lo leggerà."),
        "recoverBusy": .init(
            en: "The service is busy reading other pictures; try again in a minute.",
            it: "Il servizio sta leggendo altre foto; riprova tra un minuto."),
        "recoverLimited": .init(
            en: "Too many recovery codes were handed in from your network; try again in an hour.",
            it: "Dalla tua rete sono stati consegnati troppi codici di ripristino; riprova tra un'ora."),
        "recoverNothing": .init(
            en: "Upload a picture of the QR code the device shows, or paste the text under it.",
            it: "Carica una foto del codice QR mostrato dal dispositivo, oppure incolla il testo riportato sotto il codice."),
        "recoverNotReclaim": .init(
            en:
                "This is not a Reclaim recovery code: the text under the device's QR code starts with {prefix}. Export it again from the device's \"forgot password\" page.",
            it:
                "Questo non è un codice di ripristino Reclaim: il testo sotto il codice QR del dispositivo inizia con {prefix}. Esportalo di nuovo dalla pagina \"Password dimenticata\" del dispositivo."
        ),
        "recoverTooLong": .init(
            en: "The code is longer than any a device exports; paste only the text under the QR code.",
            it: "Il codice è più lungo di qualunque codice esportato da un dispositivo; incolla solo il testo sotto il codice QR."),
        "error.notAnAddress": .init(en: "{email} is not an e-mail address.", it: "{email} non è un indirizzo email valido."),
        "error.nameLength": .init(en: "Give a name of 1 to 100 characters.", it: "Indica un nome da 1 a 100 caratteri."),
        "error.companyMissing": .init(
            en: "An installer belongs to a company: give the company's name.",
            it: "Un installatore appartiene a un'azienda: indica il nome dell'azienda."),
        // One text per error code of the platform, for pages in a language the reason is not in.
        "error.invalidInput": .init(
            en: "Something in the request is missing or wrong.", it: "Nella richiesta manca qualcosa o qualcosa non è corretto."),
        "error.unauthorized": .init(en: "Sign in first.", it: "Accedi per continuare."),
        "error.forbidden": .init(en: "Your account may not do this.", it: "Il tuo account non ha il permesso di farlo."),
        "error.notFound": .init(en: "Nothing here.", it: "Qui non c'è niente."),
        "error.conflict": .init(
            en: "This exists already, or it changed meanwhile.", it: "Esiste già, oppure è cambiato nel frattempo."),
        "error.throttled": .init(en: "Too many requests; try again later.", it: "Troppe richieste; riprova più tardi."),
        "error.unreadableUpload": .init(en: "The file could not be read.", it: "Impossibile leggere il file."),
        "error.uploadTooLarge": .init(en: "The file is too large.", it: "Il file è troppo grande."),
        "error.badEnrollment": .init(
            en: "The enrollment record cannot be taken.", it: "Il record di registrazione del dispositivo non può essere accettato."),
        "error.databaseURL": .init(
            en: "The server's database is not set up right.", it: "Il database del server non è configurato correttamente."),
        "error.databaseUnreachable": .init(
            en: "The server's database does not answer; try again in a moment.",
            it: "Il database del server non risponde; riprova tra poco."),
        "error.migration": .init(
            en: "The server's database could not be updated.", it: "Non è stato possibile aggiornare il database del server."),
        "error.keyStore": .init(en: "The server's keys cannot be read.", it: "Impossibile leggere le chiavi del server."),
        "error.mailFailed": .init(
            en: "The message could not be sent; try again later.", it: "Non è stato possibile inviare il messaggio; riprova più tardi."),
        "error.badSetting": .init(en: "The server is not set up right.", it: "Il server non è configurato correttamente."),
        "error.internal": .init(
            en: "Something went wrong on the server; nothing was changed. Try again.",
            it: "Qualcosa è andato storto sul server; non è cambiato nulla. Riprova."),
        "error.malformedInput": .init(
            en: "This code cannot be read: check that it was copied whole.",
            it: "Questo codice non si può leggere: controlla di averlo copiato per intero."),
        "error.unsupportedVersion": .init(
            en: "This code comes from a newer version; update Reclaim.",
            it: "Questo codice viene da una versione più recente; aggiorna Reclaim."),
        "error.passwordRule": .init(en: "The password breaks a rule.", it: "La password non rispetta una delle regole."),
        "error.unknownKey": .init(
            en: "This code was made for another recovery authority.",
            it: "Questo codice è stato creato per un'altra autorità di ripristino."),
        "error.signatureInvalid": .init(en: "This code's signature does not verify.", it: "La firma di questo codice non è valida."),
        "error.wrongDevice": .init(en: "This code belongs to another device.", it: "Questo codice appartiene a un altro dispositivo."),
        "error.notEnrolled": .init(
            en: "This device is not enrolled with this recovery authority.",
            it: "Questo dispositivo non è registrato presso questa autorità di ripristino."),
        "error.unknownChallenge": .init(
            en: "No request of the device matches: export a new QR code.",
            it: "Nessuna richiesta del dispositivo corrisponde: esporta un nuovo codice QR."),
        "error.challengeExpired": .init(
            en: "This request has expired: export a new QR code.", it: "Questa richiesta è scaduta: esporta un nuovo codice QR."),
        "error.wrongCredential": .init(en: "That did not match.", it: "Non corrisponde."),
        "error.wrongPurpose": .init(en: "This code was made for another purpose.", it: "Questo codice è stato creato per un altro scopo."),
        "error.unsupported": .init(en: "This is not available here.", it: "Questa funzione non è disponibile qui."),
    ])
}
