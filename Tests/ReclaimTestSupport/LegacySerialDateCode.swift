/// The pre-2017 "serial + date" reset code, reproduced only so tests can prove that
/// Reclaim refuses it. It is a keyless checksum of public data: anyone who reads the
/// serial off the LAN can compute it. Never use this outside tests.
public enum LegacySerialDateCode {
    public static func compute(serial: String, year: Int, month: Int, day: Int) -> String {
        let text = serial + String(year) + pad(month) + pad(day)
        var magic: UInt64 = 0
        for (offset, byte) in text.utf8.enumerated() {
            let position = UInt64(offset + 1)
            magic += (UInt64(byte) * position) ^ position
        }
        magic = (magic * 0x686B_7773) & 0xFFFF_FFFF
        let table: [Character: Character] = [
            "0": "Q", "1": "R", "2": "S", "3": "q", "4": "r", "5": "d", "6": "e", "7": "y", "8": "z", "9": "9",
        ]
        return String(String(magic).map { table[$0]! })
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
