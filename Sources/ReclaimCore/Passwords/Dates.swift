public import Foundation

extension Language {
    /// A date and time as a reader of this language writes it, in `timeZone`: `20/06/2025
    /// 13:49` in Italian, `20 Jun 2025 13:49` in English. Never ISO 8601 on a page or in a mail.
    public func dateTime(_ date: Date, timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = timeZone
        switch self {
        case .italian:
            formatter.locale = Locale(identifier: "it_IT")
            formatter.dateFormat = "dd/MM/yyyy HH:mm"
        case .english:
            formatter.locale = Locale(identifier: "en_GB")
            formatter.dateFormat = "d MMM yyyy HH:mm"
        }
        return formatter.string(from: date)
    }
}

extension Language {
    /// A time of today as a reader of this language writes it, in `timeZone`: `13:49` in
    /// both languages, never "1:49 PM" from the server's own locale.
    public func time(_ date: Date, timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: self == .italian ? "it_IT" : "en_GB")
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: date)
    }
}

extension Date {
    /// The time as an English reason states it, for logs, the API and the command line:
    /// `20 Jun 2025 13:49 UTC`.
    public var inReason: String { Language.english.dateTime(self, timeZone: TimeZone(identifier: "UTC")!) + " UTC" }
}
