import Foundation
import Testing

@testable import Platform

/// The support case's rules, walked state by state and event by event, with no database,
/// clock or network.
@Suite struct SupportCaseTests {
    static let opened: Int64 = 1_800_000_000
    static let challengeExpiry = opened + 48 * 3600
    static let day: Int64 = 86_400

    static func newCase(model: String = "DS-2CD2143G2-IS") -> SupportCase {
        SupportCase(
            id: "case_1", companyId: "co_1", openedBy: "acc_1", serial: "DS-2CD2143G2-IS20230815AAWR123456789", model: model,
            channel: .lanDevice, challenge: "RC1:…", challengeExpiresAt: challengeExpiry, photoHash: "ab", now: opened)
    }

    /// A case in each state a test starts from.
    enum Start: String, CaseIterable {
        case unchecked, awaitingReview, toConfirm, rejected, closed

        var value: SupportCase {
            var value = SupportCaseTests.newCase()
            let now = SupportCaseTests.opened + 60
            switch self {
            case .unchecked: break
            case .awaitingReview: _ = try! value.check(.unreadable, labelRead: nil, now: now, resultLifetime: SupportCaseTests.day)
            case .toConfirm: _ = try! value.check(.matches, labelRead: "x", now: now, resultLifetime: SupportCaseTests.day)
            case .rejected: _ = try! value.check(.codeMismatch, labelRead: "x", now: now, resultLifetime: SupportCaseTests.day)
            case .closed: _ = try! value.close(now: now)
            }
            return value
        }
    }

    enum Event: String, CaseIterable {
        case checkMatches, checkOtherDevice, checkCodeMismatch, checkUnreadable, checkReused
        case approve, reject, close

        func apply(to value: inout SupportCase, now: Int64) throws(PlatformError) -> SupportCase.Transition {
            let life = SupportCaseTests.day
            switch self {
            case .checkMatches: return try value.check(.matches, labelRead: "s c", now: now, resultLifetime: life)
            case .checkOtherDevice: return try value.check(.otherDevice(serial: "OTHER"), labelRead: "o c", now: now, resultLifetime: life)
            case .checkCodeMismatch: return try value.check(.codeMismatch, labelRead: "s x", now: now, resultLifetime: life)
            case .checkUnreadable: return try value.check(.unreadable, labelRead: nil, now: now, resultLifetime: life)
            case .checkReused: return try value.check(.reusedPhoto(caseID: "case_0"), labelRead: nil, now: now, resultLifetime: life)
            case .approve: return try value.approve(reviewer: "rev_1", now: now, resultLifetime: life)
            case .reject: return try value.reject(reviewer: "rev_1", reason: .labelNotVisible, text: nil, now: now)
            case .close: return try value.close(now: now)
            }
        }
    }

    /// Every start × every event: the state it leads to, or nil for a refusal.
    static let table: [Start: [Event: SupportCase.State?]] = [
        .unchecked: [
            .checkMatches: .toConfirm, .checkOtherDevice: .rejected, .checkCodeMismatch: .rejected, .checkUnreadable: .inProgress,
            .checkReused: .inProgress, .approve: nil, .reject: nil, .close: .closed,
        ],
        .awaitingReview: [
            .checkMatches: nil, .checkOtherDevice: nil, .checkCodeMismatch: nil, .checkUnreadable: nil, .checkReused: nil,
            .approve: .toConfirm, .reject: .rejected, .close: .closed,
        ],
        .toConfirm: [
            .checkMatches: nil, .checkOtherDevice: nil, .checkCodeMismatch: nil, .checkUnreadable: nil, .checkReused: nil,
            .approve: nil, .reject: nil, .close: .closed,
        ],
        .rejected: Dictionary(uniqueKeysWithValues: Event.allCases.map { ($0, nil) }),
        .closed: Dictionary(uniqueKeysWithValues: Event.allCases.map { ($0, nil) }),
    ]

    @Test(arguments: Start.allCases, Event.allCases)
    func everyEventFromEveryState(_ start: Start, _ event: Event) {
        var value = start.value
        let before = value
        let expected = Self.table[start]![event]!
        do {
            let transition = try event.apply(to: &value, now: Self.opened + 120)
            #expect(expected != nil, "\(event) from \(start) should be refused")
            #expect(transition.from == before.state)
            #expect(transition.to == expected)
            #expect(value.state == expected)
            #expect(transition.issues == (expected == .toConfirm), "a key or file is issued exactly on the way to To confirm")
            #expect(value.updatedAt == Self.opened + 120)
        } catch {
            #expect(expected == nil, "\(event) from \(start) was refused: \(error)")
            #expect(error.code == .conflict)
            #expect(value == before, "a refused event changes nothing")
        }
    }

    @Test func aMatchingLabelIsApprovedAtOnceWithTheResultOfItsModel() throws {
        var camera = Self.newCase()
        _ = try camera.check(.matches, labelRead: "s c", now: Self.opened + 5, resultLifetime: Self.day)
        #expect(camera.resultKind == .resetKey)
        #expect(camera.reviewer == nil, "decided by the automatic check")
        #expect(camera.resultIssuedAt == Self.opened + 5)
        #expect(camera.resultExpiresAt == Self.opened + 5 + Self.day)
        #expect(Self.newCase(model: "DS-7608NXI-K2").resultKind == .resetFile)
    }

    @Test func theResultNeverOutlivesTheDevicesChallenge() throws {
        var value = Self.newCase()
        _ = try value.check(.matches, labelRead: nil, now: Self.opened, resultLifetime: 7 * Self.day)
        #expect(value.resultExpiresAt == Self.challengeExpiry)
    }

    @Test func rejectionsSayWhy() throws {
        var other = Self.newCase()
        _ = try other.check(.otherDevice(serial: "DS-X20200101AB1"), labelRead: nil, now: Self.opened, resultLifetime: Self.day)
        #expect(other.rejectReason == .labelOfAnotherDevice)
        #expect(other.rejectText?.contains("DS-X20200101AB1") == true)
        var waiting = Start.awaitingReview.value
        #expect(throws: PlatformError.self) {
            _ = try waiting.reject(reviewer: "rev", reason: .other, text: "   ", now: Self.opened + 9)
        }
        #expect(waiting.state == .inProgress, "\"other\" needs words")
        _ = try waiting.reject(reviewer: "rev", reason: .other, text: " Photo of a screen ", now: Self.opened + 9)
        #expect(waiting.rejectReason == .other && waiting.rejectText == "Photo of a screen" && waiting.reviewer == "rev")
    }

    @Test func aReusedPhotoWaitsForAPersonAndSaysWhichCaseItCameFrom() throws {
        var value = Self.newCase()
        _ = try value.check(.reusedPhoto(caseID: "case_0"), labelRead: "x", now: Self.opened, resultLifetime: Self.day)
        #expect(value.awaitsReview && value.reviewReason == .photoReused && value.reusedFrom == "case_0")
    }

    @Test func casesCloseByThemselvesWhenWhatTheyWaitForExpires() throws {
        var confirmed = Start.toConfirm.value
        #expect(confirmed.expireIfDue(now: Self.opened + Self.day) == nil, "not yet")
        let closed = confirmed.expireIfDue(now: Self.opened + 60 + Self.day)
        #expect(closed == .init(from: .toConfirm, to: .closed))
        #expect(confirmed.closeReason == .resultExpired)

        var waiting = Start.awaitingReview.value
        #expect(waiting.expireIfDue(now: Self.challengeExpiry - 1) == nil)
        #expect(waiting.expireIfDue(now: Self.challengeExpiry)?.to == .closed)
        #expect(waiting.closeReason == .challengeExpired)

        // A reviewer approving after the challenge expired closes it instead of issuing.
        var late = Start.awaitingReview.value
        let transition = try late.approve(reviewer: "rev", now: Self.challengeExpiry + 1, resultLifetime: Self.day)
        #expect(transition.to == .closed && !transition.issues && late.closeReason == .challengeExpired)

        for start in [Start.rejected, .closed] {
            var final = start.value
            #expect(final.expireIfDue(now: Self.challengeExpiry + 10 * Self.day) == nil)
        }
    }

    @Test func theInstallerClosingRecordsWhoClosed() throws {
        var value = Start.toConfirm.value
        _ = try value.close(now: Self.opened + 300)
        #expect(value.closeReason == .byInstaller && value.closedAt == Self.opened + 300)
    }
}

/// Working hours: when a reviewer will look, and how long a case has waited.
@Suite struct WorkingHoursTests {
    static let rome = TimeZone(identifier: "Europe/Rome")!

    static func date(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = rome
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    let hours = WorkingHours.standard

    @Test func theSeedsHoursAreOpenOnWeekdayMorningsAndAfternoonsOnly() {
        // 2026-12-02 is a Wednesday.
        #expect(hours.isOpen(at: Self.date("2026-12-02 09:00")))
        #expect(hours.isOpen(at: Self.date("2026-12-02 11:59")))
        #expect(!hours.isOpen(at: Self.date("2026-12-02 12:30")), "lunch")
        #expect(hours.isOpen(at: Self.date("2026-12-02 17:29")))
        #expect(!hours.isOpen(at: Self.date("2026-12-02 17:30")))
        #expect(!hours.isOpen(at: Self.date("2026-12-05 10:00")), "Saturday")
    }

    @Test func tenMinutesInOfficeHoursElseTheNextWorkingDay() {
        let tenMinutes: TimeInterval = 600
        #expect(hours.adding(workingSeconds: tenMinutes, to: Self.date("2026-12-02 10:00")) == Self.date("2026-12-02 10:10"))
        // Five minutes before lunch: five before, five after.
        #expect(hours.adding(workingSeconds: tenMinutes, to: Self.date("2026-12-02 11:55")) == Self.date("2026-12-02 13:05"))
        // Friday evening → Monday morning.
        #expect(hours.adding(workingSeconds: tenMinutes, to: Self.date("2026-12-04 18:00")) == Self.date("2026-12-07 09:10"))
    }

    @Test func waitingIsCountedInWorkingHours() {
        // Friday 17:00 to Monday 10:00: half an hour on Friday, an hour on Monday.
        #expect(hours.workingSeconds(from: Self.date("2026-12-04 17:00"), to: Self.date("2026-12-07 10:00")) == 5400)
        #expect(hours.workingSeconds(from: Self.date("2026-12-07 10:00"), to: Self.date("2026-12-04 17:00")) == 0)
    }

    @Test func holidaysAndOtherSchedulesAreSettings() throws {
        let custom = try WorkingHours(schedule: "mon-sat 08:00-20:00; sun 10:00-12:00", holidays: "2026-12-25", timeZone: "Europe/Rome")
        #expect(custom.isOpen(at: Self.date("2026-12-05 19:00")), "Saturday evening")
        #expect(custom.isOpen(at: Self.date("2026-12-06 11:00")), "Sunday morning")
        #expect(!custom.isOpen(at: Self.date("2026-12-25 10:00")), "Christmas")
        #expect(custom.adding(workingSeconds: 600, to: Self.date("2026-12-24 19:55")) == Self.date("2026-12-26 08:05"))
    }

    @Test(arguments: [
        ("", "", "Europe/Rome"),
        ("weekdays 09:00-17:00", "", "Europe/Rome"),
        ("mon-fri 9-17", "", "Europe/Rome"),
        ("mon-fri 17:00-09:00", "", "Europe/Rome"),
        ("fri-mon 09:00-17:00", "", "Europe/Rome"),
        ("mon-fri 09:00-17:00", "25/12/2026", "Europe/Rome"),
        ("mon-fri 09:00-17:00", "", "Mars/Olympus"),
    ])
    func aWrongScheduleIsRefusedNamingTheSetting(_ schedule: String, _ holidays: String, _ zone: String) {
        #expect {
            _ = try WorkingHours(schedule: schedule, holidays: holidays, timeZone: zone)
        } throws: { error in
            guard let error = error as? PlatformError else { return false }
            return error.code == .badSetting && error.reason.contains("cases.")
        }
    }
}
