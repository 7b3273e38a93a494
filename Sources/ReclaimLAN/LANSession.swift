import Crypto
public import Foundation
public import ReclaimCore
public import SADP

/// The LAN tool's operations on devices, over discovery (SADP) with every secret sealed.
///
/// Each operation finds its device by a short scan unless given one, starts a secret
/// exchange when the verb carries a password, a file, answers or a code, and turns a
/// refusal into a ``LANError`` that says what to do.
public struct LANSession: Sendable {
    public let client: SADPClient
    /// How long a scan listens.
    public var scanTimeout: Duration

    public init(client: SADPClient, scanTimeout: Duration = .seconds(1)) {
        self.client = client
        self.scanTimeout = scanTimeout
    }

    // MARK: Finding devices

    public func scan(onFound: (@Sendable (DeviceAnnouncement) -> Void)? = nil) async throws -> [DeviceAnnouncement] {
        try await client.discover(timeout: scanTimeout, onFound: onFound)
    }

    public func find(_ selector: DeviceSelector) async throws -> DeviceAnnouncement {
        try selector.pick(from: try await scan())
    }

    // MARK: Talking to one device

    /// Sends `verb`; with `secrets`, inside a fresh exchange. Returns the device's answer
    /// (and the exchange, to open a sealed answer), or throws its refusal.
    @discardableResult
    func perform(
        _ verb: SADPVerb, on device: DeviceAnnouncement, fields: [SADPField] = [], secrets: SADPSecrets? = nil
    ) async throws -> (answer: SADPMessage, exchange: SecretTransport.ClientSide?) {
        var sealed: SADPSealed?
        var exchange: SecretTransport.ClientSide?
        if let secrets {
            let side = try await startExchange(with: device)
            sealed = SADPSealed(exchangeID: side.id, ciphertext: side.seal(secrets.document))
            exchange = side
        }
        let answer: SADPMessage
        do {
            answer = try await client.request(verb, to: device.mac, fields: fields, sealed: sealed)
        } catch let failure as SADPClient.Failure {
            throw LANError(.noAnswer, "\(device.label): \(failure.description)")
        }
        guard answer.result == .success else { throw LANError(refusal: answer, device: device.label) }
        return (answer, exchange)
    }

    func startExchange(with device: DeviceAnnouncement) async throws -> SecretTransport.ClientSide {
        guard device.reclaimProtocol != nil else {
            throw LANError(
                .failed,
                "\(device.label) does not speak Reclaim's sealed protocol; Reclaim never sends its secrets in the legacy scheme.")
        }
        let key = Curve25519.KeyAgreement.PrivateKey()
        let (answer, _) = try await perform(
            .exchangeCode, on: device, fields: [SADPField("ClientKey", Bytes.base64(key.publicKey.rawRepresentation))])
        guard let deviceKey = answer["DeviceKey"].flatMap({ Bytes.fromBase64($0) }), let id = answer["ExchangeID"] else {
            throw LANError(.failed, "\(device.label) answered the exchange without a key.")
        }
        do {
            return try SecretTransport.ClientSide(clientKey: key, devicePublicKey: deviceKey, id: id)
        } catch {
            throw LANError(.failed, "\(device.label): \(error.reason)")
        }
    }

    /// Checks a password against the device's policy before anything is sent.
    public func checkLocally(_ password: String, for device: DeviceAnnouncement) throws {
        let violations = device.passwordPolicy.violations(of: password, userName: PasswordPolicy.adminUserName)
        guard violations.isEmpty else {
            throw LANError(.passwordRule, "\(device.label): " + violations.map(\.description).joined(separator: " "))
        }
    }

    // MARK: Operations

    public func activate(_ device: DeviceAnnouncement, password: String) async throws {
        try checkLocally(password, for: device)
        try await perform(.activate, on: device, secrets: SADPSecrets([SADPField("Password", password)]))
    }

    public struct NetworkParameters: Sendable {
        public var ipv4Address: String?
        public var subnetMask: String?
        public var gateway: String?
        public var dhcp: Bool
        public var httpPort: Int?

        public init(ipv4Address: String? = nil, subnetMask: String? = nil, gateway: String? = nil, dhcp: Bool = false, httpPort: Int? = nil)
        {
            self.ipv4Address = ipv4Address
            self.subnetMask = subnetMask
            self.gateway = gateway
            self.dhcp = dhcp
            self.httpPort = httpPort
        }
    }

    public func setNetwork(_ device: DeviceAnnouncement, _ parameters: NetworkParameters, password: String) async throws {
        var fields: [SADPField] = [SADPField("DHCP", parameters.dhcp ? "true" : "false")]
        if let value = parameters.ipv4Address { fields.append(SADPField("IPv4Address", value)) }
        if let value = parameters.subnetMask { fields.append(SADPField("IPv4SubnetMask", value)) }
        if let value = parameters.gateway { fields.append(SADPField("IPv4Gateway", value)) }
        if let value = parameters.httpPort { fields.append(SADPField("HttpPort", String(value))) }
        try await perform(.update, on: device, fields: fields, secrets: SADPSecrets([SADPField("Password", password)]))
    }

    /// The device's new GUID file (the previous one stops working).
    public func exportGUID(_ device: DeviceAnnouncement, password: String) async throws -> (fileName: String, contents: String) {
        let (answer, exchange) = try await perform(.exportGUID, on: device, secrets: SADPSecrets([SADPField("Password", password)]))
        guard let sealed = answer.sealed, let exchange,
            let opened = try? SADPSecrets(document: try exchange.openReply(sealed.ciphertext)), let file = opened["GUID"]
        else { throw LANError(.failed, "\(device.label) sent a GUID file that does not open.") }
        return (answer["FileName"] ?? "GUID_\(device.serial ?? device.mac.description).guid.xml", file)
    }

    public func setQuestions(_ device: DeviceAnnouncement, _ choices: [SecurityQuestions.Choice], password: String) async throws {
        do {
            try SecurityQuestions.validate(choices)
        } catch {
            throw LANError(.badInput, error.reason)
        }
        let secrets = [SADPField("Password", password)] + choices.map { SADPField("Answer\($0.questionID)", $0.answer) }
        try await perform(
            .setSecurityQuestion, on: device,
            fields: [SADPField("QuestionIDs", choices.map { String($0.questionID) }.joined(separator: ","))],
            secrets: SADPSecrets(secrets))
    }

    public func setEmail(_ device: DeviceAnnouncement, address: String, password: String) async throws {
        try await perform(.setMailBox, on: device, secrets: SADPSecrets([SADPField("Password", password), SADPField("MailBox", address)]))
    }

    /// The ids of the questions the device asks at "forgot password".
    public func questions(of device: DeviceAnnouncement) async throws -> [SecurityQuestion] {
        let (answer, _) = try await perform(.getSecurityQuestion, on: device)
        return (answer["QuestionIDs"] ?? "").split(separator: ",").compactMap { Int($0).flatMap(SecurityQuestions.question(id:)) }
    }

    /// A new challenge of the device, for a support case or the reserved e-mail.
    public func exportChallenge(_ device: DeviceAnnouncement, purpose: ChallengePurpose) async throws -> (text: String, expiresAt: String?)
    {
        let (answer, _) = try await perform(purpose == .supportCase ? .getCode : .getQRCodes, on: device)
        guard let text = answer[purpose == .supportCase ? "Code" : "QRCode"] else {
            throw LANError(.failed, "\(device.label) answered without a challenge.")
        }
        return (text, answer["ExpiresAt"])
    }

    public enum Proof: Sendable {
        case guidFile(String)
        case answers([Int: String])
        case resetKey(String)
        case resetFile(String)
        case verificationCode(String)
    }

    /// Resets the admin password with one of the recovery modes.
    public func recover(_ device: DeviceAnnouncement, with proof: Proof, newPassword: String) async throws {
        try checkLocally(newPassword, for: device)
        var secrets = [SADPField("Password", newPassword)]
        let verb: SADPVerb
        switch proof {
        case .guidFile(let file):
            verb = .guidReset
            secrets.append(SADPField("GUID", file))
        case .answers(let answers):
            verb = .answerReset
            secrets += answers.sorted { $0.key < $1.key }.map { SADPField("Answer\($0.key)", $0.value) }
        case .resetKey(let key):
            verb = .reset
            secrets.append(SADPField("Code", key))
        case .resetFile(let file):
            verb = .reset
            secrets.append(SADPField("ResetFile", file))
        case .verificationCode(let code):
            verb = .mailReset
            secrets.append(SADPField("Code", code))
        }
        try await perform(verb, on: device, secrets: SADPSecrets(secrets))
    }

    public func restoreInactive(_ device: DeviceAnnouncement, password: String) async throws {
        try await perform(.restoreInactive, on: device, secrets: SADPSecrets([SADPField("Password", password)]))
    }
}
