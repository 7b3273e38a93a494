import Foundation
import Hummingbird
import NIOCore
import QRReader
import ReclaimCore
import WebSupport

extension OwnedObject where Object == SupportCase {
    /// A support case: seen by the installers of its company, by reviewers and by administrators.
    static let supportCase = OwnedObject(
        kind: "case", parameter: "id", find: { id, services in try await services.cases.find(id: id) },
        isVisible: { value, account in account.companyId == value.companyId || account.role == .reviewer || account.role == .admin })
}

/// A case as the API shows it: what its state means for the reader, never the challenge's
/// secrets (it has none readable) and the key only while the case is To confirm.
struct CaseView: Encodable {
    let id: String
    let state: String
    let channel: String
    let serial: String
    let model: String
    let result: String
    let createdAt: Date
    let updatedAt: Date
    /// While waiting for a reviewer: why, and when one is expected to look.
    var review: Review?
    var rejectReason: String?
    var rejectText: String?
    var closeReason: String?
    var resultExpiresAt: Date?
    var resetKey: String?
    var resetFile: String?
    /// For reviewers: what the reader found on the label, and which case the photo came with first.
    var labelRead: String?
    var reusedFrom: String?

    struct Review: Encodable {
        let reason: String
        let expectedBy: Date?
        let waitedWorkingSeconds: Int
    }

    init(_ value: SupportCase, services: PlatformServices, reader: Account, result: SupportCases.Result? = nil, now: Date = Date()) {
        id = value.id
        state = value.state.rawValue
        channel = value.channel.rawValue
        serial = value.serial
        model = value.model
        self.result = value.resultKind.rawValue
        createdAt = Date(timeIntervalSince1970: TimeInterval(value.createdAt))
        updatedAt = Date(timeIntervalSince1970: TimeInterval(value.updatedAt))
        if let reason = value.reviewReason {
            let opened = Date(timeIntervalSince1970: TimeInterval(value.createdAt))
            review = Review(
                reason: reason.rawValue, expectedBy: services.cases.expectedReview(after: opened),
                waitedWorkingSeconds: Int(services.cases.waited(value, now: now)))
        }
        rejectReason = value.rejectReason?.rawValue
        rejectText = value.rejectText
        closeReason = value.closeReason?.rawValue
        resultExpiresAt = value.resultExpiresAt.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        switch result {
        case .resetKey(let key): resetKey = key
        case .resetFile: resetFile = "/api/v1/cases/\(value.id)/reset-file"
        case nil: break
        }
        if reader.role == .reviewer || reader.role == .admin {
            labelRead = value.labelRead
            reusedFrom = value.reusedFrom
        }
    }
}

extension GuardedRouter {
    /// Support cases, the reviewer desk and the message centre, on the JSON API.
    mutating func addCaseRoutes() {
        let services = services
        let desk: Access = .roles([.reviewer, .admin])

        add(.post, "/api/v1/cases", signedIn: .roles([.installer])) { request, caller in
            let opening = try await CaseForm.read(request, limit: caller.context.maxUploadSize)
            let value = try await services.cases.open(opening, by: caller.account)
            return APIResponse.json(CaseView(value, services: services, reader: caller.account), status: .created)
        }

        add(.get, "/api/v1/cases", signedIn: .roles([.installer, .reviewer, .admin])) { request, caller in
            let query = try CaseQuery(request)
            let company = caller.account.role == .installer ? caller.account.companyId ?? "none" : nil
            let (cases, total) = try await services.cases.list(
                companyID: company, states: query.states, from: query.from, until: query.until, page: query.page, perPage: query.perPage)
            struct Page: Encodable {
                let cases: [CaseView]
                let total: Int
                let page: Int
                let perPage: Int
            }
            return APIResponse.json(
                Page(
                    cases: cases.map { CaseView($0, services: services, reader: caller.account) }, total: total, page: query.page,
                    perPage: query.perPage))
        }

        add(.get, "/api/v1/cases/{id}", signedIn: .signedIn, owning: .supportCase) { _, caller, value in
            let result = value.state == .toConfirm ? try await services.cases.result(of: value) : nil
            return APIResponse.json(CaseView(value, services: services, reader: caller.account, result: result))
        }

        add(.get, "/api/v1/cases/{id}/reset-file", signedIn: .signedIn, owning: .supportCase) { _, _, value in
            guard case .resetFile(let name, let xml) = try await services.cases.result(of: value) else {
                throw PlatformError(
                    .notFound, "Case \(value.id) gives a reset key, not a file; read it from the case.", localized: .init("caseNoResult"))
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/xml; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(string: xml)))
        }

        add(.get, "/api/v1/cases/{id}/photo", signedIn: .signedIn, owning: .supportCase) { _, _, value in
            guard let photo = try await services.cases.photo(of: value) else {
                throw PlatformError(.notFound, "Case \(value.id) has no photo.", localized: .init("error.notFound"))
            }
            return Response(
                status: .ok,
                headers: [.contentType: photo.mediaType, .cacheControl: "private, no-store", .init("X-Content-Type-Options")!: "nosniff"],
                body: .init(byteBuffer: ByteBuffer(bytes: photo.bytes)))
        }

        add(.post, "/api/v1/cases/{id}/close", signedIn: .roles([.installer, .admin]), owning: .supportCase) { _, caller, value in
            let closed = try await services.cases.close(caseID: value.id, by: caller.account)
            return APIResponse.json(CaseView(closed, services: services, reader: caller.account))
        }

        add(.get, "/api/v1/review/queue", signedIn: desk) { _, caller in
            APIResponse.json(try await services.cases.queue().map { CaseView($0, services: services, reader: caller.account) })
        }

        add(.post, "/api/v1/cases/{id}/approve", signedIn: desk, owning: .supportCase) { _, caller, value in
            let approved = try await services.cases.approve(caseID: value.id, by: caller.account)
            return APIResponse.json(CaseView(approved, services: services, reader: caller.account))
        }

        add(.post, "/api/v1/cases/{id}/reject", signedIn: desk, owning: .supportCase) { request, caller, value in
            struct Body: Decodable {
                let reason: String
                let text: String?
            }
            let choices = SupportCase.RejectReason.reviewerChoices.map(\.rawValue).joined(separator: ", ")
            let body = try await APIBody.decode(
                Body.self, request, limit: 8 * 1024, hint: "Send {\"reason\": one of \(choices), \"text\": \"…\"}.")
            guard let reason = SupportCase.RejectReason(rawValue: body.reason) else {
                throw PlatformError(.invalidInput, "reason is one of \(choices).")
            }
            let rejected = try await services.cases.reject(caseID: value.id, by: caller.account, reason: reason, text: body.text)
            return APIResponse.json(CaseView(rejected, services: services, reader: caller.account))
        }

        add(.get, "/api/v1/notifications", signedIn: .signedIn) { _, caller in
            struct Answer: Encodable {
                let unread: Int
                let notifications: [CaseNotification]
            }
            return APIResponse.json(
                Answer(
                    unread: try await services.cases.unreadCount(for: caller.account),
                    notifications: try await services.cases.notifications(for: caller.account)))
        }

        add(.post, "/api/v1/notifications/read", signedIn: .signedIn) { request, caller in
            struct Body: Decodable { let id: String? }
            let body = try await APIBody.decode(Body.self, request, limit: 1024, hint: "Send {\"id\": \"msg_…\"}, or {} for every message.")
            try await services.cases.markRead(body.id, for: caller.account)
            return APIResponse.json(["unread": try await services.cases.unreadCount(for: caller.account)])
        }
    }
}

/// The multipart form that opens a case: `channel` (`lan-device` or `other-network`), the
/// device's challenge as `challenge` text or as a `qr` picture, the label `photo`, and
/// `acknowledged=true`.
enum CaseForm {
    static func read(_ request: Request, limit: Int) async throws -> SupportCases.Opening {
        guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data") else {
            throw PlatformError(
                .invalidInput, "Send a multipart form: channel, challenge (or a qr picture), photo, acknowledged=true.",
                localized: .init("casePhotoMissing"))
        }
        let form = try await SubmittedForm.read(request, limit: limit, fileFields: ["photo", "qr"], offloaded: true)
        return try await opening(form)
    }

    static func opening(_ form: SubmittedForm) async throws -> SupportCases.Opening {
        guard let channel = SupportCase.Channel(rawValue: form["channel"].isEmpty ? "other-network" : form["channel"]) else {
            throw PlatformError(.invalidInput, "channel is lan-device or other-network.")
        }
        var challenge = form["challenge"].trimmingCharacters(in: .whitespacesAndNewlines)
        if challenge.isEmpty, let qr = form.files["qr"], !qr.isEmpty {
            let texts = try await HeavyWork.run { () -> [String] in (try? QRImageReader.texts(in: qr)) ?? [] }
            challenge = texts.first { $0.hasPrefix("RC1:") } ?? ""
            guard !challenge.isEmpty else {
                throw PlatformError(
                    .unreadableUpload, "No device QR code could be read in the qr picture; upload the PNG the device or LAN tool exported.",
                    localized: .init("caseQRUnreadable"))
            }
        }
        guard !challenge.isEmpty else {
            throw PlatformError(
                .invalidInput, "Give the device's challenge: pick the device, or upload its exported QR code.",
                localized: .init("caseChallengeMissing"))
        }
        guard let photo = form.files["photo"], !photo.isEmpty else {
            throw PlatformError(.invalidInput, "Add a photo of the device's label.", localized: .init("casePhotoMissing"))
        }
        return SupportCases.Opening(
            channel: channel, challenge: challenge, photo: photo, acknowledged: ["true", "on", "1", "yes"].contains(form["acknowledged"]))
    }
}

/// `?state=to-confirm&state=closed&from=2026-12-01&to=2026-12-31&page=2&perPage=20`.
struct CaseQuery {
    var states: [SupportCase.State] = []
    var from: Date?
    var until: Date?
    var page = 1
    var perPage = 20

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        for value in query.getAll("state") where !value.isEmpty {
            for name in value.split(separator: ",") {
                guard let state = SupportCase.State(rawValue: String(name)) else {
                    throw PlatformError(.invalidInput, "state is one of in-progress, to-confirm, closed, rejected.")
                }
                states.append(state)
            }
        }
        func day(_ name: String) throws -> Date? {
            guard let text = query[Substring(name)].map(String.init), !text.isEmpty else { return nil }
            guard let date = CaseQuery.days.date(from: text) else { throw PlatformError(.invalidInput, "\(name) is a date, YYYY-MM-DD.") }
            return date
        }
        from = try day("from")
        // "to" names the last day shown, so the range runs to the end of it.
        until = try day("to").map { $0.addingTimeInterval(86_400) }
        // Bounded, so that the row offset (page × perPage) cannot overflow.
        page = min(100_000, max(1, query["page"].flatMap { Int(String($0)) } ?? 1))
        perPage = min(100, max(1, query["perPage"].flatMap { Int(String($0)) } ?? 20))
    }

    static let days: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }()
}
