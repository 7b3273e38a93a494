/// One command line of an SMTP client (RFC 5321), read strictly enough that nothing odd
/// reaches the mailbox's rules: verbs in any case, paths in angle brackets, `KEY=VALUE`
/// parameters. A line that is not one of these is ``unknown(_:)`` or a ``SyntaxError``
/// that says how the command is written.
public enum SMTPCommand: Sendable, Hashable {
    case hello(extended: Bool, domain: String)
    /// `MAIL FROM:<path>`: `sender` is empty for the null path `<>` (bounces).
    case mail(sender: String, parameters: [String: String])
    case recipient(String, parameters: [String: String])
    case data
    case reset
    case noop
    case quit
    case help
    /// VRFY and EXPN: the mailbox says nothing about its addresses.
    case verify
    /// A verb SMTP knows that this mailbox does not offer (AUTH, STARTTLS, BDAT, TURN…).
    case notOffered(String)
    case unknown(String)

    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// How the command is written, for the 501 reply.
        public let usage: String
        public var description: String { usage }
    }

    /// The longest path (an address in angle brackets) taken: RFC 5321 allows 256 bytes.
    public static let maximumPathLength = 256

    public init(line: [UInt8]) throws(SyntaxError) {
        // Commands are ASCII; anything else in one is refused rather than guessed at.
        guard line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 }) else {
            throw SyntaxError(usage: "Commands are plain ASCII text")
        }
        let text = String(decoding: line, as: UTF8.self)
        let verbEnd = text.firstIndex(of: " ") ?? text.endIndex
        let verb = text[..<verbEnd].uppercased()
        let rest = text[verbEnd...].drop { $0 == " " }
        switch verb {
        case "EHLO", "HELO":
            let domain = rest.trimmingSpaces
            guard !domain.isEmpty, !domain.contains(" ") else { throw SyntaxError(usage: "Syntax: \(verb) your.domain") }
            self = .hello(extended: verb == "EHLO", domain: String(domain))
        case "MAIL":
            let (path, parameters) = try Self.path(after: "FROM:", in: rest, usage: "Syntax: MAIL FROM:<address> [SIZE=bytes]")
            self = .mail(sender: path, parameters: parameters)
        case "RCPT":
            let (path, parameters) = try Self.path(after: "TO:", in: rest, usage: "Syntax: RCPT TO:<address>")
            guard !path.isEmpty else { throw SyntaxError(usage: "Syntax: RCPT TO:<address>") }
            self = .recipient(path, parameters: parameters)
        case "DATA", "RSET", "QUIT":
            guard rest.trimmingSpaces.isEmpty else { throw SyntaxError(usage: "Syntax: \(verb)") }
            self = verb == "DATA" ? .data : verb == "RSET" ? .reset : .quit
        case "NOOP": self = .noop
        case "HELP": self = .help
        case "VRFY", "EXPN": self = .verify
        case "AUTH", "STARTTLS", "BDAT", "TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML": self = .notOffered(verb)
        default: self = .unknown(String(verb.prefix(16)))
        }
    }

    /// Reads `FROM:<path> PARAM=VALUE…`; a space after the colon is tolerated, as common
    /// clients send it. A source route (`<@relay:user@host>`) is reduced to its mailbox.
    private static func path(
        after keyword: String, in rest: Substring, usage: String
    ) throws(SyntaxError) -> (String, [String: String]) {
        guard rest.uppercased().hasPrefix(keyword) else { throw SyntaxError(usage: usage) }
        let afterKeyword = rest.dropFirst(keyword.count).drop { $0 == " " }
        guard afterKeyword.first == "<", let close = afterKeyword.firstIndex(of: ">") else { throw SyntaxError(usage: usage) }
        var path = afterKeyword[afterKeyword.index(after: afterKeyword.startIndex)..<close]
        if path.first == "@", let colon = path.firstIndex(of: ":") { path = path[path.index(after: colon)...] }
        guard path.count <= maximumPathLength, !path.contains(where: { $0 == " " || $0 == "<" || $0 == "\t" }) else {
            throw SyntaxError(usage: usage)
        }
        var parameters: [String: String] = [:]
        for word in afterKeyword[afterKeyword.index(after: close)...].split(separator: " ") {
            let pair = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = pair.first, !key.isEmpty, parameters.count < 16 else { throw SyntaxError(usage: usage) }
            parameters[key.uppercased()] = pair.count == 2 ? String(pair[1]) : ""
        }
        return (String(path), parameters)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        let trimmed = drop { $0 == " " || $0 == "\t" }
        return trimmed[..<(trimmed.lastIndex { $0 != " " && $0 != "\t" }.map(trimmed.index(after:)) ?? trimmed.startIndex)]
    }
}
