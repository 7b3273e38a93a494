public import Foundation
public import HTTPTypes
import Hummingbird
public import ReclaimCore
public import WebSupport

/// Any error a platform route meets, as the platform's surfaces show it — written once
/// here: the HTTP status and code of each platform and protocol error, the problem details
/// the API answers with (RFC 9457), and the text a portal page shows in the reader's language.
public struct PlatformFailure: UserFacingError {
    public let codeName: String
    public let reason: String
    public let httpStatus: HTTPResponse.Status
    public let retryAfter: Date?
    let localized: LocalizedReason?

    public init(_ error: any Error) {
        switch error {
        case let error as PlatformError:
            codeName = error.code.description
            reason = error.reason
            httpStatus = error.code.httpStatus
            retryAfter = error.retryAfter
            localized = error.localized
        case let error as ReclaimError:
            codeName = error.code.description
            reason = error.reason
            // A password that breaks the policy is the form's fault; anything else about a
            // challenge, key or record is well-formed input the authority cannot take.
            httpStatus = error.code == .passwordRule ? .badRequest : .unprocessableContent
            retryAfter = nil
            localized = nil
        case let error as any HTTPResponseError:
            let status = error.status
            codeName =
                switch status.code {
                case 413: PlatformError.Code.uploadTooLarge.description
                case 404: PlatformError.Code.notFound.description
                case 400..<500: PlatformError.Code.invalidInput.description
                default: "internal"
                }
            reason = status.code == 413 ? "The request is larger than this server takes; send a smaller file." : status.reasonPhrase
            httpStatus = status
            retryAfter = nil
            localized = nil
        default:
            codeName = "internal"
            reason = "Something went wrong on the server; nothing was changed. Try again, and if it persists, tell the operator."
            httpStatus = .internalServerError
            retryAfter = nil
            localized = nil
        }
    }

    /// What a page says: the detail in the reader's language when the error carries one,
    /// the English reason on English pages, else the code's own text.
    public func message(_ language: Language, _ strings: StringCatalog) -> String {
        if let localized, strings.contains(localized.key) { return strings.text(localized, language) }
        if language == .english { return reason }
        return strings.text("error." + codeName, language)
    }

    /// The body of an API answer: RFC 9457 problem details, with the stable `code` beside.
    struct ProblemDetails: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let code: String
    }

    var problemDetails: ProblemDetails {
        ProblemDetails(
            type: "urn:reclaim:error:\(codeName)", title: httpStatus.reasonPhrase, status: Int(httpStatus.code), detail: reason,
            code: codeName)
    }
}

extension PlatformError.Code {
    /// The status of each platform failure, on the API and on pages alike.
    public var httpStatus: HTTPResponse.Status {
        switch base {
        case .invalidInput, .unreadableUpload, .badEnrollment: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .throttled: .tooManyRequests
        case .uploadTooLarge: .contentTooLarge
        case .databaseURL, .migration, .keyStore, .badSetting: .internalServerError
        case .databaseUnreachable: .serviceUnavailable
        case .mailFailed: .badGateway
        }
    }
}
