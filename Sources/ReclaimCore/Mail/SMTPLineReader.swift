/// Cuts the bytes a mail client sends into lines, and never holds more than one line.
///
/// Lines end with CRLF; a bare LF ends one too, because some clients send it and the
/// mailbox is the message's last stop, so no other server can read the same bytes
/// differently (what "SMTP smuggling" needs). A line longer than ``limit`` is reported as
/// ``Line/tooLong`` once and its bytes are dropped up to its end: a client that never sends a
/// line end costs at most ``limit`` bytes of memory.
public struct SMTPLineReader: Sendable {
    public enum Line: Sendable, Hashable {
        /// A line without its CRLF (or LF).
        case line([UInt8])
        /// A line over the limit; its bytes are gone.
        case tooLong
    }

    /// RFC 5321 text lines are at most 1000 bytes with their CRLF.
    public static let defaultLimit = 998

    public let limit: Int
    private var buffer: [UInt8] = []
    /// Where the unread bytes of ``buffer`` start; compacted now and then rather than on every line.
    private var start = 0
    /// Where the search for LF goes on, so a long line arriving in small pieces is scanned once.
    private var scanned = 0
    /// Dropping the rest of a line already reported too long.
    private var discarding = false

    public init(limit: Int = Self.defaultLimit) {
        self.limit = limit
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next whole line, or nil until more bytes arrive.
    public mutating func next() -> Line? {
        while true {
            guard let end = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = buffer.count
                // Room for the line and its CR; past that the line is too long whatever follows.
                guard buffer.count - start > limit + 1 else {
                    compact()
                    return nil
                }
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
                if discarding { return nil }
                discarding = true
                return .tooLong
            }
            var lineEnd = end
            if lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = Array(buffer[start..<lineEnd])
            start = end + 1
            scanned = start
            if discarding {
                // The tail of a line reported already.
                discarding = false
                continue
            }
            if line.count > limit { return .tooLong }
            return .line(line)
        }
    }

    /// Drops the bytes already read once they are most of the buffer.
    private mutating func compact() {
        guard start > 0, start * 2 >= buffer.count else { return }
        buffer.removeFirst(start)
        scanned -= start
        start = 0
    }
}
