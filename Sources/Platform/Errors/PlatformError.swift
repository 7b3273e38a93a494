public import Foundation
public import ReclaimCore

/// Why the platform refused or failed something: a stable ``Code``, a reason in English
/// that says what to do (for logs, the API's `detail`, the command line), and where it was
/// raised. A page shows the code's text in the reader's language, and the reason too when
/// it carries a specific detail the reader needs (see `PlatformError+Surfaces.swift`).
///
/// Compares on the code, as ``ReclaimCore/ReclaimError`` does. A reason never holds a secret.
public struct PlatformError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. New kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible, CaseIterable {
        enum Base: String, Sendable, CaseIterable {
            case invalidInput
            case unauthorized
            case forbidden
            case notFound
            case conflict
            case throttled
            case unreadableUpload
            case uploadTooLarge
            case badEnrollment
            case databaseURL
            case databaseUnreachable
            case migration
            case keyStore
            case mailFailed
            case badSetting
        }

        let base: Base
        private init(_ base: Base) { self.base = base }

        /// A field of the request is missing or wrong; the reason names it.
        public static let invalidInput = Code(.invalidInput)
        /// No one is signed in, or the credentials are wrong.
        public static let unauthorized = Code(.unauthorized)
        /// The account may not do this.
        public static let forbidden = Code(.forbidden)
        /// No such object, or not one the caller may see: the answer is the same.
        public static let notFound = Code(.notFound)
        /// The object exists already, or changed meanwhile.
        public static let conflict = Code(.conflict)
        /// Too many requests of this kind; ``PlatformError/retryAfter`` says when to try again.
        public static let throttled = Code(.throttled)
        /// An upload (a picture, a file) could not be read as what it should be.
        public static let unreadableUpload = Code(.unreadableUpload)
        /// An upload is larger than this server takes.
        public static let uploadTooLarge = Code(.uploadTooLarge)
        /// An enrollment record the authority cannot take.
        public static let badEnrollment = Code(.badEnrollment)
        /// The database URL is not one the server reads.
        public static let databaseURL = Code(.databaseURL)
        /// The database does not answer.
        public static let databaseUnreachable = Code(.databaseUnreachable)
        /// The schema could not be brought up to date.
        public static let migration = Code(.migration)
        /// The authority's key files are missing, unreadable or too open.
        public static let keyStore = Code(.keyStore)
        /// A message could not be handed to the mail server.
        public static let mailFailed = Code(.mailFailed)
        /// A setting of the server is missing or wrong.
        public static let badSetting = Code(.badSetting)

        public static let allCases: [Code] = Base.allCases.map(Code.init)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// What happened and what to do, for a person reading English.
    public let reason: String
    /// For ``Code/throttled``: when trying again may work.
    public var retryAfter: Date?
    /// When the reason names a detail the reader needs (which field, which limit), the
    /// key and values of the same in the surface's texts; otherwise pages use the code's text.
    public var localized: LocalizedReason?
    public let file: String
    public let line: Int

    public init(
        _ code: Code, _ reason: String, retryAfter: Date? = nil, localized: LocalizedReason? = nil, file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.retryAfter = retryAfter
        self.localized = localized
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(reason)" }
}

extension PlatformError {
    /// An error of each code, for tests and `#expect(throws:)`: compares equal to any of its code.
    public static let databaseURL = PlatformError(.databaseURL, "")
    public static let notFound = PlatformError(.notFound, "")
    public static let conflict = PlatformError(.conflict, "")
    public static let forbidden = PlatformError(.forbidden, "")
    public static let invalidInput = PlatformError(.invalidInput, "")
    public static let throttled = PlatformError(.throttled, "")
    public static let unreadableUpload = PlatformError(.unreadableUpload, "")
    public static let keyStore = PlatformError(.keyStore, "")
}

extension PlatformError: Equatable {
    /// Errors compare on their code only; the reason and location are for people.
    public static func == (lhs: PlatformError, rhs: PlatformError) -> Bool { lhs.code == rhs.code }
}
