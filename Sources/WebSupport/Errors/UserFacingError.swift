public import HTTPTypes
public import ReclaimCore

/// An error that answers for itself: a stable code for programs and tests, the HTTP
/// status it answers with on every surface of its owner, and what a person reads, in
/// their language.
///
/// Each domain error (the device's, the platform's) conforms once, in one place, so the
/// same failure answers the same way on an API, a page and a form.
public protocol UserFacingError: Error, Sendable {
    /// A stable name: `wrongCredential`, `notFound`.
    var codeName: String { get }
    /// What happened and what to do, in English, for logs and API clients.
    var reason: String { get }
    /// The status it answers with.
    var httpStatus: HTTPResponse.Status { get }
    /// What a person reads, in `language`, from the surface's `strings`.
    func message(_ language: Language, _ strings: StringCatalog) -> String
}
