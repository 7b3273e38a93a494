import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import Platform

/// A forgotten portal password, set anew through a link mailed to the account's address.
@Suite struct PasswordResetTests {
    static let newPassword = "a brand new passphrase for the portal"

    @Test func thePageAnswersTheSameForEveryAddressAndOnlyAnAccountGetsALink() async throws {
        try await withTestPlatform { platform in
            _ = try await platform.account(.installer, email: "ivo@example.com")
            let pages = try await platform.application.test(.live) { client in
                let cookie = try await client.execute(uri: "/password/forgot", method: .get) { response in
                    response.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
                }
                let csrf = String(cookie.split(separator: "=").last ?? "")
                var pages: [String] = []
                for address in ["ivo@example.com", "nobody@example.com"] {
                    try await client.execute(
                        uri: "/password/forgot", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                        body: ByteBuffer(string: "csrf=\(csrf)&email=\(address)")
                    ) { response in
                        #expect(response.status == .ok)
                        pages.append(response.text.replacingOccurrences(of: address, with: "ADDRESS"))
                    }
                }
                try await waitForMail(platform, count: 1)
                try await Task.sleep(for: .milliseconds(200))
                return pages
            }
            #expect(pages.count == 2 && pages[0] == pages[1], "the page does not tell which address has an account")
            #expect(pages[0].contains("a link to choose a new password is on its way"))
            #expect(platform.mailer.messages.map(\.to) == ["ivo@example.com"], "only the account's mailbox hears of it")
        }
    }

    @Test func theLinkSetsANewPasswordOnceAndEndsEverySession() async throws {
        try await withTestPlatform { platform in
            let account = try await platform.account(.installer, email: "ivo@example.com")
            let session = try await platform.services.accounts.startSession(for: account)
            // The mail queue runs with the application.
            try await platform.application.test(.live) { _ in
                await platform.services.signUps.mailResetLink(email: "IVO@example.com ")
                try await waitForMail(platform, count: 1)
            }
            let token = try mailedToken(platform, to: "ivo@example.com", link: "/password/reset?token=")
            let accounts = platform.services.accounts

            // A password the policy refuses leaves the link working.
            await #expect(throws: ReclaimError.passwordRule) { try await accounts.resetPassword(token: token, newPassword: "short") }
            #expect(try await accounts.passwordResetIsValid(token: token))

            _ = try await accounts.resetPassword(token: token, newPassword: Self.newPassword)
            #expect(try await accounts.account(session: session) == nil, "the old session ended")
            #expect(try await accounts.signIn(email: "ivo@example.com", password: testPassword, source: "t") == .refused)
            guard case .signedIn = try await accounts.signIn(email: "ivo@example.com", password: Self.newPassword, source: "t") else {
                Issue.record("the new password signs in")
                return
            }
            // Once only.
            #expect(try await !accounts.passwordResetIsValid(token: token))
            await #expect(throws: PlatformError.notFound) {
                try await accounts.resetPassword(token: token, newPassword: "yet another passphrase for the portal")
            }
            let actions = try await platform.services.audit.recent(limit: 5).map(\.action)
            #expect(actions.contains("account.password.reset"))
        }
    }

    @Test func aLinkWorksOnlyForItsPurposeAndOnlyTheNewestOneWorks() async throws {
        try await withTestPlatform { platform in
            let accounts = platform.services.accounts
            let account = try await platform.account(.owner, email: "olivia@example.com")
            let confirmation = try await accounts.makeConfirmation(for: account, now: Date())
            #expect(try await !accounts.passwordResetIsValid(token: confirmation), "a sign-up link is not a reset link")
            await #expect(throws: PlatformError.notFound) {
                try await accounts.resetPassword(token: confirmation, newPassword: Self.newPassword)
            }
            let first = try #require(try await accounts.makePasswordReset(email: "olivia@example.com", now: Date()))
            let second = try #require(try await accounts.makePasswordReset(email: "olivia@example.com", now: Date()))
            #expect(try await accounts.confirm(token: second.token) == nil, "a reset link does not confirm a sign-up")
            #expect(try await !accounts.passwordResetIsValid(token: first.token), "a newer link replaces the older")
            #expect(try await accounts.passwordResetIsValid(token: second.token))
            // An hour later it no longer works.
            #expect(try await !accounts.passwordResetIsValid(token: second.token, now: Date().addingTimeInterval(3601)))
            // A mailbox gets a few links an hour, however often someone asks.
            _ = try await accounts.makePasswordReset(email: "olivia@example.com", now: Date())
            #expect(try await accounts.makePasswordReset(email: "olivia@example.com", now: Date()) == nil)
        }
    }
}
