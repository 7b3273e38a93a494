import Crypto
public import Foundation

/// HTTP Digest access authentication (RFC 7616), both halves: what a device checks
/// and what a client sends. Only `qop=auth` with MD5 or SHA-256, as real devices and
/// their clients use it.
public enum Digest {
    public enum Algorithm: String, Sendable, CaseIterable, Codable {
        case md5 = "MD5"
        case sha256 = "SHA-256"

        public func hash(_ text: String) -> String {
            hash(parts: [text])
        }

        /// The lower-case hex digest of the parts' UTF-8 bytes, one after another.
        public func hash(parts: [String]) -> String {
            switch self {
            case .md5: Self.digest(parts, Insecure.MD5())
            case .sha256: Self.digest(parts, SHA256())
            }
        }

        private static func digest<H: HashFunction>(_ parts: [String], _ function: H) -> String {
            var function = function
            for var part in parts {
                part.withUTF8 { function.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            }
            return Bytes.hex(function.finalize())
        }

        /// Reads the `algorithm` parameter; absent means MD5 (RFC 7616 section 3.3).
        public init?(parameter: String?) {
            guard let parameter else {
                self = .md5
                return
            }
            guard let algorithm = Self.allCases.first(where: { $0.rawValue.caseInsensitiveEquals(parameter) }) else { return nil }
            self = algorithm
        }
    }

    /// `H(user:realm:password)`: what a server must keep to check Digest responses.
    public static func ha1(_ algorithm: Algorithm, user: String, realm: String, password: String) -> String {
        algorithm.hash("\(user):\(realm):\(password)")
    }

    /// The `response` value for these credentials, given `H(user:realm:password)`.
    ///
    /// Hashes the parts in place, without building the joined text: a device checks
    /// this on every request.
    public static func response(ha1: String, method: String, credentials: Credentials) -> String {
        let algorithm = credentials.algorithm
        let ha2 = algorithm.hash(parts: [method, ":", credentials.uri])
        if let qop = credentials.qop {
            return algorithm.hash(
                parts: [ha1, ":", credentials.nonce, ":", credentials.nc ?? "", ":", credentials.cnonce ?? "", ":", qop, ":", ha2])
        }
        // RFC 2069 form, without qop, which some old clients still send.
        return algorithm.hash(parts: [ha1, ":", credentials.nonce, ":", ha2])
    }

    // MARK: The server's side

    /// `WWW-Authenticate` values for a 401: SHA-256 first (preferred), then MD5, with one
    /// nonce. A client that can only read one header finds MD5 last and still works.
    public static func challengeHeaders(realm: String, nonce: String, opaque: String, stale: Bool) -> [String] {
        Algorithm.allCases.reversed().map { algorithm in
            var value = "Digest realm=\"\(realm)\", qop=\"auth\", nonce=\"\(nonce)\", opaque=\"\(opaque)\", algorithm=\(algorithm.rawValue)"
            if stale { value += ", stale=TRUE" }
            return value
        }
    }

    /// The parameters of an `Authorization: Digest …` header.
    public struct Credentials: Sendable, Hashable {
        public var username: String
        public var realm: String
        public var nonce: String
        public var uri: String
        public var response: String
        public var algorithm: Algorithm
        public var qop: String?
        public var nc: String?
        public var cnonce: String?
        public var opaque: String?

        public init(
            username: String, realm: String, nonce: String, uri: String, response: String, algorithm: Algorithm, qop: String?,
            nc: String?, cnonce: String?, opaque: String?
        ) {
            self.username = username
            self.realm = realm
            self.nonce = nonce
            self.uri = uri
            self.response = response
            self.algorithm = algorithm
            self.qop = qop
            self.nc = nc
            self.cnonce = cnonce
            self.opaque = opaque
        }

        /// The header value a client sends.
        public var headerValue: String {
            var parts = [
                "username=\"\(username)\"", "realm=\"\(realm)\"", "nonce=\"\(nonce)\"", "uri=\"\(uri)\"",
                "algorithm=\(algorithm.rawValue)", "response=\"\(response)\"",
            ]
            if let opaque { parts.append("opaque=\"\(opaque)\"") }
            if let qop { parts.append("qop=\(qop)") }
            if let nc { parts.append("nc=\(nc)") }
            if let cnonce { parts.append("cnonce=\"\(cnonce)\"") }
            return "Digest " + parts.joined(separator: ", ")
        }
    }

    /// What an `Authorization` header holds.
    public enum Authorization: Sendable, Hashable {
        case none
        /// Basic credentials, which a device never accepts (and never counts as a failure).
        case basic
        case digest(Credentials)
        /// A Digest header missing what it must carry, or another scheme.
        case malformed

        public init(header: String?) {
            guard let header, let space = header.firstIndex(of: " ") else {
                self = header == nil ? .none : .malformed
                return
            }
            let scheme = header[..<space]
            if scheme.caseInsensitiveEquals("Basic") {
                self = .basic
                return
            }
            guard scheme.caseInsensitiveEquals("Digest"), header.utf8.count <= 4096 else {
                self = .malformed
                return
            }
            let parameters = Digest.parameters(String(header[header.index(after: space)...]))
            guard let username = parameters["username"], let realm = parameters["realm"], let nonce = parameters["nonce"],
                let uri = parameters["uri"], let response = parameters["response"],
                let algorithm = Algorithm(parameter: parameters["algorithm"])
            else {
                self = .malformed
                return
            }
            let qop = parameters["qop"]
            if let qop, qop != "auth" {
                self = .malformed
                return
            }
            if qop != nil, parameters["nc"] == nil || parameters["cnonce"] == nil {
                self = .malformed
                return
            }
            self = .digest(
                Credentials(
                    username: username, realm: realm, nonce: nonce, uri: uri, response: response.lowercased(), algorithm: algorithm,
                    qop: qop, nc: parameters["nc"], cnonce: parameters["cnonce"], opaque: parameters["opaque"]))
        }
    }

    /// Splits `a=b, c="d, e"` into a dictionary with lower-case keys; quoted values
    /// may hold commas and backslash escapes. Works on bytes: it runs on every request.
    public static func parameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var text = text
        text.withUTF8 { bytes in
            let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ","), equals = UInt8(ascii: "=")
            let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
            var index = 0
            let count = bytes.count
            while index < count {
                while index < count, bytes[index] == space || bytes[index] == comma || bytes[index] == tab { index += 1 }
                guard index < count else { break }
                let keyStart = index
                while index < count, bytes[index] != equals, bytes[index] != comma, bytes[index] != space { index += 1 }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<index]), as: UTF8.self).lowercased()
                while index < count, bytes[index] == space { index += 1 }
                guard index < count, bytes[index] == equals else { continue }
                index += 1
                while index < count, bytes[index] == space { index += 1 }
                var value: String
                if index < count, bytes[index] == quote {
                    index += 1
                    var unescaped: [UInt8] = []
                    while index < count, bytes[index] != quote {
                        if bytes[index] == backslash, index + 1 < count { index += 1 }
                        unescaped.append(bytes[index])
                        index += 1
                    }
                    index += 1  // the closing quote
                    value = String(decoding: unescaped, as: UTF8.self)
                } else {
                    let valueStart = index
                    while index < count, bytes[index] != comma { index += 1 }
                    var valueEnd = index
                    while valueEnd > valueStart, bytes[valueEnd - 1] == space || bytes[valueEnd - 1] == tab { valueEnd -= 1 }
                    value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
                }
                if !key.isEmpty, result[key] == nil { result[key] = value }
            }
        }
        return result
    }

    // MARK: The client's side

    /// One `WWW-Authenticate: Digest …` challenge, as a client reads it.
    public struct Challenge: Sendable, Hashable {
        public var realm: String
        public var nonce: String
        public var opaque: String?
        public var algorithm: Algorithm
        public var stale: Bool

        public init?(header: String) {
            guard header.count > 7, header.prefix(7).caseInsensitiveEquals("Digest ") else { return nil }
            let parameters = Digest.parameters(String(header.dropFirst(7)))
            guard let realm = parameters["realm"], let nonce = parameters["nonce"],
                let algorithm = Algorithm(parameter: parameters["algorithm"])
            else { return nil }
            self.realm = realm
            self.nonce = nonce
            self.opaque = parameters["opaque"]
            self.algorithm = algorithm
            self.stale = parameters["stale"]?.lowercased() == "true"
        }

        /// `nc` as Digest writes it: eight lower-case hex digits.
        static func nonceCountText(_ count: Int) -> String {
            let hex = String(UInt32(truncatingIfNeeded: count), radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }

        /// The credentials answering this challenge for one request.
        public func credentials(user: String, password: String, method: String, uri: String, nonceCount: Int) -> Credentials {
            var credentials = Credentials(
                username: user, realm: realm, nonce: nonce, uri: uri, response: "", algorithm: algorithm, qop: "auth",
                nc: Self.nonceCountText(nonceCount), cnonce: Bytes.hex(Bytes.random(count: 8)), opaque: opaque)
            credentials.response = Digest.response(
                ha1: Digest.ha1(algorithm, user: user, realm: realm, password: password), method: method, credentials: credentials)
            return credentials
        }
    }
}

/// Server nonces that need no table: each carries its time of issue and a MAC under a
/// key the device made at start, so any nonce can be checked and aged on its own.
public struct DigestNonces: Sendable {
    let key: SymmetricKey
    /// How long a nonce stays fresh; after that the client is told `stale=TRUE` and retries.
    public let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 300) {
        self.key = SymmetricKey(size: .bits256)
        self.lifetime = lifetime
    }

    public enum Verdict: Sendable, Equatable {
        case fresh
        case stale
        case forged
    }

    public func make(now: Date) -> String {
        var body = (0..<8).reversed().map { UInt8(now.unixSeconds >> (UInt64($0) * 8) & 0xFF) }
        body += Bytes.random(count: 8)
        return Bytes.hex(body + HMAC<SHA256>.authenticationCode(for: body, using: key).prefix(16))
    }

    /// The time a nonce says it was issued; meaningful only for a nonce ``check(_:now:)`` passed.
    public func issueTime(of nonce: String) -> Date? {
        guard let bytes = Bytes.fromHex(nonce), bytes.count == 32 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
    }

    public func check(_ nonce: String, now: Date) -> Verdict {
        guard let bytes = Bytes.fromHex(nonce), bytes.count == 32 else { return .forged }
        let body = Array(bytes[0..<16])
        let mac = Array(HMAC<SHA256>.authenticationCode(for: body, using: key).prefix(16))
        guard Bytes.constantTimeEqual(mac, bytes[16..<32]) else { return .forged }
        let issued = body[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let age = Double(now.unixSeconds) - Double(issued)
        return age >= -5 && age <= lifetime ? .fresh : .stale
    }
}
