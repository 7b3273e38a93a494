/// A small, lenient XML reader and writer for the device protocols.
///
/// Real devices and clients write XML loosely: junk before the first `<`, namespace
/// prefixes, odd letter case. The reader takes all of that, and refuses what it must
/// never process from the network: document type declarations (and with them entity
/// expansion) and documents deeper or larger than its limits. Namespaces are dropped:
/// elements are matched by local name, case-insensitively.
///
/// Written here rather than taken from FoundationXML because that parser (libxml2) is
/// neither lenient in these ways nor free of DTD handling, and the device answers a
/// thousand of these in a process where every kilobyte counts.
public struct XMLElement: Sendable, Equatable {
    /// Local name, without a namespace prefix.
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLElement]
    /// The element's own character data (not its children's), as written.
    public var text: String

    public init(_ name: String, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// An element holding only text.
    public static func leaf(_ name: String, _ text: String, attributes: [String: String] = [:]) -> XMLElement {
        XMLElement(name, attributes: attributes, text: text)
    }

    /// First direct child of that name (any letter case).
    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name.caseInsensitiveEquals(name) }
    }

    /// Every direct child of that name (any letter case).
    public func children(named name: String) -> [XMLElement] {
        children.filter { $0.name.caseInsensitiveEquals(name) }
    }

    /// Trimmed text of the first direct child of that name.
    public func value(_ name: String) -> String? {
        child(name).map { $0.text.trimmingXMLWhitespace() }
    }

    /// The element at the end of a path of child names, e.g. `["QuestionList", "Question"]`.
    public func descendant(_ path: String...) -> XMLElement? {
        var element: XMLElement? = self
        for name in path { element = element?.child(name) }
        return element
    }

    /// First element of that name anywhere below (depth first), or self.
    public func first(named name: String) -> XMLElement? {
        if self.name.caseInsensitiveEquals(name) { return self }
        for child in children {
            if let found = child.first(named: name) { return found }
        }
        return nil
    }

    /// Reads a boolean the way devices write it: `true`/`false`, any case, and the
    /// `flase` that real firmware sends.
    public func bool(_ name: String) -> Bool? {
        switch value(name)?.lowercased() {
        case "true", "1", "yes": true
        case "false", "flase", "0", "no": false
        default: nil
        }
    }

    public func int(_ name: String) -> Int? { value(name).flatMap { Int($0) } }
}

// MARK: - Reading

/// Limits on what the reader accepts; the defaults suit any message a device exchanges.
public struct XMLLimits: Sendable {
    public var maxBytes = 256 * 1024
    public var maxDepth = 32
    public var maxElements = 4096
    public init() {}
}

public enum XML {
    /// Parses one document and returns its root element.
    public static func parse(_ text: String, limits: XMLLimits = XMLLimits()) throws(ReclaimError) -> XMLElement {
        try parse(Array(text.utf8), limits: limits)
    }

    /// Parses one document and returns its root element.
    public static func parse(_ bytes: some Collection<UInt8>, limits: XMLLimits = XMLLimits()) throws(ReclaimError) -> XMLElement {
        guard bytes.count <= limits.maxBytes else {
            throw ReclaimError(.malformedInput, "The XML document is larger than \(limits.maxBytes) bytes.")
        }
        var parser = XMLParser(bytes: Array(bytes), limits: limits)
        return try parser.parseDocument()
    }
}

private struct XMLParser {
    let bytes: [UInt8]
    let limits: XMLLimits
    var index = 0
    var elementCount = 0

    init(bytes: [UInt8], limits: XMLLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
    static let question = UInt8(ascii: "?"), bang = UInt8(ascii: "!"), equals = UInt8(ascii: "=")
    static let amp = UInt8(ascii: "&"), semicolon = UInt8(ascii: ";")

    func fail(_ message: String) -> ReclaimError {
        ReclaimError(.malformedInput, "The XML document is not well formed: \(message) (at byte \(index)).")
    }

    mutating func parseDocument() throws(ReclaimError) -> XMLElement {
        // Anything before the first "<" is noise some senders put there (a BOM, a length).
        guard let first = bytes.firstIndex(of: Self.lt) else { throw fail("no element found") }
        index = first
        while true {
            guard index < bytes.count else { throw fail("no root element") }
            if startsWith("<?") {
                try skip(past: "?>")
            } else if startsWith("<!--") {
                try skip(past: "-->")
            } else if startsWith("<!") {
                throw ReclaimError(.malformedInput, "XML with a document type declaration is not accepted.")
            } else if bytes[index] == Self.lt {
                // What follows the root element is ignored: some firmware pads with NULs.
                return try parseElement(depth: 1)
            } else if isWhitespace(bytes[index]) || bytes[index] == 0 {
                index += 1
            } else {
                throw fail("text outside the root element")
            }
        }
    }

    /// Parses an element starting at "<".
    mutating func parseElement(depth: Int) throws(ReclaimError) -> XMLElement {
        guard depth <= limits.maxDepth else { throw fail("nested deeper than \(limits.maxDepth) levels") }
        elementCount += 1
        guard elementCount <= limits.maxElements else { throw fail("more than \(limits.maxElements) elements") }
        index += 1  // "<"
        let qualifiedName = readName()
        guard !qualifiedName.isEmpty else { throw fail("an element without a name") }
        var element = XMLElement(localName(qualifiedName))

        // Attributes, up to ">" or "/>".
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("end of data inside a tag") }
            if bytes[index] == Self.gt {
                index += 1
                break
            }
            if bytes[index] == Self.slash {
                guard index + 1 < bytes.count, bytes[index + 1] == Self.gt else { throw fail("stray '/' in a tag") }
                index += 2
                return element
            }
            let attributeName = readName()
            guard !attributeName.isEmpty else { throw fail("unexpected character in a tag") }
            skipWhitespace()
            var value = ""
            if index < bytes.count, bytes[index] == Self.equals {
                index += 1
                skipWhitespace()
                value = try readAttributeValue()
            }
            let local = localName(attributeName)
            if attributeName != "xmlns" && !attributeName.hasPrefix("xmlns:") {
                element.attributes[local] = value
            }
        }

        // Content, up to the matching end tag.
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw fail("element <\(element.name)> is not closed") }
            let byte = bytes[index]
            if byte == Self.lt {
                if startsWith("</") {
                    index += 2
                    let closing = readName()
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == Self.gt else { throw fail("malformed end tag") }
                    index += 1
                    guard localName(closing).caseInsensitiveEquals(element.name) else {
                        throw fail("<\(element.name)> closed by </\(closing)>")
                    }
                    element.text = String(decoding: text, as: UTF8.self)
                    return element
                } else if startsWith("<!--") {
                    try skip(past: "-->")
                } else if startsWith("<![CDATA[") {
                    index += 9
                    let start = index
                    try skip(past: "]]>")
                    text.append(contentsOf: bytes[start..<index - 3])
                } else if startsWith("<!") {
                    throw ReclaimError(.malformedInput, "XML with a document type declaration is not accepted.")
                } else if startsWith("<?") {
                    try skip(past: "?>")
                } else {
                    element.children.append(try parseElement(depth: depth + 1))
                }
            } else if byte == Self.amp {
                text.append(contentsOf: try readEntity())
            } else {
                text.append(byte)
                index += 1
            }
        }
    }

    mutating func readAttributeValue() throws(ReclaimError) -> String {
        guard index < bytes.count else { throw fail("end of data in an attribute") }
        let quote = bytes[index]
        var value: [UInt8] = []
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            index += 1
            while true {
                guard index < bytes.count else { throw fail("unterminated attribute value") }
                let byte = bytes[index]
                if byte == quote {
                    index += 1
                    break
                }
                if byte == Self.amp {
                    value.append(contentsOf: try readEntity())
                } else {
                    value.append(byte)
                    index += 1
                }
            }
        } else {
            // Unquoted, as some firmware writes it.
            while index < bytes.count, !isWhitespace(bytes[index]), bytes[index] != Self.gt, bytes[index] != Self.slash {
                value.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// Decodes an entity reference starting at "&". An unknown one is kept as written.
    mutating func readEntity() throws(ReclaimError) -> [UInt8] {
        let start = index
        var end = index + 1
        while end < bytes.count, end - start <= 12, bytes[end] != Self.semicolon { end += 1 }
        guard end < bytes.count, bytes[end] == Self.semicolon else {
            index += 1
            return [Self.amp]
        }
        let name = String(decoding: bytes[start + 1..<end], as: UTF8.self)
        let decoded: [UInt8]?
        switch name {
        case "lt": decoded = [Self.lt]
        case "gt": decoded = [Self.gt]
        case "amp": decoded = [Self.amp]
        case "quot": decoded = [UInt8(ascii: "\"")]
        case "apos": decoded = [UInt8(ascii: "'")]
        default:
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { Array(String($0).utf8) }
            } else if name.hasPrefix("#") {
                decoded = UInt32(name.dropFirst(1)).flatMap(Unicode.Scalar.init).map { Array(String($0).utf8) }
            } else {
                decoded = nil
            }
        }
        guard let decoded else {
            index += 1
            return [Self.amp]
        }
        index = end + 1
        return decoded
    }

    mutating func readName() -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if isWhitespace(byte) || byte == Self.gt || byte == Self.slash || byte == Self.equals || byte == Self.lt {
                break
            }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    func localName(_ qualified: String) -> String {
        if let colon = qualified.lastIndex(of: ":") { return String(qualified[qualified.index(after: colon)...]) }
        return qualified
    }

    func startsWith(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        return prefix.withUTF8Buffer { buffer in
            for offset in 0..<count where bytes[index + offset] != buffer[offset] { return false }
            return true
        }
    }

    mutating func skip(past terminator: StaticString) throws(ReclaimError) {
        while index < bytes.count {
            if startsWith(terminator) {
                index += terminator.utf8CodeUnitCount
                return
            }
            index += 1
        }
        throw fail("unterminated construct")
    }

    mutating func skipWhitespace() {
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
    }

    func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

// MARK: - Writing

extension XMLElement {
    /// The element as a document with an XML declaration.
    public func document() -> String {
        var output = XMLOutput(declaration: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        write(to: &output, indent: 0)
        return output.text
    }

    /// The document without any white space between elements: one datagram, one line.
    public func compactDocument() -> String {
        var output = XMLOutput(declaration: "<?xml version=\"1.0\" encoding=\"utf-8\"?>")
        write(to: &output, indent: nil)
        return output.text
    }

    /// Writes the element; `indent` nil writes no white space at all.
    func write(to output: inout XMLOutput, indent: Int?) {
        if let indent { output.indent(indent) }
        output.append("<")
        output.append(name)
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            output.append(" ")
            output.append(key)
            output.append("=\"")
            output.appendEscaped(value, quotes: true)
            output.append("\"")
        }
        if children.isEmpty {
            if text.isEmpty {
                output.append("/>")
            } else {
                output.append(">")
                output.appendEscaped(text, quotes: false)
                output.append("</")
                output.append(name)
                output.append(">")
            }
            if indent != nil { output.append("\n") }
            return
        }
        output.append(">")
        if indent != nil { output.append("\n") }
        for child in children { child.write(to: &output, indent: indent.map { $0 + 1 }) }
        if let indent { output.indent(indent) }
        output.append("</")
        output.append(name)
        output.append(">")
        if indent != nil { output.append("\n") }
    }
}

/// A document being written, as UTF-8 bytes: appending bytes is much cheaper than
/// appending to a `String` scalar by scalar, and every reset file and ISAPI answer
/// goes through here.
struct XMLOutput {
    private var bytes: [UInt8] = []

    init(declaration: String) {
        bytes.reserveCapacity(512)
        bytes.append(contentsOf: declaration.utf8)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func indent(_ level: Int) {
        for _ in 0..<(level * 2) { bytes.append(UInt8(ascii: " ")) }
    }

    mutating func appendEscaped(_ text: String, quotes: Bool) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where quotes: bytes.append(contentsOf: "&quot;".utf8)
            default: bytes.append(byte)
            }
        }
    }
}

extension StringProtocol {
    /// ASCII letters compared without regard to case; every other byte exactly.
    public func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }
    }

    public func trimmingXMLWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
