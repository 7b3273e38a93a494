import Foundation
import ReclaimCore
import ReclaimQR
import ReclaimTestSupport

@testable import DeviceAgent
@testable import Platform

/// One object of every kind a route can name, all belonging to "our" company or its
/// owner, and the accounts around them: what the ownership and page tests walk.
struct PlatformWorld {
    let ours: Account
    let colleague: Account
    let theirs: Account
    let reviewer: Account
    let owner: Account
    let admin: Account
    let distributor: Account
    /// The id of one object of each kind (`company`, `case`, `device`…), as routes name them.
    let ids: [String: String]
    let ticketFile: String

    /// Our company, with a case of a recorder (so that it has a reset file to download too),
    /// the recorder on an owner's site shared with us and a reset request for it, our
    /// authorisation request to the owner, another owner's claim on the recorder, an
    /// invitation, and the owner's ticket with its files. Texts are Italian, as a page in
    /// Italian would show them.
    static func make(_ platform: TestPlatform) async throws -> PlatformWorld {
        let ours = try await platform.account(.installer, certified: true)
        let colleague = try await platform.account(.installer, company: ours.companyId)
        let theirs = try await platform.account(.installer, certified: true)
        let reviewer = try await platform.account(.reviewer)
        let admin = try await platform.account(.admin)
        let distributor = try await platform.account(.distributor)
        _ = try await platform.services.certification.issue(by: distributor)
        guard let company = ours.companyId, let recorder = DeviceModel.named("DS-7608NXI-K2") else {
            throw PlatformError(.conflict, "The installer has no company, or the catalogue no recorder.")
        }
        let device = try await enrolledDevice(platform, model: recorder)
        try await device.activate(password: goodPassword, source: "s")
        let challenge = try await device.issueChallenge(purpose: .supportCase, source: "s").text
        let label = LabelArtwork(
            payload: LabelPayload(serial: device.identity.serial, verificationCode: device.identity.labelCode, model: recorder.name),
            kind: recorder.kind, mac: device.identity.mac.description
        ).png()
        let supportCase = try await platform.services.cases.open(
            .init(channel: .lanDevice, challenge: challenge, photo: label, acknowledged: true), by: ours)
        await platform.services.cases.sweepNow()
        let owner = try await platform.account(.owner)
        let site = try await platform.services.sites.createSite(name: "Negozio", by: owner)
        _ = try await platform.services.sites.addDevice(
            serial: device.identity.serial.text, labelCode: device.identity.labelCode, name: "Ingresso", site: site.id, by: owner)
        let share = try await platform.services.sites.share(site: site.id, with: company, mayReset: true, by: owner)
        let access = try await platform.services.sites.requestAccess(
            ownerEmail: owner.email, note: "Per la manutenzione", mayReset: true, by: ours)
        // A claim on the device by another owner, as if its link had said it was reset.
        let claimant = try await platform.account(.owner)
        let claimantSite = try await platform.services.sites.createSite(name: "Casa nuova", by: claimant)
        let now = Int64(Date().timeIntervalSince1970)
        let claim = DeviceClaim(
            id: "cl_" + Bytes.hex(Bytes.random(count: 8)), serial: device.identity.serial.text, claimantId: claimant.id, ownerId: owner.id,
            siteId: claimantSite.id, state: .pending, decidesAt: now + 72 * 3600, createdAt: now, updatedAt: now)
        try await platform.services.database.write { db in try await DeviceClaimTable.insert(claim, in: db) }
        let request = try await platform.services.resets.request(
            serial: device.identity.serial.text, mode: .offSite, by: ours, source: "192.0.2.1")
        let invitation = try await platform.services.colleagues.invite("nuovo@example.com", by: ours)
        let ticket = try await platform.services.tickets.open(
            .init(
                challenge: challenge, labelPhoto: .init(name: "etichetta.png", bytes: label),
                proofOfPurchase: .init(name: "fattura.pdf", bytes: invoicePDF), note: "Il negozio ha cambiato gestione."),
            by: owner)
        guard let ticketFile = try await platform.services.tickets.thread(of: ticket).files.first else {
            throw PlatformError(.conflict, "The ticket kept no file.")
        }
        return PlatformWorld(
            ours: ours, colleague: colleague, theirs: theirs, reviewer: reviewer, owner: owner, admin: admin, distributor: distributor,
            ids: [
                "company": company, "case": supportCase.id, "device": device.identity.serial.text, "site": site.id,
                "reset-request": request.request.id, "invitation": invitation.id, "ticket": ticket.id, "share": share.id,
                "access-request": access.id, "claim": claim.id,
            ],
            ticketFile: ticketFile.id)
    }

    /// A route's path with the ids of this world's objects in place of its parameters.
    func path(of spec: RouteSpec) -> String {
        let id = ids[spec.owned ?? ""] ?? ""
        return spec.path.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: "{serial}", with: id)
            .replacingOccurrences(of: "{file}", with: ticketFile)
    }
}
