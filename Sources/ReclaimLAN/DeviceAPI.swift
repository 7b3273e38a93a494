import Foundation
import ISAPIClient
public import NIOCore
import NIOHTTP1
public import ReclaimCore
public import SADP

/// A device's own HTTP API (ISAPI), signed in with the admin password, for what discovery
/// does not carry: the password's strength class, UPnP and firmware updates.
///
/// Discovery finds the device and says where its API listens; every call here speaks HTTP
/// Digest, as real devices require, and turns a refusal into a ``LANError`` that says what
/// to do. A wrong password counts against the caller's address on the device like any
/// other guess, so no call is retried after the device refused the password.
public struct DeviceAPI: Sendable {
    /// How messages name the device: its serial (or MAC) and address, or the address given.
    public let label: String
    let client: ISAPIClient

    /// How long a call that carries a firmware package may take: megabytes, not a setting.
    public static let uploadTimeout: TimeAmount = .seconds(60)

    /// - Throws: ``LANError`` when the device announced no IPv4 address to reach it at.
    public init(_ device: DeviceAnnouncement, password: String, timeout: TimeAmount = .seconds(5)) throws(LANError) {
        guard let address = device.ipv4Address else {
            throw LANError(.noAnswer, "\(device.label) announced no IPv4 address; give it one with `reclaim network set --ipv4`.")
        }
        label = device.label
        client = ISAPIClient(baseURL: "http://\(address):\(device.httpPort ?? 80)", password: password, timeout: timeout)
    }

    /// The API of a device reached at `host:port` directly, without discovery: across a
    /// router, or where discovery is filtered.
    public init(host: String, port: Int, password: String, timeout: TimeAmount = .seconds(5)) {
        label = "\(host):\(port)"
        client = ISAPIClient(baseURL: "http://\(host):\(port)", password: password, timeout: timeout)
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

    /// The firmware the device runs, as its `deviceInfo` says.
    public func firmware() async throws(LANError) -> DeviceModel.Firmware {
        try await deviceInfo().firmware
    }

    /// The serial and firmware of `deviceInfo`.
    func deviceInfo() async throws(LANError) -> (serial: String?, firmware: DeviceModel.Firmware) {
        let info = try await send("/ISAPI/System/deviceInfo", doing: "reading the firmware version").xml
        guard let version = info?.value("firmwareVersion"), !version.isEmpty else {
            throw LANError(.failed, "\(label): its deviceInfo names no firmware version.")
        }
        // `build 230815`, as devices write the release date.
        let released = info?.value("firmwareReleasedDate") ?? ""
        let build = released.split(separator: " ").last.map(String.init) ?? ""
        return (info?.value("serialNumber"), DeviceModel.Firmware(version, build: build))
    }

    /// A firmware update as the device reported it: the release before and after.
    public struct FirmwareChange: Sendable, Hashable {
        /// The device's serial, as its `deviceInfo` says: the name a device reached at
        /// `HOST:PORT` goes by.
        public let serial: String?
        public let previous: DeviceModel.Firmware
        public let installed: DeviceModel.Firmware
    }

    /// Installs a firmware package (`PUT /ISAPI/System/updateFirmware`) and reads back what
    /// the device runs. The device checks the package's signature, model and version; a
    /// refusal is a ``LANError`` with its words.
    public func upgradeFirmware(_ package: [UInt8]) async throws(LANError) -> FirmwareChange {
        // Read first: it says what was installed, and the Digest challenge it answers lets the
        // package cross the network once rather than twice.
        let before = try await deviceInfo()
        try await send(
            "/ISAPI/System/updateFirmware", body: package, contentType: "application/octet-stream", doing: "installing the firmware package"
        )
        return FirmwareChange(serial: before.serial, previous: before.firmware, installed: try await firmware())
    }

    /// GETs `path`, or PUTs `body` there.
    @discardableResult
    func send(_ path: String, body: XMLElement? = nil, doing what: String) async throws(LANError) -> ISAPIClient.Reply {
        try await send(path, body: body.map { Array($0.document().utf8) }, contentType: "application/xml", doing: what)
    }

    /// GETs `path`, or PUTs `body` of `contentType` there.
    @discardableResult
    func send(_ path: String, body: [UInt8]?, contentType: String, doing what: String) async throws(LANError) -> ISAPIClient.Reply {
        let reply: ISAPIClient.Reply
        do {
            reply =
                if let body {
                    try await client.send(.PUT, path, body: body, contentType: contentType)
                } else {
                    try await client.get(path)
                }
        } catch {
            throw LANError(
                .noAnswer,
                "\(label): its web API at \(client.baseURL) did not answer (\(error)). Check that `reclaim scan` shows the right address and HTTP port."
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
                "\(label): Locked after too many failed attempts until \(until.formatted(date: .omitted, time: .shortened)) (\((seconds + 59) / 60) min). Wait, then try again."
            )
        }
        if reply.status == .unauthorized {
            let left =
                xml?.first(named: "retryTimes").flatMap { Int($0.text) }.map {
                    " " + Language.english.counted($0, one: "1 attempt left", other: "{n} attempts left") + " before a lock-out."
                } ?? ""
            return LANError(
                .wrongCredential, "\(label): the admin password given does not sign in.\(left) Check the password file.")
        }
        // The device's own words end with a full stop; the sentence around them must not add another.
        let because = reply.errorMessage.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 } ?? "HTTP \(reply.status.code)"
        return LANError(.failed, "\(label): \(what) was refused: \(because).")
    }
}
