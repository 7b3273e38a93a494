public import HTTPTypes
public import Hummingbird
public import ReclaimCore
public import WebSupport

/// How each refusal answers on each of the device's surfaces — written once here, so the
/// same failure gets the same HTTP status on ISAPI and on the web page, and every code has
/// its ISAPI `ResponseStatus` fields, its discovery result and its message for a person.
extension DeviceError.Code {
    /// The HTTP status on every HTTP surface (ISAPI, the web page).
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .notActivated: .unauthorized
        case .passwordRule, .badRequest, .firmwareRefused: .badRequest
        case .alreadyActivated, .wrongCredential, .locked, .modeUnavailable, .challengeExpired, .unknownChallenge: .forbidden
        case .conflict: .conflict
        case .storage: .internalServerError
        }
    }

    /// ISAPI `statusCode` and `statusString`, as real devices group them.
    var isapiStatus: (code: Int, text: String) {
        switch self {
        case .storage: (3, "Device Error")
        case .badRequest, .passwordRule, .firmwareRefused: (6, "Invalid Content")
        default: (4, "Invalid Operation")
        }
    }

    /// The discovery answer's result: a lock is a denial, anything else a failure.
    var discoveryDenied: Bool { self == .locked }
}

extension DeviceError: UserFacingError {
    public var codeName: String { code.rawValue }
    public var httpStatus: HTTPResponse.Status { code.httpStatus }

    /// ISAPI `subStatusCode`: the names real clients know, and Reclaim's for its own codes.
    var isapiSubStatus: String {
        switch code {
        case .notActivated: "notActivated"
        case .alreadyActivated: "activated"
        case .passwordRule: "riskPassword"
        case .wrongCredential: "badAuthorization"
        case .locked: lock?.scope == .guidMode ? "guidModeLocked" : "userLocked"
        case .modeUnavailable: "notSupport"
        case .badRequest: "badXmlContent"
        case .challengeExpired: "challengeExpired"
        case .unknownChallenge: "challengeUnknown"
        case .conflict: "conflict"
        case .storage: "deviceError"
        case .firmwareRefused:
            switch firmwareRefusal {
            case .tooLarge: "firmwareTooLarge"
            case .unsigned: "firmwareUnsigned"
            case .noTrustedKey, .unknownKey: "firmwareKeyUntrusted"
            case .badSignature: "firmwareSignatureInvalid"
            case .wrongModel: "firmwareWrongModel"
            case .sameVersion: "firmwareSameVersion"
            case .olderVersion: "firmwareDowngrade"
            case .malformed, nil: "badFirmware"
            }
        }
    }

    /// What the web page says, in `language`, with what the reader needs to act on it.
    public func message(_ language: Language, _ strings: StringCatalog) -> String {
        let minutes = ((lockSecondsLeft ?? 60) + 59) / 60
        switch code {
        case .locked:
            return strings.text(lock?.scope == .guidMode ? "error.locked.guidMode" : "error.locked", language, count: minutes)
        case .wrongCredential:
            // The English reason says what was wrong and how many attempts are left.
            guard language != .english else { return reason }
            let left = attemptsLeft.map { " " + strings.text("error.attemptsLeft", language, count: $0) } ?? ""
            return strings.text("error.wrongCredential", language) + left
        case .passwordRule:
            return violations.map { $0.message(language: language) }.joined(separator: " ")
        case .modeUnavailable:
            return language == .english ? reason : strings.text("error.modeUnavailable", language)
        case .firmwareRefused:
            if let localized, strings.contains(localized.key) { return strings.text(localized, language) }
            return strings.text("error.firmwareRefused", language)
        case .badRequest:
            if let localized, strings.contains(localized.key) { return strings.text(localized, language) }
            // The English reason names what to send; another language gets the code's own
            // text rather than English on its page.
            guard language == .english else { return strings.text("error.badRequest.unnamed", language) }
            return strings.text("error.badRequest", language, ["detail": reason])
        case .notActivated, .alreadyActivated, .challengeExpired, .unknownChallenge, .conflict, .storage:
            return strings.text("error." + code.rawValue, language)
        }
    }
}

/// A refusal raised while answering an ISAPI request renders itself as `ResponseStatus`
/// for the path asked, with the lock-out fields clients read.
extension DeviceError: HTTPResponseError {
    public var status: HTTPResponse.Status { code.httpStatus }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        ISAPI.xml(ISAPI.refusal(self, path: request.uri.path), status: status)
    }
}
