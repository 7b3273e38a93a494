import Foundation
import ReclaimCore

/// Who may use `reclaim helper`, the localhost bridge between the portal page and the
/// LAN: a pure decision over one request's method, path and headers.
///
/// The helper answers only the portal it was started for (its exact origin, by CORS), only
/// a page that holds the pairing code the portal showed and the person typed into the
/// helper, and only at its own address (a `Host` of 127.0.0.1 or localhost and its port,
/// so a DNS name rebound to 127.0.0.1 gets nothing). Any other page gets no CORS headers,
/// so the browser lets it read nothing.
public struct HelperGate: Sendable {
    public let origin: String
    public let pairingCode: String
    public let port: Int

    public enum Route: Sendable, Equatable {
        case devices
        case challenge(serial: String)
    }

    public enum Verdict: Sendable, Equatable {
        /// A CORS preflight of the portal: answer 204 with ``corsHeaders``.
        case preflight
        case allow(Route)
        /// Refused; `cors` says whether the portal may read why.
        case refuse(status: Int, reason: String, cors: Bool)
    }

    /// - Parameter platform: the platform's URL; its origin (scheme, host, port) is what pages must come from.
    public init(platform: String, pairingCode: String, port: Int) throws(LANError) {
        guard let origin = Self.origin(of: platform) else {
            throw LANError(.badInput, "\(platform) is not a platform address; give one like https://reclaim.example.com.")
        }
        let code = Self.normalized(pairingCode)
        guard code.count >= 8 else {
            throw LANError(.badInput, "The pairing code is the 8 letters and digits the portal shows (like ABCD-EFGH).")
        }
        self.origin = origin
        self.pairingCode = code
        self.port = port
    }

    /// `scheme://host[:port]`, lower-cased, the default port left out, as browsers send `Origin`.
    public static func origin(of url: String) -> String? {
        guard let parsed = URL(string: url.trimmingCharacters(in: .whitespaces)), let scheme = parsed.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = parsed.host?.lowercased(), !host.isEmpty
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        return parsed.port.map { $0 == defaultPort ? "\(scheme)://\(host)" : "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    static func normalized(_ code: String) -> String {
        String(code.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    public func decide(method: String, path: String, host: String?, origin: String?, authorization: String?) -> Verdict {
        guard let host, ["127.0.0.1:\(port)", "localhost:\(port)"].contains(host.lowercased()) else {
            return .refuse(status: 403, reason: "The helper answers at 127.0.0.1:\(port) only.", cors: false)
        }
        guard let origin, origin.lowercased() == self.origin else {
            return .refuse(status: 403, reason: "The helper answers the portal at \(self.origin) only.", cors: false)
        }
        guard let route = Self.route(path) else { return .refuse(status: 404, reason: "No such helper call.", cors: true) }
        if method == "OPTIONS" { return .preflight }
        switch (route, method) {
        case (.devices, "GET"), (.challenge, "POST"): break
        default: return .refuse(status: 405, reason: "Not a helper call.", cors: true)
        }
        let presented = authorization.flatMap { $0.hasPrefix("Pairing ") ? Self.normalized(String($0.dropFirst(8))) : nil } ?? ""
        guard Bytes.constantTimeEqual(presented, pairingCode) else {
            return .refuse(status: 401, reason: "Type the pairing code the portal shows into the helper.", cors: true)
        }
        return .allow(route)
    }

    static func route(_ path: String) -> Route? {
        let parts = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/").map(String.init)
        if parts == ["devices"] { return .devices }
        if parts.count == 3, parts[0] == "devices", parts[2] == "challenge", let serial = parts[1].removingPercentEncoding,
            SerialNumber(serial) != nil
        {
            return .challenge(serial: serial)
        }
        return nil
    }

    /// What lets the portal's page read an answer (and reach this machine from a public site).
    public var corsHeaders: [(String, String)] {
        [
            ("Access-Control-Allow-Origin", origin), ("Vary", "Origin"), ("Access-Control-Allow-Methods", "GET, POST"),
            ("Access-Control-Allow-Headers", "Authorization"), ("Access-Control-Allow-Private-Network", "true"),
            ("Access-Control-Max-Age", "600"),
        ]
    }
}
