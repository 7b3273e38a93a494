import Foundation
import ReclaimCore
import ReclaimLAN
import SADP

/// How the tool shows devices: a table for people, JSON for scripts.
enum ScanOutput {
    static func table(_ devices: [DeviceAnnouncement]) -> String {
        var rows = [["SERIAL", "MODEL", "IPV4", "MAC", "FIRMWARE", "ACTIVATED", "RECOVERY"]]
        for device in devices {
            rows.append([
                device.serial ?? "?", device.model ?? "?", device.ipv4Address.map { "\($0):\(device.httpPort ?? 80)" } ?? "?",
                device.mac.description, device.softwareVersion ?? "?",
                device.activated.map { $0 ? "yes" : "no" } ?? "?", recovery(device),
            ])
        }
        return render(rows) + "\n" + Language.english.counted(devices.count, one: "1 device.", other: "{n} devices.")
    }

    /// The recovery modes set up, or (for other devices) the abilities they announce.
    static func recovery(_ device: DeviceAnnouncement) -> String {
        if let ready = device.recoveryReady {
            let names = ["guidFile": "guid", "securityQuestions": "questions", "reservedEmail": "email", "supportKey": "support"]
            let shown = ready.compactMap { names[$0] }
            return shown.isEmpty ? "-" : shown.joined(separator: ",")
        }
        var abilities: [String] = []
        if device.supportGUID == true { abilities.append("guid?") }
        if device.supportSecurityQuestion == true { abilities.append("questions?") }
        if device.supportMailBox == true { abilities.append("email?") }
        if device.passwordResetAbility == true { abilities.append("support?") }
        return abilities.isEmpty ? "-" : abilities.joined(separator: ",")
    }

    static func render(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.reclaim.encode(value), as: UTF8.self)
    }

    /// Lines for what changed between two scans (`scan --watch`).
    static func changes(from old: [String: DeviceAnnouncement], to devices: [DeviceAnnouncement]) -> [String] {
        let time = Date().formatted(date: .omitted, time: .standard)
        var lines: [String] = []
        let current = Set(devices.map(\.mac.description))
        for device in devices {
            guard let before = old[device.mac.description] else {
                lines.append(
                    "\(time) + \(device.label) \(device.model ?? "") activated=\(device.activated.map { $0 ? "yes" : "no" } ?? "?")")
                continue
            }
            if before != device {
                lines.append(
                    "\(time) ~ \(device.label) activated=\(device.activated.map { $0 ? "yes" : "no" } ?? "?") recovery=\(recovery(device))")
            }
        }
        for (mac, device) in old where !current.contains(mac) { lines.append("\(time) - \(device.label) no longer answers") }
        return lines
    }

    /// The audit for people: each device's findings, worst first; with `--fix`, what was
    /// changed and what is left for a person; then a summary.
    static func audit(_ reports: [AuditReport]) -> String {
        var lines: [String] = []
        for report in reports {
            lines.append("\(report.serial) \(report.model) \(report.address): \(report.severity.rawValue.uppercased())")
            for finding in report.findings.sorted(by: { $0.severity > $1.severity }) {
                lines.append("  [\(finding.severity.rawValue)] \(finding.check): \(finding.message)")
            }
            guard let fixes = report.fixes else { continue }
            for fix in fixes { lines.append("  \(fix.applied ? "Fixed" : "Not fixed"): \(fix.message)") }
            let left = report.leftForAPerson.map(\.check)
            lines.append(
                left.isEmpty
                    ? "  Left for a person: nothing."
                    : "  Left for a person: \(left.joined(separator: ", ")) (see above); --fix changes none of these.")
        }
        let worst = reports.filter { $0.severity >= .medium }.count
        lines.append(
            Language.english.counted(reports.count, one: "1 device checked; ", other: "{n} devices checked; ")
                + Language.english.counted(worst, one: "1 needs attention.", other: "{n} need attention."))
        if reports.contains(where: { $0.fixes != nil }) {
            let fixed = reports.filter { $0.fixes?.contains(where: \.applied) == true }.count
            let left = reports.filter { !$0.leftForAPerson.isEmpty }.count
            lines.append(
                "--fix: " + Language.english.counted(fixed, one: "1 device fixed; ", other: "{n} devices fixed; ")
                    + Language.english.counted(
                        left, one: "1 device has findings left for a person.", other: "{n} devices have findings left for a person."))
        }
        return lines.joined(separator: "\n")
    }
}
