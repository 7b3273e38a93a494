import Foundation
import HTTPTypes
public import Hummingbird
import MultipartKit
import ReclaimCore

/// A submitted form: text fields, and for multipart forms the bytes of the fields that
/// carry files.
public struct SubmittedForm: Sendable {
    public var fields: [String: String] = [:]
    public var files: [String: [UInt8]] = [:]

    public init(fields: [String: String] = [:], files: [String: [UInt8]] = [:]) {
        self.fields = fields
        self.files = files
    }

    public subscript(_ name: String) -> String { fields[name] ?? "" }

    /// Reads an `application/x-www-form-urlencoded` or `multipart/form-data` body;
    /// `fileFields` are kept as bytes, every other field as text.
    ///
    /// - Parameter offloaded: parse on ``HeavyWork``'s threads, not on the threads that
    ///   serve every other request: for bodies of megabytes (photos).
    public static func read(_ request: Request, limit: Int, fileFields: Set<String> = [], offloaded: Bool = false) async throws
        -> SubmittedForm
    {
        let contentType = request.headers[.contentType] ?? ""
        var buffer = try await request.body.collect(upTo: limit)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        guard offloaded else { return parse(bytes, contentType: contentType, fileFields: fileFields) }
        return try await HeavyWork.run { parse(bytes, contentType: contentType, fileFields: fileFields) }
    }

    /// A body already read, as a form.
    public static func parse(_ bytes: [UInt8], contentType: String, fileFields: Set<String>) -> SubmittedForm {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else {
            return SubmittedForm(fields: urlEncoded(String(decoding: bytes, as: UTF8.self)))
        }
        guard let boundary = Digest.parameters(String(contentType.drop { $0 != ";" }.dropFirst()))["boundary"] else {
            return SubmittedForm()
        }
        var form = SubmittedForm()
        let parts = (try? FormDataDecoder().decode([String: Data].self, from: bytes, boundary: boundary)) ?? [:]
        for (name, data) in parts {
            if fileFields.contains(name) {
                form.files[name] = Array(data)
            } else {
                form.fields[name] = String(decoding: data, as: UTF8.self)
            }
        }
        return form
    }

    public static func urlEncoded(_ text: String) -> [String: String] {
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
