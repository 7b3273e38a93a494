import CQRencode

/// A QR code symbol, made with libqrencode.
public struct QRCode: Sendable {
    /// Modules per side.
    public let size: Int
    /// Row-major, true for a dark module.
    public let modules: [Bool]

    public enum Correction: Sendable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// Encodes `text`, letting libqrencode pick the densest mode for each run (a
    /// challenge's upper-case base32 goes in alphanumeric mode); nil when it doesn't fit.
    public init?(_ text: String, correction: Correction = .medium) {
        guard let code = QRcode_encodeString(text, 0, correction.level, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        self.size = size
        // Bit 0 of each byte is the module's colour.
        self.modules = (0..<size * size).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// An SVG drawing with a four-module quiet zone, one path, crisp at any scale.
    public func svg(pixelsPerModule: Int = 4, title: String = "QR code") -> String {
        let border = 4
        let extent = size + 2 * border
        var path = ""
        for row in 0..<size {
            var column = 0
            while column < size {
                guard modules[row * size + column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < size, modules[row * size + column] { column += 1 }
                path += "M\(start + border) \(row + border)h\(column - start)v1h-\(column - start)z"
            }
        }
        let pixels = extent * pixelsPerModule
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(extent) \(extent)" width="\(pixels)" height="\(pixels)" \
            shape-rendering="crispEdges" role="img" aria-label="\(title)"><title>\(title)</title>\
            <rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}
