import Foundation
import ReclaimCore
import SADP

/// What went wrong with a device, said so that the user knows what to do next.
public struct LANError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case deviceNotFound, ambiguousDevice, noAnswer, wrongCredential, locked, passwordRule, expired, unknownChallenge,
            notActivated, alreadyActivated, modeUnavailable, badInput, failed
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// Reads a device's refusal (a ProbeMatch with Result failed or denied).
    init(refusal reply: SADPMessage, device: String) {
        let message = reply["ErrorMessage"] ?? "The device refused (\(reply["ErrorCode"] ?? "no reason given"))."
        switch reply["ErrorCode"] {
        case "wrongCredential":
            let left =
                reply["RetryTimes"].flatMap(Int.init).map {
                    " " + Language.english.counted($0, one: "1 attempt left", other: "{n} attempts left") + " before a lock-out."
                } ?? ""
            self.init(.wrongCredential, "\(device): \(Self.firstSentence(message))\(left)")
        case "locked":
            let seconds = reply["UnlockTime"].flatMap(Int.init) ?? 0
            let until = Date().addingTimeInterval(TimeInterval(seconds))
            let what = reply["LockScope"] == "guidMode" ? "The GUID mode is locked" : "Locked after too many failed attempts"
            self.init(
                .locked,
                "\(device): \(what) until \(until.formatted(date: .omitted, time: .shortened)) (\((seconds + 59) / 60) min). Wait, then try again."
            )
        case "passwordRule":
            let rules = reply.fields.filter { $0.name == "PasswordRule" }.map(\.value)
            self.init(.passwordRule, "\(device): the password is refused. " + (rules.isEmpty ? message : rules.joined(separator: " ")))
        case "challengeExpired": self.init(.expired, "\(device): \(message)")
        case "unknownChallenge": self.init(.unknownChallenge, "\(device): \(message)")
        case "notActivated": self.init(.notActivated, "\(device): not activated yet: activate it with `reclaim activate`.")
        case "alreadyActivated": self.init(.alreadyActivated, "\(device): already activated.")
        case "modeUnavailable": self.init(.modeUnavailable, "\(device): \(message)")
        default: self.init(.failed, "\(device): \(message)")
        }
    }

    /// "Wrong password. 4 attempts left…" → "Wrong password." (the count is added from its field).
    static func firstSentence(_ text: String) -> String {
        guard let range = text.range(of: #" \d+ attempts? left"#, options: .regularExpression) else { return text }
        return String(text[..<range.lowerBound])
    }
}
