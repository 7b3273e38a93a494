/// A mail message read as MIME (RFC 2045–2046), from bytes anyone on the Internet may send:
/// headers, nested multiparts and attached messages, base64 and quoted-printable bodies.
///
/// Reading is bounded — depth, number of parts, size of a header block — and lenient where
/// real mail clients are sloppy (a bare LF for CRLF, a missing closing boundary, base64
/// broken across lines or missing its padding). What can't be read at all is a
/// ``MIMEError`` that says why in words a sender can act on.
public struct MIMEEntity: Sendable, Hashable {
    public struct Header: Sendable, Hashable {
        /// As written; compare in lower case.
        public let name: String
        /// Unfolded, trimmed.
        public let value: String
    }

    public let headers: [Header]
    /// `type/subtype` in lower case; `text/plain` when the entity names none.
    public let mediaType: String
    /// The Content-Type parameters, names in lower case.
    public let parameters: [String: String]
    /// The decoded body of a leaf entity; empty for a multipart or an attached message.
    public let body: [UInt8]
    /// The parts of a multipart, or the one message of a `message/rfc822`.
    public let parts: [MIMEEntity]

    /// The first value of the header `name`.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The file name its sender gave it (Content-Disposition's `filename`, or Content-Type's `name`).
    public var filename: String? {
        // A disposition reads like a content type: a word, then `; name=value` parameters.
        header("content-disposition").flatMap { MIMEParser.contentType($0).1["filename"] } ?? parameters["name"]
    }
}

public struct MIMEError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
}

/// A picture found in a message: one the QR reader can try.
public struct MIMEPicture: Sendable, Hashable {
    public let mediaType: String
    public let filename: String?
    public let bytes: [UInt8]
}

public struct MIMEParser: Sendable {
    /// How deep multiparts and attached messages may nest.
    public var maxDepth = 8
    /// Entities in one message, all levels together.
    public var maxParts = 100
    /// Bytes of one entity's header block.
    public var maxHeaderBytes = 64 * 1024

    public init() {}

    public func parse(_ message: [UInt8]) throws(MIMEError) -> MIMEEntity {
        var budget = maxParts
        return try entity(message[...], depth: 0, budget: &budget)
    }

    private func entity(_ bytes: ArraySlice<UInt8>, depth: Int, budget: inout Int) throws(MIMEError) -> MIMEEntity {
        guard depth <= maxDepth else {
            throw MIMEError(description: "The message nests parts more than \(maxDepth) deep; attach the picture directly")
        }
        budget -= 1
        guard budget >= 0 else { throw MIMEError(description: "The message has more than \(maxParts) parts; attach only the picture") }
        let (headers, body) = try split(bytes)
        let (mediaType, parameters) = Self.contentType(headers.first { $0.name.lowercased() == "content-type" }?.value ?? "text/plain")
        var parts: [MIMEEntity] = []
        var decoded: [UInt8] = []
        if mediaType.hasPrefix("multipart/"), let boundary = parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 {
            for part in Self.parts(of: body, boundary: Array(boundary.utf8)) {
                parts.append(try entity(part, depth: depth + 1, budget: &budget))
            }
        } else if mediaType == "message/rfc822" {
            parts.append(try entity(body, depth: depth + 1, budget: &budget))
        } else {
            let encoding = headers.first { $0.name.lowercased() == "content-transfer-encoding" }?.value.lowercased() ?? "7bit"
            switch encoding {
            case "base64": decoded = Self.base64(body)
            case "quoted-printable": decoded = Self.quotedPrintable(body)
            default: decoded = Array(body)
            }
        }
        return MIMEEntity(headers: headers, mediaType: mediaType, parameters: parameters, body: decoded, parts: parts)
    }

    /// The header block (unfolded) and the body after the first empty line.
    private func split(_ bytes: ArraySlice<UInt8>) throws(MIMEError) -> ([MIMEEntity.Header], ArraySlice<UInt8>) {
        var lines: [String] = []
        var index = bytes.startIndex
        var bodyStart = bytes.endIndex
        while index < bytes.endIndex {
            let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var lineEnd = end
            if lineEnd > index, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let next = end < bytes.endIndex ? end + 1 : end
            if lineEnd == index {
                bodyStart = next
                break
            }
            guard next - bytes.startIndex <= maxHeaderBytes, lines.count < 1000 else {
                throw MIMEError(description: "A header block is longer than \(maxHeaderBytes) bytes")
            }
            let line = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += " " + line.trimmingWhitespace
            } else {
                lines.append(line)
            }
            index = next
        }
        let headers = lines.compactMap { line -> MIMEEntity.Header? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return .init(name: line[..<colon].trimmingWhitespace, value: line[line.index(after: colon)...].trimmingWhitespace)
        }
        return (headers, bytes[bodyStart...])
    }

    /// `type/subtype; name=value; name="quoted value"` → the media type in lower case and the parameters.
    static func contentType(_ value: String) -> (String, [String: String]) {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        let mediaType = fields[0].trimmingWhitespace.lowercased()
        var parameters: [String: String] = [:]
        for field in fields.dropFirst().prefix(32) {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let name = field[..<equals].trimmingWhitespace.lowercased()
            if parameters[name] == nil { parameters[name] = field[field.index(after: equals)...].trimmingWhitespace }
        }
        return (mediaType.contains("/") ? mediaType : "text/plain", parameters)
    }

    /// The bodies between `--boundary` lines, without the line end that belongs to the next
    /// boundary; the preamble and what follows `--boundary--` are dropped. A message cut
    /// short keeps the part under way.
    static func parts(of body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var index = body.startIndex
        while index < body.endIndex {
            let end = body[index...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            let next = end < body.endIndex ? end + 1 : end
            let line = body[index..<end]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closing = rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
                let padding = closing ? rest.dropFirst(2) : rest
                // Only white space may follow a delimiter; anything else is a line of content.
                if padding.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                    if let start = partStart {
                        // The CRLF before a delimiter is part of the delimiter.
                        var partEnd = index
                        if partEnd > start, body[partEnd - 1] == UInt8(ascii: "\n") { partEnd -= 1 }
                        if partEnd > start, body[partEnd - 1] == UInt8(ascii: "\r") { partEnd -= 1 }
                        parts.append(body[start..<max(start, partEnd)])
                    }
                    if closing { return parts }
                    partStart = next
                }
            }
            index = next
        }
        if let start = partStart, start < body.endIndex { parts.append(body[start...]) }
        return parts
    }

    /// Base64 as mail carries it: line breaks and stray characters skipped, padding optional.
    static func base64(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3)
        var quantum: UInt32 = 0
        var count = 0
        for byte in text {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                // Padding ends the data.
                return finish(&output, quantum, count)
            default: continue
            }
            quantum = quantum << 6 | UInt32(value)
            count += 1
            if count == 4 {
                output.append(UInt8(truncatingIfNeeded: quantum >> 16))
                output.append(UInt8(truncatingIfNeeded: quantum >> 8))
                output.append(UInt8(truncatingIfNeeded: quantum))
                quantum = 0
                count = 0
            }
        }
        return finish(&output, quantum, count)
    }

    private static func finish(_ output: inout [UInt8], _ quantum: UInt32, _ count: Int) -> [UInt8] {
        switch count {
        case 2: output.append(UInt8(truncatingIfNeeded: quantum >> 4))
        case 3:
            output.append(UInt8(truncatingIfNeeded: quantum >> 10))
            output.append(UInt8(truncatingIfNeeded: quantum >> 2))
        default: break
        }
        return output
    }

    /// Quoted-printable: `=XX` is a byte, `=` at a line's end joins it to the next; an `=`
    /// followed by anything else is kept as it is.
    static func quotedPrintable(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            guard byte == UInt8(ascii: "=") else {
                output.append(byte)
                index += 1
                continue
            }
            var after = index + 1
            // A soft break may have white space before its line end.
            while after < text.endIndex, text[after] == 32 || text[after] == 9 { after += 1 }
            if after < text.endIndex, text[after] == UInt8(ascii: "\r") { after += 1 }
            if after == text.endIndex || text[after] == UInt8(ascii: "\n") {
                index = min(after + 1, text.endIndex)
                continue
            }
            if index + 2 < text.endIndex, let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

extension MIMEEntity {
    /// The PNG and JPEG pictures in the message, in the order they appear, at most `limit`.
    /// A part counts when it says it is one, or when its bytes begin as one does (clients
    /// send pictures as `application/octet-stream` too); text is never taken for a picture.
    public func pictures(limit: Int = 4) -> [MIMEPicture] {
        var found: [MIMEPicture] = []
        collectPictures(into: &found, limit: limit)
        return found
    }

    private func collectPictures(into found: inout [MIMEPicture], limit: Int) {
        guard found.count < limit else { return }
        guard parts.isEmpty else {
            for part in parts { part.collectPictures(into: &found, limit: limit) }
            return
        }
        let declared = ["image/png", "image/jpeg", "image/jpg", "image/pjpeg"].contains(mediaType)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47]
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF]
        let looksLikeOne = !mediaType.hasPrefix("text/") && (body.starts(with: png) || body.starts(with: jpeg))
        guard (declared || looksLikeOne), !body.isEmpty else { return }
        found.append(MIMEPicture(mediaType: mediaType, filename: filename, bytes: body))
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" }
        let end = scalars.lastIndex { $0 != " " && $0 != "\t" }.map(scalars.index(after:)) ?? scalars.startIndex
        return String(String.UnicodeScalarView(scalars[..<end]))
    }
}
