public import ReclaimQR

/// What the console shows: lines of text, each with a style; ``ansi(width:)`` draws it on
/// a terminal.
public struct ConsoleScreen: Sendable, Equatable {
    public enum Style: Sendable, Equatable {
        case header, title, text, dim, focused, error, notice
        /// A row of a QR code: drawn black on white whatever the terminal's colours, so a
        /// phone reads it on a dark terminal as on a light one; never wrapped.
        case qr
        /// A long code with no spaces (the QR code's text): wrapped anywhere.
        case code
    }

    public struct Line: Sendable, Equatable {
        public var text: String
        public var style: Style
        /// Characters drawn in reverse: the focused button of a row of buttons.
        public var highlight: Range<Int>?
    }

    public var lines: [Line] = []

    public init() {}

    mutating func add(_ text: String, _ style: Style, highlight: Range<Int>? = nil) {
        lines.append(Line(text: text, style: style, highlight: highlight))
    }

    /// The text alone, one line each, as tests read it.
    public var text: String { lines.map(\.text).joined(separator: "\n") }

    /// The lines as they fit `width` columns: text wrapped at spaces, codes anywhere, QR
    /// rows as they are.
    public func wrapped(width: Int) -> [Line] {
        let width = max(20, width - 1)
        return lines.flatMap { line -> [Line] in
            switch line.style {
            case .qr:
                return [line]
            case .code:
                return Self.chunks(line.text, width).map { Line(text: $0, style: line.style) }
            default:
                guard line.text.count > width else { return [line] }
                return Self.wrap(line.text, width).map { Line(text: $0, style: line.style) }
            }
        }
    }

    /// The whole screen as terminal output: home, clear, each line in its style.
    public func ansi(width: Int) -> String {
        var output = "\u{1B}[H\u{1B}[2J"
        for (index, line) in wrapped(width: width).enumerated() {
            if index > 0 { output += "\r\n" }
            var text = line.text
            if let range = line.highlight, range.upperBound <= text.count {
                let start = text.index(text.startIndex, offsetBy: range.lowerBound)
                let end = text.index(text.startIndex, offsetBy: range.upperBound)
                // Reverse on, then back to the line's own style.
                text = String(text[..<start]) + "\u{1B}[7m" + String(text[start..<end]) + "\u{1B}[27m" + String(text[end...])
            }
            let style = line.style.ansi
            output += style.isEmpty ? text : "\u{1B}[\(style)m" + text + "\u{1B}[0m"
        }
        return output
    }

    static func chunks(_ text: String, _ width: Int) -> [String] {
        guard text.count > width else { return [text] }
        var chunks: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            chunks.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return chunks
    }

    static func wrap(_ text: String, _ width: Int) -> [String] {
        guard text.count > width else { return [text] }
        // Continuation lines keep the first line's indentation, so a help text stays under its item.
        let indent = String(text.prefix(while: { $0 == " " }))
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? indent + word : current + " " + word
            if candidate.count > width, !current.isEmpty {
                lines.append(current)
                current = indent + word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.flatMap { chunks($0, width) }
    }
}

extension ConsoleScreen.Style {
    /// The SGR parameters of the style.
    var ansi: String {
        switch self {
        case .header: "1;7"
        case .title: "1"
        case .text, .code: ""
        case .dim: "2"
        case .focused: "7"
        case .error: "1;31"
        case .notice: "1;32"
        case .qr: "30;47"
        }
    }
}

extension QRCode {
    /// The symbol as rows of Unicode half blocks, two modules high per row: `▀` dark
    /// above, `▄` dark below, `█` both, a space neither. With a quiet zone of
    /// `quietZone` light modules all round.
    ///
    /// Two light modules rather than the standard four: readers find the symbol with two,
    /// and the four would cost the two lines the form under it needs on a 50-line terminal.
    public func halfBlockRows(quietZone: Int = 2) -> [String] {
        let extent = size + 2 * quietZone
        func dark(_ row: Int, _ column: Int) -> Bool {
            let (r, c) = (row - quietZone, column - quietZone)
            return (0..<size).contains(r) && (0..<size).contains(c) && modules[r * size + c]
        }
        return stride(from: 0, to: extent, by: 2).map { row in
            String(
                (0..<extent).map { column -> Character in
                    switch (dark(row, column), dark(row + 1, column)) {
                    case (true, true): "█"
                    case (true, false): "▀"
                    case (false, true): "▄"
                    case (false, false): " "
                    }
                })
        }
    }
}
