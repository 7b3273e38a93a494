import Foundation
import HTTPTypes
public import Hummingbird
import MultipartKit
import ReclaimCore

/// A submitted form: text fields, and for multipart forms the bytes of the fields that
/// carry files, with the names the browser gave those files.
public struct SubmittedForm: Sendable {
    public var fields: [String: String] = [:]
    public var files: [String: [UInt8]] = [:]
    /// The file name a browser sent with each file field, as it sent it: untrusted, to be
    /// cleaned (``UploadedDocument/safeName(_:kind:)``) before it is kept or shown.
    public var fileNames: [String: String] = [:]

    public init(fields: [String: String] = [:], files: [String: [UInt8]] = [:], fileNames: [String: String] = [:]) {
        self.fields = fields
        self.files = files
        self.fileNames = fileNames
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
        let parts = (try? FormDataDecoder().decode([String: FormPart].self, from: bytes, boundary: boundary)) ?? [:]
        for (name, part) in parts {
            if fileFields.contains(name) {
                form.files[name] = part.bytes
                if let fileName = part.fileName, !fileName.isEmpty { form.fileNames[name] = fileName }
            } else {
                form.fields[name] = String(decoding: part.bytes, as: UTF8.self)
            }
        }
        return form
    }

    /// One part of a multipart body: its bytes and, for a file, the `filename` of its
    /// `Content-Disposition` header.
    struct FormPart: Decodable, MultipartPartConvertible {
        let bytes: [UInt8]
        let fileName: String?

        init?(multipart: MultipartPart) {
            bytes = Array(buffer: multipart.body)
            let disposition = multipart.headers.first(name: "Content-Disposition") ?? ""
            fileName = Digest.parameters(String(disposition.drop { $0 != ";" }.dropFirst()))["filename"]
        }

        var multipart: MultipartPart? { nil }

        /// Parts are only ever made by the multipart decoder, from the part itself.
        init(from decoder: any Decoder) throws {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "A form part comes from multipart."))
        }
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
