import Foundation

/// A document someone uploads to be read by a person (a proof of purchase, an
/// authorisation letter, a photo): checked for what it claims to be before it is stored.
///
/// Only three kinds are taken, each recognised by its bytes, never by the name or the
/// declared type: PDF, JPEG and PNG. A file must be whole (a PNG ends with IEND, a JPEG with
/// EOI, a PDF with `%%EOF`), and a PDF must carry no active content (scripts, launch
/// actions, embedded files, forms that run code): a reviewer opens these files, so a file
/// that could act when opened is refused rather than trusted to the reader's viewer.
public enum UploadedDocument {
    public enum Kind: String, Sendable, CaseIterable {
        case pdf = "application/pdf"
        case jpeg = "image/jpeg"
        case png = "image/png"

        public var mediaType: String { rawValue }
        public var fileExtension: String {
            switch self {
            case .pdf: "pdf"
            case .jpeg: "jpg"
            case .png: "png"
            }
        }
    }

    /// Why a file is refused.
    public enum Refusal: Error, Sendable, Equatable {
        case empty
        case tooLarge(limit: Int)
        /// Not a PDF, JPEG or PNG.
        case notADocument
        /// Cut short, or with something else glued on.
        case damaged
        /// A PDF that names scripts, actions or embedded files.
        case activeContent(String)
    }

    /// PDF names that make a file do something when opened. `/OpenAction` and `/AA` alone
    /// are not here: invoices use them to open at a page; what they could run is named above.
    static let activeNames = ["/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/RichMedia", "/XFA", "/SubmitForm", "/ImportData"]

    /// What `bytes` is, or why it is refused.
    public static func scan(_ bytes: [UInt8], limit: Int) -> Result<Kind, Refusal> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        guard bytes.count <= limit else { return .failure(.tooLarge(limit: limit)) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return isWholePNG(bytes) ? .success(.png) : .failure(.damaged)
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            return jpegEnd(bytes) != nil ? .success(.jpeg) : .failure(.damaged)
        }
        if bytes.starts(with: Array("%PDF-".utf8)) {
            return scanPDF(bytes)
        }
        return .failure(.notADocument)
    }

    /// The bytes of a document as they are kept: a JPEG up to the end of its image, anything
    /// else whole. Phones append data after a photo (a motion photo's video, a maker's
    /// trailer, padding): it is not part of the picture, and nobody downloads it later.
    public static func kept(_ bytes: [UInt8], kind: Kind) -> [UInt8] {
        guard kind == .jpeg, let end = jpegEnd(bytes) else { return bytes }
        return Array(bytes[..<end])
    }

    /// Just past a JPEG's EOI, reached by walking its segments by their lengths and the
    /// entropy-coded data after each SOS (where `FF 00` and restart markers are data); nil
    /// when the walk runs off the end: the picture is cut short.
    static func jpegEnd(_ bytes: [UInt8]) -> Int? {
        var offset = 2
        while offset + 1 < bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            switch marker {
            case 0xFF:
                offset += 1  // fill byte before a marker
            case 0xD9:
                return offset + 2
            case 0x01, 0xD0...0xD7:
                offset += 2
            default:
                guard offset + 3 < bytes.count else { return nil }
                let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
                guard length >= 2 else { return nil }
                offset += 2 + length
                guard marker == 0xDA else { continue }
                // Entropy-coded data runs to the next marker that is not data.
                while offset + 1 < bytes.count {
                    if bytes[offset] == 0xFF, bytes[offset + 1] != 0x00, !(0xD0...0xD7).contains(bytes[offset + 1]) { break }
                    offset += 1
                }
            }
        }
        return nil
    }

    /// Chunk by chunk from the signature: IHDR first, lengths within the file, IEND last.
    static func isWholePNG(_ bytes: [UInt8]) -> Bool {
        var offset = 8
        var first = true
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if first, type != "IHDR" { return false }
            first = false
            guard length <= bytes.count - offset - 12 else { return false }
            offset += 12 + length
            if type == "IEND" { return offset == bytes.count }
        }
        return false
    }

    static func scanPDF(_ bytes: [UInt8]) -> Result<Kind, Refusal> {
        guard bytes.count > 8, bytes[5] == UInt8(ascii: "1") || bytes[5] == UInt8(ascii: "2") else { return .failure(.notADocument) }
        let tail = String(decoding: bytes.suffix(1024), as: UTF8.self)
        guard tail.contains("%%EOF") else { return .failure(.damaged) }
        // Names are compared after undoing `#xx` escapes, which would otherwise hide them.
        let text = unescapedNames(String(decoding: bytes, as: UTF8.self))
        for name in activeNames {
            var search = text[...]
            while let range = search.range(of: name) {
                // `/JS` must not match `/JSON…`: a name ends at a delimiter or white space.
                let next = search[range.upperBound...].first
                if next == nil || !(next!.isLetter || next!.isNumber) { return .failure(.activeContent(name)) }
                search = search[range.upperBound...]
            }
        }
        return .success(.pdf)
    }

    /// `/Java#53cript` → `/JavaScript`.
    static func unescapedNames(_ text: String) -> String {
        guard text.contains("#") else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "#" else {
                out.append(character)
                continue
            }
            let high = iterator.next()
            let low = iterator.next()
            if let high, let low, let value = UInt8(String([high, low]), radix: 16), value < 0x80 {
                out.append(Character(Unicode.Scalar(value)))
            } else {
                out.append(character)
                if let high { out.append(high) }
                if let low { out.append(low) }
            }
        }
        return out
    }

    /// A file name safe to show and to offer back in a header: ASCII letters, digits, `-`,
    /// `_`, at most 60 of them, and the extension of what the file is.
    public static func safeName(_ name: String, kind: Kind) -> String {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let parts = base.split(separator: ".")
        let stem = parts.count > 1 ? parts.dropLast().joined(separator: ".") : base
        let cleaned = String(stem.map { allowedInNames.contains($0) ? $0 : "_" }.prefix(60))
        return (cleaned.isEmpty ? "document" : cleaned) + "." + kind.fileExtension
    }

    static let allowedInNames = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
}
