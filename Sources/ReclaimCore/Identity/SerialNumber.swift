/// A device serial number: model, manufacture date, batch letters and serial digits,
/// as on real labels — `DS-2CD2385G1-I` `20200414` `AAWRE` `33842150`.
///
/// The serial is public: it is printed on the label and sent in every discovery
/// answer. Nothing secret is ever derived from it alone.
public struct SerialNumber: Hashable, Sendable, CodableAsText, Comparable {
    public let text: String
    public let model: String
    /// `YYYYMMDD`.
    public let manufactureDate: String
    public let batch: String
    public let digits: String

    public init(model: String, manufactureDate: String, batch: String, digits: String) {
        self.model = model
        self.manufactureDate = manufactureDate
        self.batch = batch
        self.digits = digits
        self.text = model + manufactureDate + batch + digits
    }

    /// Parses a serial, reading from the end: serial digits, batch letters, an
    /// eight-digit date, and the model before it. Nil when that shape isn't there.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count <= 64, bytes.allSatisfy(Self.isSerialByte) else { return nil }
        var end = bytes.count
        var start = end
        while start > 0, Self.isDigit(bytes[start - 1]) { start -= 1 }
        // The digits may run into the date when the batch is absent; require a batch.
        let digitsRange = start..<end
        end = start
        while start > 0, Self.isUpper(bytes[start - 1]) { start -= 1 }
        let batchRange = start..<end
        guard !digitsRange.isEmpty, !batchRange.isEmpty, start >= 9 else { return nil }
        let dateRange = (start - 8)..<start
        guard bytes[dateRange].allSatisfy(Self.isDigit) else { return nil }
        let date = String(decoding: bytes[dateRange], as: UTF8.self)
        guard Self.isPlausibleDate(date) else { return nil }
        self.text = text
        self.model = String(decoding: bytes[0..<dateRange.lowerBound], as: UTF8.self)
        self.manufactureDate = date
        self.batch = String(decoding: bytes[batchRange], as: UTF8.self)
        self.digits = String(decoding: bytes[digitsRange], as: UTF8.self)
    }

    public var description: String { text }

    /// The last nine characters, which devices show in their HTTP realm and names.
    public var tail: String { String(text.suffix(9)) }

    public static func < (lhs: SerialNumber, rhs: SerialNumber) -> Bool { lhs.text < rhs.text }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    static func isSerialByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || isUpper(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }

    static func isPlausibleDate(_ date: String) -> Bool {
        guard let value = Int(date) else { return false }
        let year = value / 10000, month = value / 100 % 100, day = value % 100
        return (2000...2099).contains(year) && (1...12).contains(month) && (1...31).contains(day)
    }
}
