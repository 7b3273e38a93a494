import Foundation
import ReclaimCore
import SADP
import Testing

@testable import ReclaimLAN

/// What `reclaim audit --fix` may change on its own, and what it leaves for a person,
/// decided from a report alone.
@Suite struct AuditReportTests {
    func report(upnp: Bool?, findings: [(String, AuditReport.Finding.Severity)], fixes: [AuditReport.Fix]? = nil) -> AuditReport {
        var report = AuditReport(
            serial: "DS-2CD2386G2-IU20250314AAWR123456789", model: "DS-2CD2386G2-IU", address: "127.1.0.1",
            firmware: "V5.7.15build 230815", passwordStrength: "fair", upnpEnabled: upnp, recoveryReady: [],
            findings: findings.map { .init(check: $0.0, severity: $0.1, message: "…") })
        report.fixes = fixes
        return report
    }

    @Test func onlyUPnPOnIsFixedWithoutAskingAPerson() {
        #expect(report(upnp: true, findings: [("upnp", .medium), ("password", .high)]).safeFixes == [.upnpOff])
        #expect(report(upnp: false, findings: [("password", .high)]).safeFixes.isEmpty)
        #expect(report(upnp: nil, findings: [("password", .info)]).safeFixes.isEmpty, "not read: not touched")
    }

    @Test func everythingNotFineAndNotFixedIsLeftForAPerson() {
        let findings: [(String, AuditReport.Finding.Severity)] = [
            ("firmware", .ok), ("recovery", .medium), ("guid", .low), ("password", .medium), ("upnp", .medium),
        ]
        let applied = report(upnp: true, findings: findings, fixes: [.init(fix: .upnpOff, applied: true, message: "UPnP turned off.")])
        #expect(applied.leftForAPerson.map(\.check) == ["recovery", "guid", "password"])
        let failed = report(upnp: true, findings: findings, fixes: [.init(fix: .upnpOff, applied: false, message: "UPnP left on: …")])
        #expect(failed.leftForAPerson.map(\.check) == ["recovery", "guid", "password", "upnp"], "a fix that failed is still to do")
    }

    @Test func aPlainAuditSaysNothingAboutFixesInItsJSON() throws {
        func fields(_ report: AuditReport) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: try JSONEncoder.reclaim.encode(report)) as? [String: Any])
        }
        #expect(try fields(report(upnp: false, findings: [("upnp", .ok)]))["fixes"] == nil)
        #expect(try fields(report(upnp: false, findings: [("upnp", .ok)], fixes: []))["fixes"] as? [Any] != nil)
    }
}
