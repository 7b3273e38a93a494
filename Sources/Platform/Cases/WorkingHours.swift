public import Foundation

/// When reviewers work: hours per weekday, holidays and the time zone they are in. A case
/// that needs a person tells the installer when one will look, and the desk shows how long
/// each case has waited, both counted in these hours.
///
/// Written in settings as `mon-fri 09:00-12:00 13:00-17:30; sat 09:00-12:00` (days
/// `mon`…`sun`, one range or a list; then one or more times of day `HH:MM-HH:MM`), holidays
/// as `2026-12-25, 2027-01-01`, the zone as an IANA name (`Europe/Rome`).
public struct WorkingHours: Sendable, Equatable {
    /// Minutes after midnight, start included, end excluded.
    public struct Span: Sendable, Equatable {
        public let start: Int
        public let end: Int
    }

    /// By `Calendar` weekday: 1 Sunday … 7 Saturday.
    public let week: [Int: [Span]]
    /// `YYYY-MM-DD` in the time zone.
    public let holidays: Set<String>
    public let timeZone: TimeZone

    /// The hours of the vendor's support desk that installers know: Monday to Friday, 9:00–12:00 and 13:00–17:30, Rome.
    public static let standard = try! WorkingHours(
        schedule: "mon-fri 09:00-12:00 13:00-17:30", holidays: "", timeZone: "Europe/Rome")

    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(schedule: String, holidays: String, timeZone: String) throws(PlatformError) {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw PlatformError(.badSetting, "cases.time-zone is \(timeZone); give an IANA zone name such as Europe/Rome.")
        }
        self.timeZone = zone
        var week: [Int: [Span]] = [:]
        for clause in schedule.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !clause.isEmpty {
            let words = clause.lowercased().split(separator: " ").map(String.init)
            guard let days = words.first.flatMap(Self.days), words.count > 1 else {
                throw PlatformError(
                    .badSetting, "cases.working-hours: \"\(clause)\" should start with days (mon-fri, or sat) and then hours (09:00-12:00)."
                )
            }
            for range in words.dropFirst() {
                guard let span = Self.span(range) else {
                    throw PlatformError(.badSetting, "cases.working-hours: \"\(range)\" is not a time range such as 09:00-12:00.")
                }
                for day in days { week[day, default: []].append(span) }
            }
        }
        guard !week.isEmpty else {
            throw PlatformError(.badSetting, "cases.working-hours is empty; give at least one day and hours, such as mon-fri 09:00-17:00.")
        }
        self.week = week.mapValues { $0.sorted { $0.start < $1.start } }
        var dates: Set<String> = []
        for day in holidays.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !day.isEmpty {
            guard day.count == 10, Self.dayFormatter(zone).date(from: day) != nil else {
                throw PlatformError(.badSetting, "cases.holidays: \"\(day)\" is not a date written YYYY-MM-DD.")
            }
            dates.insert(day)
        }
        self.holidays = dates
    }

    private static func days(_ word: String) -> [Int]? {
        let bounds = word.split(separator: "-").map(String.init)
        let numbers = bounds.compactMap { dayNames.firstIndex(of: $0).map { $0 + 1 } }
        guard numbers.count == bounds.count else { return nil }
        switch numbers.count {
        case 1: return numbers
        case 2 where numbers[0] <= numbers[1]: return Array(numbers[0]...numbers[1])
        default: return nil
        }
    }

    private static func span(_ text: String) -> Span? {
        let ends = text.split(separator: "-").map(String.init)
        guard ends.count == 2, let start = minutes(ends[0]), let end = minutes(ends[1]), start < end else { return nil }
        return Span(start: start, end: end)
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 24 * 60
        else { return nil }
        return hours * 60 + minutes
    }

    private static func dayFormatter(_ zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The working periods of the day that holds `date`, as instants.
    func periods(ofDayHolding date: Date) -> [Range<Date>] {
        let calendar = calendar
        let day = calendar.startOfDay(for: date)
        guard !holidays.contains(Self.dayFormatter(timeZone).string(from: day)) else { return [] }
        let weekday = calendar.component(.weekday, from: day)
        return (week[weekday] ?? []).compactMap { span in
            guard
                let start = calendar.date(bySettingHour: span.start / 60, minute: span.start % 60, second: 0, of: day),
                let end = span.end == 24 * 60
                    ? calendar.date(byAdding: .day, value: 1, to: day)
                    : calendar.date(bySettingHour: span.end / 60, minute: span.end % 60, second: 0, of: day),
                start < end
            else { return nil }
            return start..<end
        }
    }

    /// The periods from the day holding `start` on, for at most a year.
    private func periods(from start: Date) -> some Sequence<Range<Date>> {
        let calendar = calendar
        let first = calendar.startOfDay(for: start)
        return (0..<400).lazy.compactMap { calendar.date(byAdding: .day, value: $0, to: first) }
            .flatMap { periods(ofDayHolding: $0) }
    }

    public func isOpen(at date: Date) -> Bool {
        periods(ofDayHolding: date).contains { $0.contains(date) }
    }

    /// Working time between two instants, in seconds.
    public func workingSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard start < end else { return 0 }
        var total: TimeInterval = 0
        for period in periods(from: start) {
            if period.lowerBound >= end { break }
            let from = max(period.lowerBound, start)
            let to = min(period.upperBound, end)
            if from < to { total += to.timeIntervalSince(from) }
        }
        return total
    }

    /// The instant at which `seconds` of working time have passed since `start`; nil when
    /// the schedule has no working time within a year.
    public func adding(workingSeconds seconds: TimeInterval, to start: Date) -> Date? {
        var left = seconds
        for period in periods(from: start) where period.upperBound > start {
            let from = max(period.lowerBound, start)
            let available = period.upperBound.timeIntervalSince(from)
            if available >= left { return from.addingTimeInterval(left) }
            left -= available
        }
        return nil
    }
}
