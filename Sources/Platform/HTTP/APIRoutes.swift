import Foundation
import Hummingbird
import NIOCore
import Prometheus
import ReclaimCore
import WebSupport

/// The JSON API under `/api/v1`, documented in `/openapi.yaml`. Handlers call the domain
/// services and throw what goes wrong; ``GuardedRouter`` answers with problem details.
extension GuardedRouter {
    mutating func addAPIRoutes() {
        let services = services

        add(.get, "/api/v1/authority/bundle", .anyone) { _, _ in
            APIResponse.json(services.authority.bundle)
        }

        add(.post, "/api/v1/enrollments", .factory) { request, _ in
            let body = try await APIBody.text(request, limit: 4 * 1024 * 1024)
            let records: [DeviceEnrollment]
            do {
                if body.first(where: { !$0.isWhitespace }) == "[" {
                    records = try JSONDecoder.reclaim.decode([DeviceEnrollment].self, from: Data(body.utf8))
                } else {
                    records = [try JSONDecoder.reclaim.decode(DeviceEnrollment.self, from: Data(body.utf8))]
                }
            } catch {
                throw PlatformError(
                    .invalidInput, "The body must be an enrollment record, or an array of them, as `reclaim-device provision` prints.")
            }
            guard !records.isEmpty, records.count <= 10_000 else {
                throw PlatformError(.invalidInput, "Send between 1 and 10,000 records at a time.")
            }
            let result = try await services.authority.enroll(records, actor: .factory)
            return APIResponse.json(result, status: result.enrolled.isEmpty ? .ok : .created)
        }

        add(.post, "/api/v1/recovery/email", .anyone) { request, context in
            let isUpload = (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data")
            let limit = context.maxUploadSize
            // The body is read only once the hand-in is let in (a photo may be megabytes).
            try await services.emailRecovery.handIn(source: context.source, upload: isUpload) {
                if isUpload {
                    let form = try await SubmittedForm.read(request, limit: limit, fileFields: ["picture"], offloaded: true)
                    return (form.fields["challenge"], form.files["picture"])
                }
                struct Body: Decodable { let challenge: String }
                let body = try await APIBody.decode(
                    Body.self, request, limit: 64 * 1024, hint: "Send {\"challenge\": \"RC1:…\"}, or a multipart form with a picture.")
                return (body.challenge, nil)
            }
            return APIResponse.json(EmailRecoveryAnswer(), status: .accepted)
        }

        add(.post, "/api/v1/tokens", .anyone) { request, context in
            struct Body: Decodable {
                let email: String
                let password: String
                let name: String?
            }
            let body = try await APIBody.decode(
                Body.self, request, limit: 16 * 1024, hint: "Send {\"email\": …, \"password\": …, \"name\": …}.")
            switch try await services.accounts.signIn(email: body.email, password: body.password, source: context.source) {
            case .signedIn(let account):
                let token = try await services.accounts.createToken(for: account, name: body.name ?? "reclaim CLI")
                struct Answer: Encodable {
                    let token: String
                    let role: String
                }
                return APIResponse.json(Answer(token: token, role: account.role.rawValue), status: .created)
            case .refused:
                throw PlatformError(.unauthorized, PortalStrings.catalog.text("signInRefused", .english))
            case .paused(let until):
                throw PlatformError(
                    .throttled, "Too many failed sign-ins; try again after \(until.inReason).", retryAfter: until)
            }
        }

        add(.get, "/api/v1/me", signedIn: .signedIn) { _, caller in
            struct Me: Encodable {
                let id: String
                let email: String
                let name: String
                let role: String
                let company: String?
                /// The company's code, which owners share sites with.
                let companyId: String?
                let companyCertified: Bool?
            }
            let account = caller.account
            let company = try await account.companyId.asyncMap { try await services.accounts.company(id: $0) } ?? nil
            return APIResponse.json(
                Me(
                    id: account.id, email: account.email, name: account.name, role: account.role.rawValue, company: company?.name,
                    companyId: company?.id, companyCertified: company?.isCertified))
        }

        let desk: Access = .roles([.reviewer, .admin])

        add(.post, "/api/v1/authority/challenges/open", signedIn: desk) { request, _ in
            let body = try await ChallengeBody.read(request)
            return APIResponse.json(ChallengeSummary(try await services.authority.open(body.challenge)))
        }

        add(.post, "/api/v1/authority/reset-keys", signedIn: desk) { request, caller in
            let (opened, issue) = try await Self.issuing(request, caller, services)
            let key = try await services.authority.issueResetKey(for: opened, request: issue)
            services.metrics.issued.increment()
            struct Answer: Encodable {
                let resetKey: String
                let serial: String
                let expiresAt: Date
            }
            return APIResponse.json(
                Answer(resetKey: key.description, serial: opened.content.serial.text, expiresAt: opened.content.expiresAt), status: .created
            )
        }

        add(.post, "/api/v1/authority/reset-files", signedIn: desk) { request, caller in
            let (opened, issue) = try await Self.issuing(request, caller, services)
            let file = try await services.authority.issueResetFile(for: opened, request: issue)
            services.metrics.issued.increment()
            return Response(
                status: .created,
                headers: [
                    .contentType: "application/xml; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"reset-\(opened.content.serial.text).xml\"",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(string: file.xml)))
        }

        add(.get, "/api/v1/authority/devices/{serial}/issuances", signedIn: desk) { _, caller in
            APIResponse.json(try await services.authority.issuances(serial: caller.parameters.get("serial") ?? ""))
        }

        add(.get, "/api/v1/audit", signedIn: .roles([.admin])) { request, _ in
            let from = request.uri.queryParameters["from"].flatMap { Int64(String($0)) } ?? 1
            let limit = min(1000, max(1, request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 100))
            return APIResponse.json(try await services.audit.entries(from: from, limit: limit))
        }

        add(.get, "/api/v1/companies", signedIn: .roles([.admin, .reviewer])) { _, _ in
            APIResponse.json(try await services.accounts.companies())
        }

        add(.get, "/api/v1/companies/{id}", signedIn: .signedIn, owning: .company) { _, _, company in
            struct Answer: Encodable {
                let company: Company
                let members: Int
            }
            return APIResponse.json(Answer(company: company, members: try await services.accounts.memberCount(company: company.id)))
        }

        add(.post, "/api/v1/companies/{id}/certify", signedIn: .roles([.admin])) { _, caller in
            APIResponse.json(try await services.accounts.certify(company: caller.parameters.get("id") ?? "", actor: caller.actor))
        }
    }

    /// Reads `{"challenge", "reason", "caseId"}` and opens the challenge; the request says
    /// who asks and why, for the issuance record and the audit log.
    static func issuing(_ request: Request, _ caller: SignedIn, _ services: PlatformServices) async throws
        -> (OpenedChallenge, RecoveryAuthority.Request)
    {
        let body = try await ChallengeBody.read(request, needsReason: true)
        let opened = try await services.authority.open(body.challenge)
        return (opened, .init(actor: caller.actor, reason: body.reason ?? "", caseID: body.caseId))
    }
}

/// Reading API request bodies; what cannot be read is an `invalidInput` that says what to send.
enum APIBody {
    static func text(_ request: Request, limit: Int) async throws -> String {
        var buffer = try await request.body.collect(upTo: limit)
        return buffer.readString(length: buffer.readableBytes) ?? ""
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int, hint: String) async throws -> T {
        let text = try await text(request, limit: limit)
        guard let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else { throw PlatformError(.invalidInput, hint) }
        return value
    }
}

/// The one answer to every well-formed reserved-e-mail hand-in.
struct EmailRecoveryAnswer: Encodable {
    var status = "received"
    var message = PortalStrings.catalog.text("recoverReceived", .english)
}

/// `{"challenge": "RC1:…", "reason": "…", "caseId": "…"}`
struct ChallengeBody: Decodable {
    let challenge: String
    let reason: String?
    let caseId: String?

    static func read(_ request: Request, needsReason: Bool = false) async throws -> ChallengeBody {
        let body = try await APIBody.decode(
            ChallengeBody.self, request, limit: 64 * 1024, hint: "Send {\"challenge\": \"RC1:…\", \"reason\": \"…\"}.")
        if needsReason, (body.reason ?? "").trimmingCharacters(in: .whitespaces).count < 3 {
            throw PlatformError(.invalidInput, "Say why the key is issued (\"reason\"): it is kept in the audit log.")
        }
        return body
    }
}

/// What the support desk may see of a challenge: never the reserved address in full.
struct ChallengeSummary: Encodable {
    let serial: String
    let model: String
    let purpose: String
    let issuedAt: Date
    let expiresAt: Date
    let reservedEmail: String?

    init(_ opened: OpenedChallenge) {
        serial = opened.content.serial.text
        model = opened.content.model
        purpose = opened.content.purpose.name
        issuedAt = opened.content.issuedAt
        expiresAt = opened.content.expiresAt
        reservedEmail = opened.content.reservedEmail.map(Self.masked)
    }

    /// `m…o@example.com`
    static func masked(_ address: String) -> String {
        guard let at = address.firstIndex(of: "@") else { return "…" }
        let local = address[..<at]
        guard let first = local.first, let last = local.last else { return "…" + address[at...] }
        return "\(first)…\(last)" + address[at...]
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
