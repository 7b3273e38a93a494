import Foundation
import Hummingbird
import NIOCore
import Prometheus
import ReclaimCore
import WebSupport

/// The JSON API under `/api/v1`, documented in `/openapi.yaml`.
extension GuardedRouter {
    mutating func addAPIRoutes() {
        let services = services

        add(.get, "/api/v1/authority/bundle", .anyone) { _, _ in
            APIResponse.json(services.authority.bundle)
        }

        add(.post, "/api/v1/enrollments", .factory) { request, context in
            let body = try await Self.body(request, limit: 4 * 1024 * 1024)
            let records: [DeviceEnrollment]
            do {
                if body.first(where: { !$0.isWhitespace }) == "[" {
                    records = try JSONDecoder.reclaim.decode([DeviceEnrollment].self, from: Data(body.utf8))
                } else {
                    records = [try JSONDecoder.reclaim.decode(DeviceEnrollment.self, from: Data(body.utf8))]
                }
            } catch {
                return APIResponse.error(
                    .badRequest, "The body must be an enrollment record, or an array of them, as `reclaim-device provision` prints.")
            }
            guard !records.isEmpty, records.count <= 10_000 else {
                return APIResponse.error(.badRequest, "Send between 1 and 10,000 records at a time.")
            }
            do {
                let result = try await services.authority.enroll(records, actor: "factory")
                return APIResponse.json(result, status: result.enrolled.isEmpty ? .ok : .created)
            } catch let error as AuthorityError {
                if case .conflict = error { return APIResponse.error(.conflict, error.description) }
                return APIResponse.error(.badRequest, error.description)
            }
        }

        add(.post, "/api/v1/recovery/email", .anyone) { request, context in
            let text: String?
            let picture: [UInt8]?
            if (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data") {
                let form = try await SubmittedForm.read(request, limit: context.maxUploadSize, fileFields: ["picture"])
                text = form.fields["challenge"]
                picture = form.files["picture"]
            } else {
                struct Body: Decodable { let challenge: String }
                guard let body = try? JSONDecoder().decode(Body.self, from: Data(try await Self.body(request, limit: 64 * 1024).utf8))
                else {
                    return APIResponse.error(.badRequest, "Send {\"challenge\": \"RC1:…\"}, or a multipart form with a picture.")
                }
                text = body.challenge
                picture = nil
            }
            switch services.emailRecovery.handIn(text: text, picture: picture, source: context.source) {
            case .received:
                return APIResponse.json(EmailRecoveryAnswer(), status: .accepted)
            case .unreadable(let why):
                return APIResponse.error(.badRequest, why)
            }
        }

        add(.post, "/api/v1/tokens", .anyone) { request, context in
            struct Body: Decodable {
                let email: String
                let password: String
                let name: String?
            }
            guard let body = try? JSONDecoder().decode(Body.self, from: Data(try await Self.body(request, limit: 16 * 1024).utf8)) else {
                return APIResponse.error(.badRequest, "Send {\"email\": …, \"password\": …, \"name\": …}.")
            }
            switch try await services.accounts.signIn(email: body.email, password: body.password, source: context.source) {
            case .signedIn(let account):
                let token = try await services.accounts.createToken(for: account, name: body.name ?? "reclaim CLI")
                struct Answer: Encodable {
                    let token: String
                    let role: String
                }
                return APIResponse.json(Answer(token: token, role: account.role.rawValue), status: .created)
            case .refused:
                return APIResponse.error(.unauthorized, PortalStrings.text("signInRefused", .english))
            case .paused(let until):
                var response = APIResponse.error(
                    .tooManyRequests, "Too many failed sign-ins; try again after \(until.formatted(.iso8601)).")
                response.headers[.retryAfter] = "\(max(1, Int(until.timeIntervalSinceNow.rounded(.up))))"
                return response
            }
        }

        add(.get, "/api/v1/me", .signedIn) { _, context in
            struct Me: Encodable {
                let id: String
                let email: String
                let name: String
                let role: String
                let company: String?
                let companyCertified: Bool?
            }
            let account = context.account!
            let company = try await account.companyId.asyncMap { try await services.accounts.company(id: $0) } ?? nil
            return APIResponse.json(
                Me(
                    id: account.id, email: account.email, name: account.name, role: account.role.rawValue, company: company?.name,
                    companyCertified: company?.isCertified))
        }

        let desk: Access = .roles([.reviewer, .admin])

        add(.post, "/api/v1/authority/challenges/open", desk) { request, _ in
            let body: ChallengeBody
            do {
                body = try await ChallengeBody.read(request)
            } catch let failure as APIFailure {
                return failure.response
            }
            do {
                let opened = try await services.authority.open(body.challenge)
                return APIResponse.json(ChallengeSummary(opened))
            } catch let error as ReclaimError {
                return APIResponse.error(.unprocessableContent, error.reason)
            }
        }

        add(.post, "/api/v1/authority/reset-keys", desk) { request, context in
            try await Self.issuing(request, context, services) { opened, issue in
                let key = try await services.authority.issueResetKey(for: opened, request: issue)
                struct Answer: Encodable {
                    let resetKey: String
                    let serial: String
                    let expiresAt: Date
                }
                return APIResponse.json(
                    Answer(resetKey: key.description, serial: opened.content.serial.text, expiresAt: opened.content.expiresAt), status: .created)
            }
        }

        add(.post, "/api/v1/authority/reset-files", desk) { request, context in
            try await Self.issuing(request, context, services) { opened, issue in
                let file = try await services.authority.issueResetFile(for: opened, request: issue)
                return Response(
                    status: .created,
                    headers: [
                        .contentType: "application/xml; charset=utf-8",
                        .contentDisposition: "attachment; filename=\"reset-\(opened.content.serial.text).xml\"",
                        .cacheControl: "no-store",
                    ],
                    body: .init(byteBuffer: ByteBuffer(string: file.xml)))
            }
        }

        add(.get, "/api/v1/authority/devices/{serial}/issuances", desk) { _, context in
            let serial = context.parameters.get("serial") ?? ""
            return APIResponse.json(try await services.authority.issuances(serial: serial))
        }

        add(.get, "/api/v1/audit", .roles([.admin])) { request, _ in
            let from = request.uri.queryParameters["from"].flatMap { Int64(String($0)) } ?? 1
            let limit = min(1000, request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 100)
            let entries = try await services.database.read { db in try await AuditLog.entries(db, from: from, limit: limit) }
            return APIResponse.json(entries)
        }

        add(.get, "/api/v1/companies", .roles([.admin, .reviewer])) { _, _ in
            APIResponse.json(try await services.accounts.companies())
        }

        add(.post, "/api/v1/companies/{id}/certify", .roles([.admin])) { _, context in
            do {
                let company = try await services.accounts.certify(company: context.parameters.get("id") ?? "", actor: context.actor)
                return APIResponse.json(company)
            } catch let failure as Accounts.Failure {
                return APIResponse.error(.notFound, failure.description)
            }
        }
    }

    /// Reads `{"challenge", "reason", "caseId"}`, opens the challenge and runs `issue` with
    /// who asks and why; a challenge that does not open is a 422 with the reason.
    static func issuing(
        _ request: Request, _ context: PortalContext, _ services: PlatformServices,
        _ issue: (OpenedChallenge, RecoveryAuthority.Request) async throws -> Response
    ) async throws -> Response {
        let body: ChallengeBody
        do {
            body = try await ChallengeBody.read(request, needsReason: true)
        } catch let failure as APIFailure {
            return failure.response
        }
        do {
            let opened = try await services.authority.open(body.challenge)
            let response = try await issue(opened, .init(actor: context.actor, reason: body.reason ?? "", caseID: body.caseId))
            services.metrics.issued.increment()
            return response
        } catch let error as ReclaimError {
            return APIResponse.error(.unprocessableContent, error.reason)
        }
    }

    static func body(_ request: Request, limit: Int) async throws -> String {
        var buffer = try await request.body.collect(upTo: limit)
        return buffer.readString(length: buffer.readableBytes) ?? ""
    }
}

/// The one answer to every well-formed reserved-e-mail hand-in.
struct EmailRecoveryAnswer: Encodable {
    var status = "received"
    var message = PortalStrings.text("recoverReceived", .english)
}

struct APIFailure: Error {
    let response: Response
}

/// `{"challenge": "RC1:…", "reason": "…", "caseId": "…"}`
struct ChallengeBody: Decodable {
    let challenge: String
    let reason: String?
    let caseId: String?

    static func read(_ request: Request, needsReason: Bool = false) async throws -> ChallengeBody {
        guard
            let body = try? JSONDecoder().decode(
                ChallengeBody.self, from: Data(try await GuardedRouter.body(request, limit: 64 * 1024).utf8))
        else {
            throw APIFailure(response: APIResponse.error(.badRequest, "Send {\"challenge\": \"RC1:…\", \"reason\": \"…\"}."))
        }
        if needsReason, (body.reason ?? "").trimmingCharacters(in: .whitespaces).count < 3 {
            throw APIFailure(
                response: APIResponse.error(.badRequest, "Say why the key is issued (\"reason\"): it is kept in the audit log."))
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
