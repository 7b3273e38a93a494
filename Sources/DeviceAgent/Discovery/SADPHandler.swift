import Foundation
import ReclaimCore
public import SADP

/// How a device answers discovery messages: inquiries from anyone, verbs addressed to
/// its MAC. Secrets travel only sealed with a ``SecretTransport`` exchange started by
/// `exchangecode`; a verb that needs one and comes without is refused, never read in
/// the clear. Every credential goes through the device's lock-out, as over HTTP.
public enum SADPHandler {
    /// The answer to `request`, or nil when it is not for this device.
    ///
    /// - Parameters:
    ///   - address: the device's IPv4 address, as it listens.
    ///   - httpPort: its HTTP port.
    public static func answer(_ request: SADPMessage, device: Device, source: String, address: String, httpPort: Int) async -> SADPMessage?
    {
        guard request.kind == .probe else { return nil }
        let identity = device.identity
        guard let verb = request.verb else {
            // An unknown verb for this device gets a refusal; one for others, silence.
            guard request.mac == identity.mac else { return nil }
            return reply(request, device, .failed, error: "unsupported", "This device does not know the verb \(request.types).")
        }
        if verb.isInquiry {
            return SADPMessage(
                kind: .probeMatch, uuid: request.uuid, types: request.types, mac: identity.mac,
                fields: await device.announcement(address: address, httpPort: httpPort).fields)
        }
        // Verbs for another device are ignored, as on real devices.
        guard request.mac == identity.mac else { return nil }
        do {
            return try await perform(verb, request, device: device, source: source)
        } catch let error as DeviceError {
            return refusal(request, device, error)
        } catch {
            return reply(request, device, .failed, error: "badRequest", "\(error)")
        }
    }

    static func perform(_ verb: SADPVerb, _ request: SADPMessage, device: Device, source: String) async throws -> SADPMessage {
        switch verb {
        case .inquiry, .inquiryV32:
            preconditionFailure("answered above")
        case .exchangeCode:
            guard let key = request["ClientKey"].flatMap({ Bytes.fromBase64($0) }) else {
                throw DeviceError(.badRequest, "Send <ClientKey>, a base64 X25519 public key.")
            }
            let side = try await device.startExchange(clientPublicKey: key, source: source)
            return reply(
                request, device, .success,
                [
                    SADPField("DeviceKey", Bytes.base64(side.publicKey)), SADPField("ExchangeID", side.id),
                    SADPField("Scheme", SecretTransport.scheme),
                ])
        case .getCode, .getQRCodes:
            let pending = try await device.issueChallenge(purpose: verb == .getCode ? .supportCase : .reservedEmail, source: source)
            return reply(
                request, device, .success,
                [
                    SADPField(verb == .getCode ? "Code" : "QRCode", pending.text),
                    SADPField("ExpiresAt", pending.content.expiresAt.formatted(.iso8601)),
                ])
        case .getSecurityQuestion:
            let questions = await device.configuredQuestions
            guard !questions.isEmpty else { throw DeviceError(.modeUnavailable, "No security questions are set on this device.") }
            return reply(request, device, .success, [SADPField("QuestionIDs", questions.map { String($0.id) }.joined(separator: ","))])
        default:
            break
        }

        // Every other verb carries secrets: open them with the exchange they name.
        guard let sealed = request.sealed else {
            throw DeviceError(.badRequest, "This verb carries secrets: start an exchange with exchangecode and send them sealed.")
        }
        guard let exchange = await device.takeExchange(sealed.exchangeID, source: source) else {
            throw DeviceError(.badRequest, "The exchange \(sealed.exchangeID) is unknown or expired: start a new one with exchangecode.")
        }
        let secrets: SADPSecrets
        do {
            secrets = try SADPSecrets(document: try exchange.open(sealed.ciphertext))
        } catch {
            throw DeviceError(.badRequest, "The sealed part does not open: \(error.reason)")
        }
        let password = secrets["Password"] ?? ""

        switch verb {
        case .activate:
            try await device.activate(password: password, source: source)
        case .update:
            var network = NetworkSettings()
            network.ipv4Address = request["IPv4Address"]
            network.subnetMask = request["IPv4SubnetMask"]
            network.gateway = request["IPv4Gateway"]
            network.dhcp = request.bool("DHCP") ?? false
            network.httpPort = request["HttpPort"].flatMap { Int($0) }
            try await device.updateNetwork(network, password: password, source: source)
        case .reset:
            if let file = secrets["ResetFile"] {
                try await device.recover(resetFile: Array(file.utf8), newPassword: password, source: source)
            } else {
                try await device.recover(code: secrets["Code"] ?? "", kind: .resetKey, newPassword: password, source: source)
            }
        case .exportGUID:
            try await device.verifyPassword(password, source: source)
            let file = try await device.exportGUID()
            let sealedFile = exchange.sealReply(SADPSecrets([SADPField("GUID", file.xml)]).document)
            var answer = reply(request, device, .success, [SADPField("FileName", file.suggestedFileName)])
            answer.sealed = SADPSealed(exchangeID: exchange.id, ciphertext: sealedFile)
            return answer
        case .guidReset:
            try await device.recover(guidFile: Array((secrets["GUID"] ?? "").utf8), newPassword: password, source: source)
        case .setSecurityQuestion:
            let ids = (request["QuestionIDs"] ?? "").split(separator: ",").compactMap { Int($0) }
            let choices = ids.map { SecurityQuestions.Choice(questionID: $0, answer: secrets["Answer\($0)"] ?? "") }
            try await device.setSecurityQuestions(choices, password: password, source: source)
        case .answerReset:
            var answers: [Int: String] = [:]
            for field in secrets.values where field.name.hasPrefix("Answer") {
                if let id = Int(field.name.dropFirst("Answer".count)) { answers[id] = field.value }
            }
            try await device.recover(answers: answers, newPassword: password, source: source)
        case .setMailBox:
            try await device.setReservedEmail(secrets["MailBox"], password: password, source: source)
        case .mailReset:
            try await device.recover(code: secrets["Code"] ?? "", kind: .verificationCode, newPassword: password, source: source)
        case .restoreInactive:
            try await device.restoreInactive(password: password, source: source)
        case .reboot:
            try await device.reboot(password: password, source: source)
        case .inquiry, .inquiryV32, .exchangeCode, .getCode, .getQRCodes, .getSecurityQuestion:
            preconditionFailure("answered above")
        }
        return reply(request, device, .success)
    }

    static func reply(
        _ request: SADPMessage, _ device: Device, _ result: SADPMessage.Result, _ fields: [SADPField] = []
    ) -> SADPMessage {
        SADPMessage(kind: .probeMatch, uuid: request.uuid, types: request.types, mac: device.identity.mac, result: result, fields: fields)
    }

    static func reply(
        _ request: SADPMessage, _ device: Device, _ result: SADPMessage.Result, error code: String, _ message: String
    ) -> SADPMessage {
        reply(request, device, result, [SADPField("ErrorCode", code), SADPField("ErrorMessage", message)])
    }

    /// A refusal with what the client needs to tell its user: the reason, the attempts
    /// left, the lock and its time left, the broken password rules.
    static func refusal(_ request: SADPMessage, _ device: Device, _ error: DeviceError) -> SADPMessage {
        var fields = [SADPField("ErrorCode", error.code.rawValue), SADPField("ErrorMessage", error.reason)]
        if let left = error.attemptsLeft { fields.append(SADPField("RetryTimes", String(left))) }
        if let lock = error.lock {
            fields.append(SADPField("LockStatus", "lock"))
            fields.append(SADPField("LockScope", lock.scope.rawValue))
            fields.append(SADPField("UnlockTime", String(error.lockSecondsLeft ?? 1)))
        }
        fields += error.violations.map { SADPField("PasswordRule", $0.description) }
        return reply(request, device, error.code.discoveryDenied ? .denied : .failed, fields)
    }
}
