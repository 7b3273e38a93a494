import Foundation
import Hummingbird
import MultipartKit
import ReclaimCore

/// What a submitted form holds: text fields, and for multipart forms the uploaded file's bytes.
struct WebForm {
    var fields: [String: String] = [:]

    subscript(_ name: String) -> String { fields[name] ?? "" }

    /// Reads an `application/x-www-form-urlencoded` or `multipart/form-data` body.
    static func read(_ request: Request, limit: Int = 64 * 1024) async throws -> WebForm {
        let contentType = request.headers[.contentType] ?? ""
        var buffer = try await request.body.collect(upTo: limit)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard
                let boundary = Digest.parameters(contentType.split(separator: ";", maxSplits: 1).dropFirst().first.map(String.init) ?? "")[
                    "boundary"]
            else { return WebForm() }
            let fields = (try? FormDataDecoder().decode([String: String].self, from: bytes, boundary: boundary)) ?? [:]
            return WebForm(fields: fields)
        }
        return WebForm(fields: urlEncoded(String(decoding: bytes, as: UTF8.self)))
    }

    static func urlEncoded(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
