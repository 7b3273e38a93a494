import Foundation
import ISAPIClient
public import NIOCore
import NIOHTTP1
import ReclaimCore
public import SADP

/// A device's own HTTP API (ISAPI), signed in with the admin password, for what discovery
/// does not carry: the password's strength class and UPnP.
///
/// Discovery finds the device and says where its API listens; every call here speaks HTTP
/// Digest, as real devices require, and turns a refusal into a ``LANError`` that says what
/// to do. A wrong password counts against the caller's address on the device like any
/// other guess, so no call is retried after the device refused the password.
public struct DeviceAPI: Sendable {
    public let device: DeviceAnnouncement
    let client: ISAPIClient

    /// - Throws: ``LANError`` when the device announced no IPv4 address to reach it at.
    public init(_ device: DeviceAnnouncement, password: String, timeout: TimeAmount = .seconds(5)) throws(LANError) {
        guard let address = device.ipv4Address else {
            throw LANError(.noAnswer, "\(device.label) announced no IPv4 address; give it one with `reclaim network set --ipv4`.")
        }
        self.device = device
        client = ISAPIClient(baseURL: "http://\(address):\(device.httpPort ?? 80)", password: password, timeout: timeout)
    }

    /// The admin password's strength class as the device judged it when the password was
    /// set (`strong`, `fair`, `weak`; `unknown` when it never judged it). Answering at all
    /// proves the password signs in.
    public func passwordStrength() async throws(LANError) -> String {
        let reply = try await send("/ISAPI/Security/userCheck", doing: "reading the password's strength")
        return reply.xml?.value("passwordStrength") ?? "unknown"
    }

    /// Whether UPnP port mapping is on; nil when the device does not say.
    public func upnpEnabled() async throws(LANError) -> Bool? {
        try await send("/ISAPI/System/Network/UPnP", doing: "reading UPnP").xml?.bool("enabled")
    }

    /// Turns UPnP port mapping on or off.
    public func setUPnP(enabled: Bool) async throws(LANError) {
        let body = XMLElement("UPnP", children: [.leaf("enabled", enabled ? "true" : "false")])
        try await send("/ISAPI/System/Network/UPnP", body: body, doing: "turning UPnP \(enabled ? "on" : "off")")
    }

    /// GETs `path`, or PUTs `body` there.
    @discardableResult
    func send(_ path: String, body: XMLElement? = nil, doing what: String) async throws(LANError)
        -> ISAPIClient.Reply
    {
        let reply: ISAPIClient.Reply
        do {
            reply =
                if let body {
                    try await client.put(path, xml: body)
                } else {
                    try await client.get(path)
                }
        } catch {
            throw LANError(
                .noAnswer,
                "\(device.label): its web API at \(client.baseURL) did not answer (\(error)). Check that `reclaim scan` shows the right address and HTTP port."
            )
        }
        guard reply.status == .ok else { throw refusal(reply, doing: what) }
        return reply
    }

    /// What the device's refusal means for the user: the password, a lock, or another reason.
    func refusal(_ reply: ISAPIClient.Reply, doing what: String) -> LANError {
        let xml = reply.xml
        if xml?.first(named: "lockStatus")?.text == "lock" {
            let seconds = xml?.first(named: "unlockTime").flatMap { Int($0.text) } ?? 0
            let until = Date().addingTimeInterval(TimeInterval(seconds))
            return LANError(
                .locked,
                "\(device.label): Locked after too many failed attempts until \(until.formatted(date: .omitted, time: .shortened)) (\((seconds + 59) / 60) min). Wait, then try again."
            )
        }
        if reply.status == .unauthorized {
            let left =
                xml?.first(named: "retryTimes").flatMap { Int($0.text) }.map {
                    " " + Language.english.counted($0, one: "1 attempt left", other: "{n} attempts left") + " before a lock-out."
                } ?? ""
            return LANError(
                .wrongCredential, "\(device.label): the admin password given does not sign in.\(left) Check the password file.")
        }
        return LANError(.failed, "\(device.label): \(what) was refused: \(reply.errorMessage ?? "HTTP \(reply.status.code)").")
    }
}
