/// What the QR code on a device's label holds: the serial, the label verification code
/// and the model, as one line of text:
///
///     RCL1 DS-2CD2143G2-IS20230815AAWRE12345678 KXQBTM DS-2CD2143G2-IS
///
/// `RCL1` names the format and its version; serial, verification code and model follow in
/// this order, one space apart. Every character is one QR alphanumeric mode carries
/// (capitals, digits, space, `-`, `/`), so the code stays small enough for 5-pixel modules
/// on the label. The reader is strict: any other shape is not a Reclaim label, so a photo
/// of something else can never pass for one. Documented in docs/recovery-protocol.md.
public struct LabelPayload: Sendable, Hashable, Codable {
    public static let format = "RCL1"

    public let serial: SerialNumber
    /// The code printed on the label, the same as the enrollment record's `labelCode`.
    public let verificationCode: String
    public let model: String

    public init(serial: SerialNumber, verificationCode: String, model: String) {
        self.serial = serial
        self.verificationCode = verificationCode
        self.model = model
    }

    /// The text the label's QR code holds.
    public var text: String { "\(Self.format) \(serial.text) \(verificationCode) \(model)" }

    /// Reads a label's QR text; nil for anything that is not exactly a Reclaim label.
    public init?(text: String) {
        guard text.utf8.count <= 200 else { return nil }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.format else { return nil }
        let code = String(parts[2])
        let model = String(parts[3])
        guard let serial = SerialNumber(String(parts[1])),
            Self.isVerificationCode(code),
            !model.isEmpty, model.utf8.count <= 32, model.utf8.allSatisfy(SerialNumber.isSerialByte)
        else { return nil }
        self.init(serial: serial, verificationCode: code, model: model)
    }

    /// Four to sixteen capital letters or digits: the shape of every verification code
    /// Reclaim prints.
    public static func isVerificationCode(_ code: String) -> Bool {
        (4...16).contains(code.utf8.count) && code.utf8.allSatisfy { SerialNumber.isUpper($0) || SerialNumber.isDigit($0) }
    }
}
