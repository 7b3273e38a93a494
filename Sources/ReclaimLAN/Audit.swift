public import Foundation
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

    /// A change `reclaim audit --fix` makes without asking a person: one that locks no one
    /// out and undoes nothing a person chose for a reason only they know (a password, a
    /// recovery method, a firmware version are theirs to choose).
    public enum SafeFix: String, Sendable, Codable, CaseIterable {
        /// UPnP off: the device stops asking the router to open ports to it.
        case upnpOff

        /// The finding it answers.
        public var check: String {
            switch self {
            case .upnpOff: "upnp"
            }
        }
    }

    /// What `--fix` did about one ``SafeFix``: made it, or why not.
    public struct Fix: Sendable, Codable, Hashable {
        public let fix: SafeFix
        public let applied: Bool
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
    /// With `--fix`: what was changed (the findings are then read again after the change).
    public internal(set) var fixes: [Fix]?

    /// The worst finding.
    public var severity: Finding.Severity { findings.map(\.severity).max() ?? .ok }

    /// The safe fixes this device needs, as far as the audit could see.
    public var safeFixes: [SafeFix] { upnpEnabled == true ? [.upnpOff] : [] }

    /// Every finding that is not fine and that `--fix` does not make: what a person has to do
    /// (choose a password, set up a recovery method, install firmware, give the password).
    public var leftForAPerson: [Finding] {
        let fixed = Set((fixes ?? []).filter(\.applied).map(\.fix.check))
        return findings.filter { $0.severity != .ok && !fixed.contains($0.check) }
    }
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

        let installed = device.firmware?.displayString ?? ""
        switch FirmwareStatus(installed: device.firmware, model: device.model.flatMap(DeviceModel.named)) {
        case .current:
            add("firmware", .ok, "\(installed) is the latest known release.")
        case .outdated(let latest):
            add("firmware", .medium, "\(installed) is installed; \(latest.displayString) is available: update it.")
        case .unknown:
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
        if let password, device.activated == true {
            do {
                let api = try DeviceAPI(device, password: password)
                strength = try await api.passwordStrength()
                switch strength {
                case "strong": add("password", .ok, "The admin password is strong.")
                case "fair":
                    add(
                        "password", .medium,
                        "The admin password only just meets the rules: use 12 or more characters of 3 kinds, or a long passphrase.")
                case "weak": add("password", .high, "The admin password breaks the current rules: change it now.")
                default: add("password", .info, "The device does not report its password's strength.")
                }
                // A device without the UPnP resource (other firmware) is not a finding.
                upnp = try? await api.upnpEnabled()
                if upnp == true {
                    add(
                        "upnp", .medium,
                        "UPnP is on: it can open ports on the router. Turn it off unless remote access needs it (`reclaim audit --fix` does)."
                    )
                } else if upnp == false {
                    add("upnp", .ok, "UPnP is off.")
                }
            } catch let error where error.kind == .wrongCredential || error.kind == .locked {
                add("password", .info, "The admin password given does not sign in; password strength and UPnP were not checked.")
            } catch {
                add("password", .info, "\(error.description) Password strength and UPnP were not checked.")
            }
        } else if device.activated == true {
            add("password", .info, "Give the admin password (--password-file) to check its strength and UPnP.")
        }

        return AuditReport(
            serial: device.serial ?? device.mac.description, model: device.model ?? "unknown", address: device.ipv4Address ?? "",
            firmware: device.softwareVersion ?? "unknown", passwordStrength: strength, upnpEnabled: upnp,
            recoveryReady: ready.sorted(), findings: findings)
    }

    /// Audits `device`, makes the safe fixes it needs (``AuditReport/safeFixes``) with
    /// `password`, and audits it again: the report shows the device as it is after the
    /// changes, with ``AuditReport/fixes`` saying what was changed and what could not be.
    public static func auditAndFix(_ device: DeviceAnnouncement, password: String) async -> AuditReport {
        let before = await audit(device, password: password)
        var fixes: [AuditReport.Fix] = []
        for fix in before.safeFixes {
            switch fix {
            case .upnpOff:
                do {
                    try await DeviceAPI(device, password: password).setUPnP(enabled: false)
                    fixes.append(.init(fix: fix, applied: true, message: "UPnP turned off."))
                } catch {
                    fixes.append(.init(fix: fix, applied: false, message: "UPnP left on: \(error.description)"))
                }
            }
        }
        var after = fixes.isEmpty ? before : await audit(device, password: password)
        after.fixes = fixes
        return after
    }
}
