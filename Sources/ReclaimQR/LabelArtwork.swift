public import ReclaimCore

/// A device's label as the factory prints it: what the device is, model, verification
/// code, MAC, serial, a QR code holding ``LabelPayload`` and a Code 128 barcode of the
/// serial, and a few regulatory lines; 600 × 400 pixels, black on white, about what a
/// phone photo of the sticker shows once cropped.
public struct LabelArtwork: Sendable {
    public static let width = 600
    public static let height = 400

    public let payload: LabelPayload
    public let kind: DeviceModel.Kind
    public let mac: String

    public init(payload: LabelPayload, kind: DeviceModel.Kind, mac: String) {
        self.payload = payload
        self.kind = kind
        self.mac = mac
    }

    /// The label as a PNG picture.
    public func png() -> [UInt8] {
        let canvas = draw()
        return PNG.encode(width: canvas.width, height: canvas.height) { x, y in canvas.ink[y * canvas.width + x] }
    }

    func draw() -> Canvas {
        var canvas = Canvas(width: Self.width, height: Self.height)
        canvas.frame(inset: 6, thickness: 3)
        let title =
            switch kind {
            case .ipCamera: "NETWORK CAMERA"
            case .nvr: "NETWORK VIDEO RECORDER"
            case .dvr: "DIGITAL VIDEO RECORDER"
            }
        // Large, unless it would run into the QR code's quiet zone.
        canvas.text(title, x: 24, y: 24, scale: title.count * 18 <= 340 ? 3 : 2)
        canvas.text("MODEL: \(payload.model)", x: 24, y: 66, scale: 2)
        canvas.text("VERIFICATION CODE:", x: 24, y: 98, scale: 2)
        canvas.text(payload.verificationCode, x: 24, y: 122, scale: 4)
        canvas.text("MAC: \(mac)", x: 24, y: 168, scale: 2)
        if let qr = QRCode(payload.text, correction: .medium) {
            // Five pixels a module, four modules of quiet zone, in the top right corner.
            let scale = 5
            let side = (qr.size + 8) * scale
            canvas.qr(qr, x: Self.width - 12 - side, y: 12, scale: scale)
        }
        canvas.text("S/N: \(payload.serial.text)", x: 24, y: 226, scale: 2)
        if let barcode = Code128(payload.serial.text) {
            let left = max(24, (Self.width - barcode.moduleCount) / 2)
            canvas.barcode(barcode, x: left, y: 250, height: 58)
        }
        canvas.text("12V DC 0.5A MAX  POE 802.3AF", x: 24, y: 322, scale: 2)
        canvas.text("MADE IN THE RECLAIM LAB", x: 24, y: 346, scale: 2)
        canvas.text("CE  FC  ROHS  IP67", x: 24, y: 370, scale: 2)
        return canvas
    }
}

/// A black-and-white drawing surface, row after row, true for ink.
struct Canvas {
    let width: Int
    let height: Int
    var ink: [Bool]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        ink = Array(repeating: false, count: width * height)
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { ink[row * width + column] = true }
        }
    }

    mutating func frame(inset: Int, thickness: Int) {
        fill(x: inset, y: inset, width: width - 2 * inset, height: thickness)
        fill(x: inset, y: height - inset - thickness, width: width - 2 * inset, height: thickness)
        fill(x: inset, y: inset, width: thickness, height: height - 2 * inset)
        fill(x: width - inset - thickness, y: inset, width: thickness, height: height - 2 * inset)
    }

    /// Writes `text` in ``PixelFont`` at `scale` pixels a font pixel, one font pixel between letters.
    mutating func text(_ text: String, x: Int, y: Int, scale: Int) {
        var left = x
        for character in text {
            if let glyph = PixelFont.glyph(character) {
                for (row, line) in glyph.enumerated() {
                    for (column, pixel) in line.enumerated() where pixel == "#" {
                        fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale)
                    }
                }
            }
            left += (PixelFont.width + 1) * scale
        }
    }

    /// Draws `code` with its quiet zone (left white) starting at x, y.
    mutating func qr(_ code: QRCode, x: Int, y: Int, scale: Int) {
        for row in 0..<code.size {
            for column in 0..<code.size where code.modules[row * code.size + column] {
                fill(x: x + (column + 4) * scale, y: y + (row + 4) * scale, width: scale, height: scale)
            }
        }
    }

    mutating func barcode(_ code: Code128, x: Int, y: Int, height h: Int) {
        for (index, bar) in code.bars().enumerated() where bar { fill(x: x + index, y: y, width: 1, height: h) }
    }
}
