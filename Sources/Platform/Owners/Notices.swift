import Foundation
import ReclaimCore
import SQLKit
import WebSupport

/// Tells accounts what happened to their devices and shares: an entry in each one's
/// message centre (written in the caller's transaction, so it exists exactly when the
/// change does) and, once the change is stored, a mail in each reader's language.
struct Notices: Sendable {
    let database: Database
    let mail: MailQueue
    let settings: ServerSettings

    /// Writes the message-centre entry of `event` about `subject` (a share, a request, a
    /// device's serial) for each account.
    func post(_ event: String, about subject: String, to accounts: [String], in db: any SQLDatabase, now: Int64) async throws {
        for account in Set(accounts) {
            try await NotificationTable.insert(
                CaseNotification(
                    id: SupportCases.messageID(now: Date()), accountId: account, caseId: subject, event: event, createdAt: now, readAt: nil),
                in: db)
        }
    }

    /// Mails each account the text of `event` in the `template` mail ("mail.share", "mail.device").
    ///
    /// `dates` are written in each reader's own form and the platform's time zone, as `{name}`.
    func mail(
        _ event: String, template: String, to accounts: [String], values: [String: String], dates: [String: Date] = [:], path: String
    ) async {
        let zone = TimeZone(identifier: settings.caseTimeZone) ?? .current
        for id in Set(accounts) {
            guard let account = try? await database.read({ db in try await AccountTable.find(id: id, in: db) }) ?? nil else { continue }
            var values = values
            for (name, date) in dates { values[name] = account.preferredLanguage.dateTime(date, timeZone: zone) }
            values["link"] = settings.publicURL + path
            mail.enqueue(
                MailMessage(
                    to: account.email, MailTemplates.event(template, event, values: values, language: account.preferredLanguage)))
        }
    }

    /// The installers of `company`: who hears of its shares.
    func installers(of company: String) async throws -> [String] {
        try await database.read { db in try await AccountTable.members(of: company, in: db) }.map(\.id)
    }
}
