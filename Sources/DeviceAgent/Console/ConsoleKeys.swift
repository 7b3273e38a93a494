/// A key the console's menu reacts to.
public enum ConsoleKey: Sendable, Equatable {
    case up, down, left, right, enter, escape, backspace, tab
    /// Ctrl-C, when it arrives as a byte rather than as a signal.
    case interrupt
    case character(Character)
}

/// Turns the bytes a terminal in raw mode sends into keys.
///
/// Arrows arrive as `ESC [ A` (or `ESC O A` when the terminal is in application mode),
/// Escape alone as a lone `ESC`, so a lone `ESC` at the end of what was read may be the
/// start of an arrow whose rest is still on its way: it is handed back, and the caller
/// decodes it again with `final` once a short wait brought nothing more.
public enum ConsoleKeys {
    public static func decode(_ bytes: [UInt8], final: Bool) -> (keys: [ConsoleKey], rest: [UInt8]) {
        var keys: [ConsoleKey] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x1B:
                guard index + 1 < bytes.count else {
                    if !final { return (keys, Array(bytes[index...])) }
                    keys.append(.escape)
                    index += 1
                    continue
                }
                let next = bytes[index + 1]
                guard next == UInt8(ascii: "[") || next == UInt8(ascii: "O") else {
                    keys.append(.escape)
                    index += 1
                    continue
                }
                // A control sequence: parameters, then one final byte in 0x40–0x7E.
                var end = index + 2
                while end < bytes.count, !(0x40...0x7E).contains(bytes[end]) { end += 1 }
                guard end < bytes.count else {
                    if !final { return (keys, Array(bytes[index...])) }
                    keys.append(.escape)
                    index += 1
                    continue
                }
                switch bytes[end] {
                case UInt8(ascii: "A"): keys.append(.up)
                case UInt8(ascii: "B"): keys.append(.down)
                case UInt8(ascii: "C"): keys.append(.right)
                case UInt8(ascii: "D"): keys.append(.left)
                case UInt8(ascii: "Z"): keys.append(.up)  // Shift-Tab
                default: break  // Home, End, function keys: nothing in this menu
                }
                index = end + 1
            case 0x0D, 0x0A:
                keys.append(.enter)
                // A terminal that sends CR LF for Enter is one press, not two.
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                index += 1
            case 0x7F, 0x08:
                keys.append(.backspace)
                index += 1
            case 0x09:
                keys.append(.tab)
                index += 1
            case 0x03:
                keys.append(.interrupt)
                index += 1
            case 0x00..<0x20:
                index += 1
            default:
                // UTF-8: an accented letter in an answer is several bytes, one key.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                guard index + length <= bytes.count else {
                    if !final { return (keys, Array(bytes[index...])) }
                    index = bytes.count
                    continue
                }
                if let character = String(validating: bytes[index..<index + length], as: UTF8.self)?.first {
                    keys.append(.character(character))
                }
                index += length
            }
        }
        return (keys, [])
    }
}
