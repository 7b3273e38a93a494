import Foundation
import Hummingbird
import HummingbirdTesting
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import Platform

/// Colleagues of an installer company: invited by e-mail, joining through the link, leaving.
@Suite struct ColleagueTests {
    static let newPassword = "a passphrase for the new colleague"

    /// Invites `address` and returns the mailed link's token. The mail queue runs only while
    /// the application does: call it inside one `application.test(.live)` run a test.
    static func invite(_ address: String, by member: Account, _ platform: TestPlatform) async throws -> String {
        let before = platform.mailer.messages.count
        try await platform.services.colleagues.invite(address, by: member)
        try await waitForMail(platform, count: before + 1)
        return try mailedToken(platform, to: Accounts.normalized(address), link: "/invitation?token=")
    }

    @Test func aNewColleagueJoinsWithTheMailedLinkOnceAndSeesTheCompanysCases() async throws {
        try await withTestPlatform { platform in
            try await platform.application.test(.live) { client in
                let anna = try await platform.account(.installer, email: "anna@example.com", certified: true)
                let token = try await Self.invite(" Bruno@Example.com", by: anna, platform)
                let mail = try #require(platform.mailer.messages.last)
                #expect(mail.to == "bruno@example.com")
                #expect(mail.subject.contains("Installer invites you to Impianti"), "the mail names who invites, and to which company")

                let colleagues = platform.services.colleagues
                let opened = try #require(try await colleagues.opened(token: token))
                #expect(opened.invitation.email == "bruno@example.com" && !opened.hasAccount)
                #expect(try await colleagues.pending(for: anna).map(\.email) == ["bruno@example.com"])

                // The password rules hold as at sign-up, and a refusal leaves the link working.
                await #expect(throws: ReclaimError.passwordRule) {
                    try await colleagues.accept(token: token, name: "Bruno", password: "short", language: .italian)
                }
                let bruno = try await colleagues.accept(token: token, name: "Bruno", password: Self.newPassword, language: .italian)
                #expect(bruno.companyId == anna.companyId && bruno.isConfirmed && bruno.role == .installer)
                guard
                    case .signedIn = try await platform.services.accounts.signIn(
                        email: "bruno@example.com", password: Self.newPassword, source: "t")
                else {
                    Issue.record("the new colleague signs in at once")
                    return
                }
                #expect(try await colleagues.members(of: anna).map(\.email) == ["anna@example.com", "bruno@example.com"])
                #expect(try await colleagues.pending(for: anna).isEmpty)
                // Once only.
                #expect(try await colleagues.opened(token: token) == nil)
                await #expect(throws: PlatformError.notFound) {
                    try await colleagues.accept(token: token, name: "Mallory", password: Self.newPassword, language: .english)
                }
                let actions = try await platform.services.audit.recent(limit: 10).map(\.action)
                #expect(actions.contains("company.invitation.sent") && actions.contains("company.member.joined"))
            }
        }
    }

    @Test func onlyTheNewestInvitationForAnAddressWorksAndATakenBackOneStops() async throws {
        try await withTestPlatform { platform in
            try await platform.application.test(.live) { client in
                let anna = try await platform.account(.installer)
                let first = try await Self.invite("bruno@example.com", by: anna, platform)
                let second = try await Self.invite("bruno@example.com", by: anna, platform)
                let colleagues = platform.services.colleagues
                #expect(try await colleagues.opened(token: first) == nil, "a newer invitation replaces the older")
                let invitation = try #require(try await colleagues.opened(token: second)?.invitation)
                try await colleagues.revoke(invitation, by: anna)
                #expect(try await colleagues.opened(token: second) == nil)
                #expect(try await colleagues.pending(for: anna).isEmpty)
            }
        }
    }

    @Test func anInvitationExpiresAfterSevenDays() async throws {
        try await withTestPlatform { platform in
            try await platform.application.test(.live) { client in
                let anna = try await platform.account(.installer)
                let token = try await Self.invite("bruno@example.com", by: anna, platform)
                let later = Date().addingTimeInterval(TimeInterval(Colleagues.lifetime + 60))
                #expect(try await platform.services.colleagues.opened(token: token, now: later) == nil)
                await #expect(throws: PlatformError.notFound) {
                    try await platform.services.colleagues.accept(
                        token: token, name: "Bruno", password: Self.newPassword, language: .english, now: later)
                }
            }
        }
    }

    @Test func anExistingAccountJoinsSignedInAsItselfAndOnlyWithoutACompany() async throws {
        try await withTestPlatform { platform in
            try await platform.application.test(.live) { client in
                let anna = try await platform.account(.installer)
                let carla = try await platform.account(.installer, email: "carla@example.com")
                let dario = try await platform.account(.installer, company: carla.companyId)
                let owner = try await platform.account(.owner, email: "olga@example.com")
                let colleagues = platform.services.colleagues
                let token = try await Self.invite("carla@example.com", by: anna, platform)
                #expect(try await colleagues.opened(token: token)?.hasAccount == true)
                // A new account cannot be made for a taken address.
                await #expect(throws: PlatformError.conflict) {
                    try await colleagues.accept(token: token, name: "Carla", password: Self.newPassword, language: .english)
                }
                // Someone else signed in cannot take Carla's invitation.
                await #expect(throws: PlatformError.forbidden) { try await colleagues.accept(token: token, as: anna) }
                // Carla is in a company: she leaves it first (Dario stays with it).
                await #expect(throws: PlatformError.conflict) { try await colleagues.accept(token: token, as: carla) }
                let left = try await colleagues.leave(carla)
                #expect(left.companyId == nil)
                let joined = try await colleagues.accept(token: token, as: left)
                #expect(joined.companyId == anna.companyId)
                #expect(try await colleagues.members(of: dario).map(\.email) == [dario.email])
                // An owner's account does not join an installer company.
                let ownerToken = try await Self.invite("olga@example.com", by: anna, platform)
                await #expect(throws: PlatformError.forbidden) { try await colleagues.accept(token: ownerToken, as: owner) }
            }
        }
    }

    @Test func theLastMemberCannotLeaveAndOneWhoLeftSeesNothingOfTheCompany() async throws {
        try await withTestPlatform { platform in
            try await platform.application.test(.live) { client in
                let anna = try await platform.account(.installer, certified: true)
                let colleagues = platform.services.colleagues
                await #expect(throws: PlatformError.conflict) { try await colleagues.leave(anna) }
                let bruno = try await platform.account(.installer, company: anna.companyId)
                let (device, challenge) = try await CaseFlowTests.device(platform)
                let opened = try await platform.services.cases.open(
                    .init(channel: .lanDevice, challenge: challenge, photo: CaseFlowTests.label(of: device), acknowledged: true), by: bruno)

                let left = try await colleagues.leave(bruno)
                #expect(try await colleagues.members(of: anna).map(\.id) == [anna.id])
                let token = try await platform.token(for: left)
                try await client.execute(uri: "/api/v1/cases/\(opened.id)", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                    #expect($0.status == .notFound, "the case stays with the company, out of reach of who left")
                }
                // One of no company may not invite or leave again, but may start a company; a member may not start one.
                await #expect(throws: PlatformError.conflict) { try await colleagues.invite("x@example.com", by: left) }
                await #expect(throws: PlatformError.conflict) { try await colleagues.leave(left) }
                await #expect(throws: PlatformError.conflict) { try await colleagues.startCompany("Seconda", by: anna) }
                let started = try await colleagues.startCompany("Sicurezza Verdi", by: left)
                #expect(try await platform.services.accounts.company(id: started.companyId ?? "")?.name == "Sicurezza Verdi")
                let actions = try await platform.services.audit.recent(limit: 10).map(\.action)
                #expect(actions.contains("company.member.left"))
            }
        }
    }

    @Test func aCompanySendsAtMostTwentyInvitationsADayAndNeverToItsOwnMembers() async throws {
        try await withTestPlatform { platform in
            try await platform.application.test(.live) { client in
                let anna = try await platform.account(.installer, email: "anna@example.com")
                let colleagues = platform.services.colleagues
                await #expect(throws: PlatformError.conflict) { try await colleagues.invite("anna@example.com", by: anna) }
                await #expect(throws: PlatformError.invalidInput) { try await colleagues.invite("not an address", by: anna) }
                for index in 0..<(Colleagues.invitationsPerDay - 1) {
                    try await colleagues.invite("c\(index)@example.com", by: anna)
                }
                let error = await #expect(throws: PlatformError.throttled) { try await colleagues.invite("one-more@example.com", by: anna) }
                #expect(error?.retryAfter != nil)
            }
        }
    }
}

/// The invitation link for an address that has an account: sign in first, come back, join.
@Suite struct InvitationPageTests {
    @Test func anExistingAccountIsSentToSignInAndBackToTheInvitation() async throws {
        try await withTestPlatform { platform in
            let anna = try await platform.account(.installer)
            let carla = try await platform.account(.installer, email: "carla@example.com")
            try await platform.application.test(.live) { client in
                let token = try await ColleagueTests.invite("carla@example.com", by: anna, platform)
                let page = try await client.execute(uri: "/invitation?token=\(token)&lang=en", method: .get) { $0.text }
                #expect(page.contains("This address has an account: sign in to join."))
                let link = try #require(page.firstMatch(of: /href="(\/signin\?next=[^"]+)"/)?.1)
                let signIn = try await client.execute(uri: String(link), method: .get) { $0.text }
                #expect(signIn.contains("name=\"next\" value=\"/invitation?token=\(token)\""), "the sign-in page comes back to the link")
                // Signed in as a member of another company: told to leave it first, no button.
                let session = try await platform.services.accounts.startSession(for: carla)
                let joined = try await client.execute(
                    uri: "/invitation?token=\(token)&lang=en", method: .get, headers: [.cookie: "reclaim_portal=\(session)"]
                ) { $0.text }
                #expect(joined.contains("leave it on your company") && !joined.contains("join-submit"))
            }
        }
    }
}
