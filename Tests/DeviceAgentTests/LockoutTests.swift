import DeviceAgent
import Foundation
import ReclaimTestSupport
import Testing

@Suite struct LockoutBookTests {
    let settings = LockoutSettings()
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func fiveFailuresFromOneAddressLockItForThirtyMinutes() {
        var book = LockoutBook()
        for attempt in 1...4 {
            let outcome = book.recordFailure(source: "a", kind: .password, now: start, settings: settings)
            #expect(outcome.attemptsLeft == 5 - attempt)
            #expect(outcome.lock == nil)
        }
        let fifth = book.recordFailure(source: "a", kind: .password, now: start, settings: settings)
        #expect(fifth.lock?.scope == .source)
        #expect(fifth.lock?.until == start.addingTimeInterval(1800))
        #expect(book.lock(for: "a", now: start.addingTimeInterval(1799)) != nil)
        #expect(book.lock(for: "b", now: start) == nil, "another address is not locked")
    }

    @Test func lockEndsAndCountingStartsAgain() {
        var book = LockoutBook()
        for _ in 1...5 { _ = book.recordFailure(source: "a", kind: .password, now: start, settings: settings) }
        let later = start.addingTimeInterval(1800)
        #expect(book.lock(for: "a", now: later) == nil)
        #expect(book.recordFailure(source: "a", kind: .password, now: later, settings: settings).attemptsLeft == 4)
    }

    @Test func everyCredentialKindCountsTowardsTheSameLimit() {
        var book = LockoutBook()
        let kinds: [CredentialKind] = [.password, .guidFile, .securityAnswers, .verificationCode, .resetKey]
        for kind in kinds { _ = book.recordFailure(source: "a", kind: kind, now: start, settings: settings) }
        #expect(book.lock(for: "a", now: start)?.scope == .source)
    }

    @Test func manyAddressesTogetherLockTheDevice() {
        var book = LockoutBook()
        for index in 0..<20 { _ = book.recordFailure(source: "10.0.0.\(index)", kind: .password, now: start, settings: settings) }
        #expect(book.lock(for: "owner", now: start)?.scope == .device)
    }

    @Test func sevenBadGUIDFilesLockTheGUIDMode() {
        var book = LockoutBook()
        var relaxed = settings
        relaxed.maxFailuresPerSource = 10
        for _ in 1...6 { _ = book.recordFailure(source: "a", kind: .guidFile, now: start, settings: relaxed) }
        #expect(book.guidLock(now: start) == nil)
        let seventh = book.recordFailure(source: "a", kind: .guidFile, now: start, settings: relaxed)
        #expect(seventh.lock?.scope == .guidMode)
        #expect(book.lock(for: "a", now: start) == nil, "only the GUID mode is locked")
    }

    @Test func successClearsTheCount() {
        var book = LockoutBook()
        for _ in 1...4 { _ = book.recordFailure(source: "a", kind: .password, now: start, settings: settings) }
        let cleared = book.recordSuccess(source: "a", kind: .password)
        #expect(cleared)
        #expect(book.attemptsLeft(for: "a", now: start, settings: settings) == 5)
        let clearedAgain = book.recordSuccess(source: "a", kind: .password)
        #expect(!clearedAgain, "nothing to clear, nothing to write")
    }

    @Test func failuresAreForgottenAfterAQuietPeriod() {
        var book = LockoutBook()
        for _ in 1...4 { _ = book.recordFailure(source: "a", kind: .password, now: start, settings: settings) }
        #expect(book.attemptsLeft(for: "a", now: start.addingTimeInterval(1800), settings: settings) == 5)
    }
}
