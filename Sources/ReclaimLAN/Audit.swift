public import Foundation
import ISAPIClient
import NIOCore
import NIOHTTP1
public import ReclaimCore
public import SADP

/// The hardening check of a device after a reset (flow F9): password strength, firmware,
/// UPnP, recovery set up, a fresh GUID file.
///
/// What the LAN shows (activation, firmware, recovery readiness) needs no password; the
/// password's strength class and UPnP are read over ISAPI with the admin password.
public struct AuditReport: Sendable, Codable {
    public struct Finding: Sendable, Codable, Hashable {
        public enum Severity: String, Sendable, Codable, Comparable {
            case ok, info, low, medium, high

            var rank: Int { ["ok": 0, "info": 1, "low": 2, "medium": 3, "high": 4][rawValue]! }
            public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
        }

        public let check: String
        public let severity: Severity
        public let message: String
    }

    public let serial: String
    public let model: String
    public let address: String
    public let firmware: String
    public let passwordStrength: String?
    public let upnpEnabled: Bool?
    public let recoveryReady: [String]
    public let findings: [Finding]

    /// The worst finding.
    public var severity: Finding.Severity { findings.map(\.severity).max() ?? .ok }
}

public enum Auditor {
    /// Audits `device`; with `password`, also what only the admin may read.
    public static func audit(_ device: DeviceAnnouncement, password: String?) async -> AuditReport {
        var findings: [AuditReport.Finding] = []
        func add(_ check: String, _ severity: AuditReport.Finding.Severity, _ message: String) {
            findings.append(.init(check: check, severity: severity, message: message))
        }

        if device.activated == false {
            add("activation", .high, "Not activated: anyone on the LAN can set its password. Activate it now (`reclaim activate`).")
        }

        let model = device.model.flatMap(DeviceModel.named)
        if let installed = device.firmware, let latest = model?.firmwareVersions.last {
            if installed.version == latest.version && installed.build == latest.build {
                add("firmware", .ok, "\(installed.displayString) is the latest known release.")
            } else {
                add("firmware", .medium, "\(installed.displayString) is installed; \(latest.displayString) is available: update it.")
            }
        } else {
            add("firmware", .info, "Firmware \(device.softwareVersion ?? "unknown") of an unknown model: check the vendor's releases.")
        }

        let ready = Set(device.recoveryReady ?? [])
        let selfService = ready.intersection(["guidFile", "securityQuestions", "reservedEmail"])
        if device.activated != false {
            if selfService.isEmpty {
                add(
                    "recovery", .medium,
                    "No self-service recovery is set up: set security questions, a reserved e-mail, or export a GUID file.")
            } else {
                add("recovery", .ok, "Set up: " + selfService.sorted().joined(separator: ", ") + ".")
            }
            if device.guidCurrent == false {
                add(
                    "guid", .low,
                    "No GUID file was exported since the last password change: export a fresh one (`reclaim guid export`) and keep it offline."
                )
            } else if device.guidCurrent == true {
                add("guid", .ok, "A GUID file exported since the last password change is valid.")
            }
        }

        var strength: String?
        var upnp: Bool?
        if let password, device.activated == true, let address = device.ipv4Address {
            let client = ISAPIClient(baseURL: "http://\(address):\(device.httpPort ?? 80)", password: password, timeout: .seconds(5))
            if let check = try? await client.get("/ISAPI/Security/userCheck"), check.status == .ok {
                strength = check.xml?.value("passwordStrength")
                switch strength {
                case "strong": add("password", .ok, "The admin password is strong.")
                case "fair":
                    add(
                        "password", .medium,
                        "The admin password only just meets the rules: use 12 or more characters of 3 kinds, or a long passphrase.")
                case "weak": add("password", .high, "The admin password breaks the current rules: change it now.")
                default: add("password", .info, "The device does not report its password's strength.")
                }
                if let reply = try? await client.get("/ISAPI/System/Network/UPnP"), reply.status == .ok {
                    upnp = reply.xml?.bool("enabled")
                    if upnp == true {
                        add("upnp", .medium, "UPnP is on: it can open ports on the router. Turn it off unless remote access needs it.")
                    } else if upnp == false {
                        add("upnp", .ok, "UPnP is off.")
                    }
                }
            } else {
                add("password", .info, "The admin password given does not sign in; password strength and UPnP were not checked.")
            }
        } else if device.activated == true {
            add("password", .info, "Give the admin password (--password-file) to check its strength and UPnP.")
        }

        return AuditReport(
            serial: device.serial ?? device.mac.description, model: device.model ?? "unknown", address: device.ipv4Address ?? "",
            firmware: device.softwareVersion ?? "unknown", passwordStrength: strength, upnpEnabled: upnp,
            recoveryReady: ready.sorted(), findings: findings)
    }
}
