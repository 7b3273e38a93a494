/// A Code 128 barcode (code set B: printable ASCII), as printed under a device's serial.
public struct Code128: Sendable {
    /// Bar and space widths in modules, starting with a bar: the symbols, the check
    /// symbol and the stop pattern.
    public let widths: [Int]

    /// Nil when `text` holds a character code set B cannot carry (outside space…`~`).
    public init?(_ text: String) {
        var values: [Int] = []
        for byte in text.utf8 {
            guard byte >= 32, byte <= 126 else { return nil }
            values.append(Int(byte) - 32)
        }
        let start = 104
        // The check symbol: the start value plus each value times its position, modulo 103.
        var sum = start
        for (index, value) in values.enumerated() { sum += value * (index + 1) }
        let symbols = [start] + values + [sum % 103]
        widths = symbols.flatMap { Self.patterns[$0].map { Int($0.asciiValue! - 48) } } + Self.stop
    }

    /// Modules across, quiet zones not included.
    public var moduleCount: Int { widths.reduce(0, +) }

    /// Whether module `index` (from the left, no quiet zone) is a bar.
    public func bars() -> [Bool] {
        var modules: [Bool] = []
        for (index, width) in widths.enumerated() {
            modules += Array(repeating: index % 2 == 0, count: width)
        }
        return modules
    }

    static let stop = [2, 3, 3, 1, 1, 1, 2]

    /// The widths of each symbol value 0…106 (bar, space, bar, space, bar, space), from the
    /// Code 128 specification (ISO/IEC 15417); each adds up to 11 modules.
    static let patterns: [String] = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232",
    ]
}

extension Code128 {
    /// The barcode alone as a PNG picture: `moduleWidth` pixels a module, ten modules of
    /// quiet zone each side.
    public func png(moduleWidth: Int = 2, height: Int = 60) -> [UInt8] {
        let modules = bars()
        let quiet = 10
        return PNG.encode(width: (modules.count + 2 * quiet) * moduleWidth, height: height) { x, _ in
            let module = x / moduleWidth - quiet
            return module >= 0 && module < modules.count && modules[module]
        }
    }
}
