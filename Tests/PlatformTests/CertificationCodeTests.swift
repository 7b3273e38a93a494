import Foundation
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import Platform

/// "Ask your distributor for the authentication code": single-use certification codes.
@Suite struct CertificationCodeTests {
    @Test func aDistributorsCodeCertifiesOneCompanyOnce() async throws {
        try await withTestPlatform { platform in
            let codes = platform.services.certification
            let distributor = try await platform.account(.distributor)
            let rossi = try await platform.account(.installer)
            let verdi = try await platform.account(.installer)
            let code = try await codes.issue(by: distributor)
            #expect(code.firstMatch(of: /^RCC(-[A-Z2-9]{4}){5}$/) != nil, "\(code)")
            #expect(try await codes.issued(by: distributor).map(\.redeemedBy) == [nil])

            // Typed as people type it: lower case, without dashes.
            let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
            let company = try await codes.redeem(typed, by: rossi)
            #expect(company.isCertified && company.id == rossi.companyId)
            #expect(try await platform.services.accounts.company(id: try #require(rossi.companyId))?.isCertified == true)
            #expect(try await codes.issued(by: distributor).first?.redeemedBy == rossi.companyId)

            // Once only: another company cannot use it, and is not certified.
            await #expect(throws: PlatformError.notFound) { try await codes.redeem(code, by: verdi) }
            #expect(try await platform.services.accounts.company(id: try #require(verdi.companyId))?.isCertified == false)
            let actions = try await platform.services.audit.recent(limit: 10).map(\.action)
            #expect(actions.contains("company.certified.by-code") && actions.contains("distributor.code.issued"))
        }
    }

    @Test func onlyDistributorsIssueAndOnlyInstallersRedeem() async throws {
        try await withTestPlatform { platform in
            let codes = platform.services.certification
            for role in [Role.installer, .owner, .reviewer, .admin] {
                let account = try await platform.account(role)
                await #expect(throws: PlatformError.self, "\(role) issues no code") { _ = try await codes.issue(by: account) }
            }
            let code = try await codes.issue(by: try await platform.account(.distributor))
            let owner = try await platform.account(.owner)
            await #expect(throws: PlatformError.self) { _ = try await codes.redeem(code, by: owner) }
        }
    }

    @Test func anExpiredCodeAndGuessesAreRefused() async throws {
        try await withTestPlatform { platform in
            let codes = platform.services.certification
            let distributor = try await platform.account(.distributor)
            let installer = try await platform.account(.installer)
            let old = try await codes.issue(by: distributor, now: Date().addingTimeInterval(-31 * 86_400))
            await #expect(throws: PlatformError.notFound) { try await codes.redeem(old, by: installer) }
            for _ in 0..<4 {
                await #expect(throws: PlatformError.notFound) { try await codes.redeem("RCC-AAAA-BBBB-CCCC-DDDD-EEEE", by: installer) }
            }
            // The company's fifth wrong code in an hour pauses it, even before a right one.
            let fresh = try await codes.issue(by: distributor)
            do {
                _ = try await codes.redeem(fresh, by: installer)
                Issue.record("a paused company redeems nothing")
            } catch let error as PlatformError {
                #expect(error.code == .throttled)
            }
        }
    }
}
