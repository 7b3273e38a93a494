import DeviceAgent
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReclaimCore
import ReclaimQR
import ReclaimTestSupport
import Testing
import WebSupport

@testable import Platform
@testable import QRReader

/// A small PDF as an invoice scanner writes one.
let invoicePDF = Array(
    """
    %PDF-1.4
    1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
    2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
    trailer << /Root 1 0 R >>
    %%EOF

    """.utf8)

/// The rules of an owner's ticket, state by state.
@Suite struct OwnerTicketTests {
    static func ticket(expires: Int64 = 10_000) -> OwnerTicket {
        OwnerTicket(
            id: "tk_1", ownerId: "ac_owner", serial: "DS-1", model: "DS-2CD2386G2-IU", challenge: "RC1:…", challengeExpiresAt: expires,
            onBehalfOfClient: false, now: 100)
    }

    @Test func aQuestionWaitsForTheOwnerAndTheAnswerPutsTheTicketBackInLine() throws {
        var ticket = Self.ticket()
        #expect(try ticket.reviewerWrites(reviewer: "ac_rev", now: 200) == .init(event: "asked", tell: .owner))
        #expect(ticket.state == .waitingForOwner)
        #expect(try ticket.ownerWrites(now: 300) == .init(event: "answered", tell: .reviewers))
        #expect(ticket.state == .waitingForReview && ticket.updatedAt == 300)
    }

    @Test func approvalIssuesOnceAndOnlyWhileTheChallengeLives() throws {
        var expired = Self.ticket(expires: 150)
        #expect(throws: PlatformError.conflict) { try expired.approve(reviewer: "r", now: 200) }
        var ticket = Self.ticket()
        #expect(try ticket.approve(reviewer: "r", now: 200).issues)
        #expect(ticket.state == .approved && ticket.decidedAt == 200)
        #expect(throws: PlatformError.conflict) { try ticket.approve(reviewer: "r", now: 201) }
        #expect(throws: PlatformError.conflict) { try ticket.reject(reviewer: "r", text: "no", now: 201) }
        // The owner may still write (it did not work?), the reviewer answer, and the owner close it.
        _ = try ticket.ownerWrites(now: 202)
        #expect(ticket.state == .approved)
        #expect(try ticket.reviewerWrites(reviewer: "r", now: 203) == .init(event: "asked", tell: .owner))
        #expect(ticket.state == .approved, "an answer after the approval takes nothing back")
        _ = try ticket.close(now: 203)
        #expect(ticket.state == .closed)
    }

    @Test func aRejectionSaysWhyAndEndsTheTicket() throws {
        var ticket = Self.ticket()
        #expect(throws: PlatformError.invalidInput) { try ticket.reject(reviewer: "r", text: "  ", now: 200) }
        _ = try ticket.reject(reviewer: "r", text: "The invoice names another serial.", now: 200)
        #expect(ticket.state == .rejected && ticket.rejectText == "The invoice names another serial.")
        for state in OwnerTicket.State.allCases where state.isFinal {
            #expect(state == .rejected || state == .closed)
        }
        #expect(throws: PlatformError.conflict) { try ticket.ownerWrites(now: 201) }
        #expect(throws: PlatformError.conflict) { try ticket.reviewerWrites(reviewer: "r", now: 201) }
        #expect(throws: PlatformError.conflict) { try ticket.close(now: 201) }
    }

    @Test func filesAreDueOnlyAfterTheRetentionOfATicketThatEnded() throws {
        var ticket = Self.ticket()
        #expect(!ticket.filesAreDue(retention: 10, now: 1_000_000), "an open ticket keeps its files")
        _ = try ticket.reject(reviewer: "r", text: "no", now: 200)
        #expect(!ticket.filesAreDue(retention: 100, now: 299))
        #expect(ticket.filesAreDue(retention: 100, now: 300))
        ticket.filesDeleted(now: 300)
        #expect(!ticket.filesAreDue(retention: 100, now: 400))
    }
}

/// What a ticket takes as a file.
@Suite struct UploadedDocumentTests {
    /// A device label as a PNG: a real picture to upload, and one to photograph.
    static func labelPNG() throws -> [UInt8] {
        LabelArtwork(
            payload: LabelPayload(
                serial: try #require(SerialNumber("DS-2CD2386G2-IU0120240101CCWR123456789")), verificationCode: "ABCDEF",
                model: "DS-2CD2386G2-IU"),
            kind: .ipCamera, mac: "C2-52-C5-16-D0-EC"
        ).png()
    }

    @Test func takesWholePDFsJPEGsAndPNGsByTheirBytes() throws {
        #expect(try UploadedDocument.scan(invoicePDF, limit: 1 << 20).get() == .pdf)
        let png = try Self.labelPNG()
        #expect(try UploadedDocument.scan(png, limit: 1 << 20).get() == .png)
        #expect(UploadedDocument.scan(Array(png.dropLast(5)), limit: 1 << 20) == .failure(.damaged), "a cut PNG")
        #expect(UploadedDocument.scan(png + [0x41], limit: 1 << 20) == .failure(.damaged), "something glued after IEND")
        // SOI, a segment, SOS and its data (FF 00 is data), EOI.
        let smallest: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xDA, 0, 2, 0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]
        #expect(UploadedDocument.scan(smallest, limit: 100) == .success(.jpeg))
        #expect(
            UploadedDocument.scan([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0xFF, 0xD9], limit: 100) == .failure(.damaged), "a segment past the end"
        )
        #expect(UploadedDocument.scan(Array("GIF89a....".utf8), limit: 100) == .failure(.notADocument))
        #expect(UploadedDocument.scan(Array("<html><script>".utf8), limit: 100) == .failure(.notADocument))
        #expect(UploadedDocument.scan([], limit: 100) == .failure(.empty))
        #expect(UploadedDocument.scan(invoicePDF, limit: 100) == .failure(.tooLarge(limit: 100)))
    }

    /// A file keeps the name the owner's browser gave it ("fattura.pdf"; cleaned when
    /// kept, below); text fields have none.
    @Test func aFormKeepsTheNameTheBrowserGaveEachFile() {
        let body =
            "--B\r\nContent-Disposition: form-data; name=\"purchase\"; filename=\"fattura marzo.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            + String(decoding: invoicePDF, as: UTF8.self)
            + "\r\n--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nciao\r\n--B--\r\n"
        let form = SubmittedForm.parse(Array(body.utf8), contentType: "multipart/form-data; boundary=B", fileFields: ["purchase"])
        #expect(form.files["purchase"] == invoicePDF)
        #expect(form.fileNames == ["purchase": "fattura marzo.pdf"])
        #expect(form["note"] == "ciao")
    }

    /// A phone's photo is whole to its EOI; what a phone appends after it (a motion photo's
    /// video, padding) is accepted and left out of what is kept; a cut one is damaged.
    @Test func aPhotoIsWholeToItsEndAndKeptWithoutWhatFollowsIt() throws {
        let label = try Self.labelPNG()
        let jpeg = try cameraJPEG(try GreyPicture(decoding: label))
        #expect(UploadedDocument.scan(jpeg, limit: 1 << 22) == .success(.jpeg))
        #expect(UploadedDocument.kept(jpeg, kind: .jpeg) == jpeg)
        let motionPhoto = jpeg + [0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 0xFF, count: 64)
        #expect(UploadedDocument.scan(motionPhoto, limit: 1 << 22) == .success(.jpeg))
        #expect(UploadedDocument.kept(motionPhoto, kind: .jpeg) == jpeg)
        #expect(UploadedDocument.kept(jpeg + [0, 0, 0], kind: .jpeg) == jpeg)
        #expect(UploadedDocument.scan(Array(jpeg.prefix(jpeg.count / 2)), limit: 1 << 22) == .failure(.damaged))
        #expect(UploadedDocument.scan(Array(jpeg.dropLast(2)), limit: 1 << 22) == .failure(.damaged))
    }

    @Test func refusesPDFsThatWouldActWhenOpenedHoweverTheyWriteIt() {
        func pdf(_ body: String) -> [UInt8] { Array("%PDF-1.7\n\(body)\n%%EOF\n".utf8) }
        #expect(
            UploadedDocument.scan(pdf("<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"), limit: 1 << 20)
                == .failure(.activeContent("/JavaScript")))
        #expect(
            UploadedDocument.scan(pdf("<< /S /Java#53cript >>"), limit: 1 << 20) == .failure(.activeContent("/JavaScript")),
            "an escaped name")
        #expect(UploadedDocument.scan(pdf("<< /Type /EmbeddedFile >>"), limit: 1 << 20) == .failure(.activeContent("/EmbeddedFile")))
        #expect(UploadedDocument.scan(pdf("<< /S /Launch /F (calc.exe) >>"), limit: 1 << 20) == .failure(.activeContent("/Launch")))
        #expect(UploadedDocument.scan(pdf("<< /JSONish 1 >>"), limit: 1 << 20) == .success(.pdf), "a longer name is not /JS")
        #expect(UploadedDocument.scan(Array("%PDF-1.7\n<< >>\n".utf8), limit: 1 << 20) == .failure(.damaged), "no %%EOF: cut short")
    }

    @Test func namesAreSafeForAHeaderAndCarryTheRealExtension() {
        #expect(UploadedDocument.safeName("fattura marzo.pdf", kind: .pdf) == "fattura_marzo.pdf")
        #expect(UploadedDocument.safeName("../../etc/passwd", kind: .png) == "passwd.png")
        #expect(UploadedDocument.safeName("evil\".html", kind: .jpeg) == "evil_.jpg")
        #expect(UploadedDocument.safeName("", kind: .pdf) == "document.pdf")
    }
}

/// Owners' tickets through the service and the pages' routes.
@Suite struct TicketTests {
    /// An owner, a reviewer and an activated device with a support-case challenge.
    static func setUp(_ platform: TestPlatform) async throws -> (owner: Account, reviewer: Account, device: Device, challenge: String) {
        let owner = try await platform.account(.owner, email: "olga@example.com")
        let reviewer = try await platform.account(.reviewer, email: "rita@example.com")
        let (device, challenge) = try await CaseFlowTests.device(platform)
        return (owner, reviewer, device, challenge)
    }

    static func opening(_ device: Device, _ challenge: String, onBehalf: Bool = false, letter: [UInt8] = []) -> OwnerTickets.Opening {
        OwnerTickets.Opening(
            challenge: challenge, labelPhoto: .init(name: "label.png", bytes: CaseFlowTests.label(of: device)),
            proofOfPurchase: .init(name: "fattura.pdf", bytes: invoicePDF), onBehalfOfClient: onBehalf,
            authorisation: .init(name: "delega.pdf", bytes: letter), note: "Password persa dopo il trasloco.")
    }

    @Test func theOwnerAndTheReviewerTalkThroughTheTicketUntilTheKeyResetsTheDevice() async throws {
        try await withTestPlatform { platform in
            let (owner, reviewer, device, challenge) = try await Self.setUp(platform)
            let tickets = platform.services.tickets
            try await platform.application.test(.live) { _ in
                let opened = try await tickets.open(Self.opening(device, challenge), by: owner)
                #expect(opened.state == .waitingForReview && opened.serial == device.identity.serial.text)
                #expect(try await tickets.queue().map(\.id) == [opened.id])
                try await waitForMail(platform, count: 1)
                #expect(platform.mailer.messages.last?.to == "rita@example.com", "reviewers hear of a new ticket")

                // The reviewer asks for more, with a file; the owner hears of it and answers with one.
                let asked = try await tickets.write(
                    "The invoice is cut: send all of it.", files: [.init(name: "esempio.png", bytes: CaseFlowTests.label(of: device))],
                    to: opened.id, by: reviewer)
                #expect(asked.state == .waitingForOwner)
                try await waitForMail(platform, count: 2)
                #expect(platform.mailer.messages.last?.to == "olga@example.com")
                #expect(try await platform.services.cases.notifications(for: owner).map(\.event).contains("ticket.asked"))
                let answered = try await tickets.write(
                    "Here it is.", files: [.init(name: "fattura-completa.pdf", bytes: invoicePDF)], to: opened.id, by: owner)
                #expect(answered.state == .waitingForReview)
                let (messages, files) = try await tickets.thread(of: answered)
                #expect(messages.map(\.body) == ["Password persa dopo il trasloco.", "The invoice is cut: send all of it.", "Here it is."])
                #expect(files.map(\.purpose) == [.labelPhoto, .proofOfPurchase, .message, .message])
                #expect(files.last?.name == "fattura-completa.pdf")

                // Approved: the key is in the app, and the device takes it.
                let approved = try await tickets.approve(opened.id, by: reviewer)
                guard case .resetKey(let key) = try await tickets.result(of: approved) else {
                    Issue.record("a camera gets a reset key")
                    return
                }
                // After the approval both sides may still write; the key stays given.
                _ = try await tickets.write("Il codice va inserito dove?", files: [], to: opened.id, by: owner)
                let answeredAgain = try await tickets.write(
                    "Nella pagina del dispositivo: Password dimenticata.", files: [], to: opened.id, by: reviewer)
                #expect(answeredAgain.state == .approved)
                try await device.recover(code: key, kind: .resetKey, newPassword: otherPassword, source: "192.0.2.9")
                try await device.verifyPassword(otherPassword, source: "192.0.2.9")
                let actions = try await platform.services.audit.recent(limit: 20).map(\.action)
                #expect(actions.contains("ticket.opened") && actions.contains("ticket.asked") && actions.contains("ticket.approved"))
                #expect(actions.contains("authority.reset-key.issued"))
            }
        }
    }

    @Test func aTicketNeedsItsDocumentsAndTakesOnlyDocuments() async throws {
        try await withTestPlatform { platform in
            let (owner, _, device, challenge) = try await Self.setUp(platform)
            let tickets = platform.services.tickets
            var missing = Self.opening(device, challenge)
            missing.proofOfPurchase = .init(name: "", bytes: [])
            let error = await #expect(throws: PlatformError.invalidInput) { try await tickets.open(missing, by: owner) }
            #expect(error?.localized?.key == "ticketFileMissing.proof-of-purchase")
            await #expect(throws: PlatformError.invalidInput) {
                try await tickets.open(Self.opening(device, challenge, onBehalf: true), by: owner)
            }
            var script = Self.opening(device, challenge)
            script.proofOfPurchase = .init(name: "fattura.pdf", bytes: Array("%PDF-1.7\n<< /JS (x) >>\n%%EOF".utf8))
            await #expect(throws: PlatformError.unreadableUpload) { try await tickets.open(script, by: owner) }
            var html = Self.opening(device, challenge)
            html.labelPhoto = .init(name: "label.png", bytes: Array("<svg onload=alert(1)>".utf8))
            await #expect(throws: PlatformError.unreadableUpload) { try await tickets.open(html, by: owner) }
            let installer = try await platform.account(.installer)
            await #expect(throws: PlatformError.forbidden) { try await tickets.open(Self.opening(device, challenge), by: installer) }
            // With the client's letter, an integrator's ticket opens.
            let ticket = try await tickets.open(Self.opening(device, challenge, onBehalf: true, letter: invoicePDF), by: owner)
            #expect(try await tickets.thread(of: ticket).files.map(\.purpose).contains(.authorisation))
            // The refusals above cost nothing; a day's tickets are counted once opened.
            for _ in 1..<OwnerTickets.ticketsPerDay { _ = try await tickets.open(Self.opening(device, challenge), by: owner) }
            let limited = await #expect(throws: PlatformError.throttled) {
                try await tickets.open(Self.opening(device, challenge), by: owner)
            }
            #expect(limited?.retryAfter != nil)
        }
    }

    @Test func onlyTheOwnerAndReviewersReadTheTicketAndItsFilesAlwaysAsDownloads() async throws {
        try await withTestPlatform { platform in
            let (owner, reviewer, device, challenge) = try await Self.setUp(platform)
            let other = try await platform.account(.owner, email: "otto@example.com")
            let installer = try await platform.account(.installer)
            let ticket = try await platform.services.tickets.open(Self.opening(device, challenge), by: owner)
            let file = try #require(try await platform.services.tickets.thread(of: ticket).files.first { $0.purpose == .proofOfPurchase })
            try await platform.application.test(.router) { client in
                func get(_ path: String, as account: Account) async throws -> (HTTPResponse.Status, HTTPFields) {
                    let token = try await platform.token(for: account)
                    return try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"]) {
                        ($0.status, $0.headers)
                    }
                }
                let path = "/tickets/\(ticket.id)/files/\(file.id)"
                let (status, headers) = try await get(path, as: owner)
                #expect(status == .ok)
                #expect(headers[.contentDisposition] == "attachment; filename=\"fattura.pdf\"")
                #expect(headers[.contentType] == "application/pdf" && headers[.init("X-Content-Type-Options")!] == "nosniff")
                #expect(try await get(path, as: reviewer).0 == .ok)
                #expect(try await get(path, as: other).0 == .notFound, "another owner: as if it did not exist")
                #expect(try await get("/app/tickets/\(ticket.id)", as: other).0 == .notFound)
                #expect(try await get(path, as: installer).0 == .forbidden)
                #expect(try await get("/desk/tickets/\(ticket.id)", as: owner).0 == .forbidden)
            }
        }
    }

    @Test func filesAreDeletedWhenTheRetentionOfAnEndedTicketPasses() async throws {
        try await withTestPlatform { platform in
            let (owner, reviewer, device, challenge) = try await Self.setUp(platform)
            let tickets = platform.services.tickets
            let ticket = try await tickets.open(Self.opening(device, challenge), by: owner)
            let open = try await tickets.open(Self.opening(device, challenge), by: owner)
            _ = try await tickets.reject(ticket.id, by: reviewer, why: "The label belongs to another device.")
            let retention = TimeInterval(platform.services.settings.ticketRetention)
            #expect(try await tickets.deleteExpiredFiles(now: Date().addingTimeInterval(retention - 3600)) == 0)
            #expect(try await tickets.deleteExpiredFiles(now: Date().addingTimeInterval(retention + 60)) == 1)
            let after = try #require(try await tickets.find(id: ticket.id))
            #expect(after.filesDeletedAt != nil)
            let files = try await tickets.thread(of: after).files
            #expect(!files.isEmpty && files.allSatisfy { $0.deletedAt != nil }, "the rows stay as the record")
            await #expect(throws: PlatformError.notFound) { try await tickets.file(files[0].id, of: after) }
            // The open ticket keeps its files.
            let kept = try await tickets.thread(of: open).files
            #expect(try await tickets.file(kept[0].id, of: open).1.isEmpty == false)
            #expect(try await platform.services.audit.recent(limit: 5).map(\.action).contains("ticket.files.deleted"))
        }
    }
}
