/// The owner app's icon, for the web app manifest (browsers install a web app only with a
/// 192 and a 512 pixel icon): Reclaim's "R" from the label font, white on black.
public enum AppIcon {
    /// A square PNG, `size` pixels wide.
    public static func png(size: Int) -> [UInt8] {
        let glyph = PixelFont.glyph("R") ?? []
        // The glyph (5 × 7) takes the middle 60 % of the height; "safe zone" for round masks.
        let cell = max(1, size * 6 / 10 / PixelFont.height)
        let left = (size - cell * PixelFont.width) / 2
        let top = (size - cell * PixelFont.height) / 2
        return PNG.encode(width: size, height: size) { x, y in
            let column = (x - left) / cell
            let row = (y - top) / cell
            guard x >= left, y >= top, column < PixelFont.width, row < PixelFont.height, row < glyph.count else { return true }
            let line = Array(glyph[row])
            return line[column] != "#"
        }
    }
}
