/// A reply of the mailbox to an SMTP client: the code, the enhanced status (RFC 3463) and
/// the text, one or more lines.
///
/// Replies are English, as the API's reasons are: a mail client shows them in a bounce, and
/// RFC 5321 keeps reply text to ASCII, which Italian cannot be written in. What the sender is
/// told never depends on the device the QR code names.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public let code: Int
    /// `x.y.z`, or nil for the replies that carry none (greeting, EHLO, 354).
    public let status: String?
    public let lines: [String]

    /// Longest text put on one reply line; longer text is broken at spaces.
    static let lineWidth = 400

    public init(_ code: Int, _ status: String?, _ text: String) {
        self.init(code, status, lines: [text])
    }

    public init(_ code: Int, _ status: String?, lines: [String]) {
        self.code = code
        self.status = status
        self.lines = lines.flatMap { Self.wrap(Self.printable($0)) }
    }

    public var isPositive: Bool { code < 400 }
    /// 4xx: the client may try again later.
    public var isTransient: Bool { (400..<500).contains(code) }

    /// The reply as it goes on the wire, every line ended with CRLF.
    public var wire: [UInt8] {
        var bytes: [UInt8] = []
        for (index, line) in lines.enumerated() {
            let separator = index == lines.count - 1 ? " " : "-"
            let text = status.map { "\($0) \(line)" } ?? line
            bytes.append(contentsOf: "\(code)\(separator)\(text)\r\n".utf8)
        }
        return bytes
    }

    public var description: String { "\(code) \(status.map { $0 + " " } ?? "")\(lines.joined(separator: " / "))" }

    /// Text that can't end a line or leave ASCII: a reason that quotes input keeps none of its control bytes.
    static func printable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            // "4000×3000" is the one non-ASCII sign the platform's reasons use.
            let ascii: Unicode.Scalar = scalar == "×" ? "x" : (scalar.value >= 0x20 && scalar.value < 0x7F ? scalar : "?")
            scalars.append(ascii)
        }
        return String(scalars)
    }

    static func wrap(_ text: String) -> [String] {
        guard text.count > lineWidth else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + word.count + 1 > lineWidth {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word.prefix(lineWidth)
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
