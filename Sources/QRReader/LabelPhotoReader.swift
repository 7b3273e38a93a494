import CImageScan

/// A code found in a picture.
public struct ScannedCode: Sendable, Hashable {
    public enum Symbology: Sendable, Hashable {
        case qr, code128

        var zbarType: zbar_symbol_type_t {
            switch self {
            case .qr: ZBAR_QRCODE
            case .code128: ZBAR_CODE128
            }
        }
    }

    public let symbology: Symbology
    public let text: String

    public init(symbology: Symbology, text: String) {
        self.symbology = symbology
        self.text = text
    }
}

extension QRImageReader {
    /// Reads the codes of a photo taken by a person: at an angle, blurred, with glare, in
    /// poor light, compressed. Tries the picture as it is and then a few cleaned-up
    /// versions of it (scaled, contrast stretched, sharpened, thresholded against the
    /// brightness around each pixel), stopping at the first code `wanted` accepts.
    ///
    /// Returns every code found on the way (the accepted one last), so that a photo
    /// without an accepted code still tells a reviewer what it showed. A QR code carries
    /// its own error correction, so a misread gives no text rather than a wrong one; what
    /// the caller accepts must still be checked against what it expects.
    public static func codes(
        inPhoto file: [UInt8], symbologies: Set<ScannedCode.Symbology> = [.qr, .code128],
        wanted: (ScannedCode) -> Bool = { _ in true }
    ) throws(Failure) -> [ScannedCode] {
        let original = try GreyPicture(decoding: file)
        var found: [ScannedCode] = []
        func attempt(_ picture: GreyPicture) -> Bool {
            for code in scan(picture, symbologies: symbologies) where !found.contains(code) {
                found.append(code)
                if wanted(code) {
                    found.removeAll { $0 == code }
                    found.append(code)
                    return true
                }
            }
            return false
        }
        // Most photos are read as they are; each further try costs about one scan.
        let working = original.scaled(toLongSide: 1600)
        if attempt(working) { return found }
        let stretched = working.contrastStretched()
        if attempt(stretched) { return found }
        if attempt(stretched.sharpened()) { return found }
        if attempt(stretched.thresholdedLocally()) { return found }
        let small = stretched.scaled(toLongSide: 800)
        if attempt(small) { return found }
        if attempt(small.thresholdedLocally()) { return found }
        if working.longSide < 900, attempt(stretched.doubled()) { return found }
        return found
    }
}

/// The cleaning steps of ``QRImageReader/codes(inPhoto:symbologies:wanted:)``, each a new
/// picture, each linear in the number of pixels.
extension GreyPicture {
    var longSide: Int { max(width, height) }

    /// Shrunk by averaging blocks of pixels so that its long side is at most `side`; as it
    /// is when already that small.
    func scaled(toLongSide side: Int) -> GreyPicture {
        let factor = (longSide + side - 1) / side
        guard factor > 1 else { return self }
        let newWidth = width / factor
        let newHeight = height / factor
        guard newWidth > 0, newHeight > 0 else { return self }
        var result = [UInt8](repeating: 0, count: newWidth * newHeight)
        let area = factor * factor
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                var sum = 0
                for dy in 0..<factor {
                    let row = (y * factor + dy) * width + x * factor
                    for dx in 0..<factor { sum += Int(pixels[row + dx]) }
                }
                result[y * newWidth + x] = UInt8(sum / area)
            }
        }
        return GreyPicture(width: newWidth, height: newHeight, pixels: result)
    }

    /// Twice as large, each pixel repeated: small codes get modules zbar can follow.
    func doubled() -> GreyPicture {
        let newWidth = width * 2
        var result = [UInt8](repeating: 0, count: newWidth * height * 2)
        for y in 0..<height * 2 {
            for x in 0..<newWidth { result[y * newWidth + x] = pixels[(y / 2) * width + x / 2] }
        }
        return GreyPicture(width: newWidth, height: height * 2, pixels: result)
    }

    /// The darkest percent mapped to black and the brightest to white: a dim or washed-out
    /// photo gets its full range back.
    func contrastStretched() -> GreyPicture {
        var histogram = [Int](repeating: 0, count: 256)
        for pixel in pixels { histogram[Int(pixel)] += 1 }
        let cut = pixels.count / 100
        var low = 0
        var seen = 0
        while low < 255, seen + histogram[low] <= cut {
            seen += histogram[low]
            low += 1
        }
        var high = 255
        seen = 0
        while high > 0, seen + histogram[high] <= cut {
            seen += histogram[high]
            high -= 1
        }
        guard high - low > 8 else { return self }
        let table = (0..<256).map { value in UInt8(max(0, min(255, (value - low) * 255 / (high - low)))) }
        return GreyPicture(width: width, height: height, pixels: pixels.map { table[Int($0)] })
    }

    /// Box sums over a square of `radius` around every pixel, from an integral image.
    private func localMeans(radius: Int) -> [Int] {
        let stride = width + 1
        var integral = [Int](repeating: 0, count: stride * (height + 1))
        for y in 0..<height {
            var rowSum = 0
            for x in 0..<width {
                rowSum += Int(pixels[y * width + x])
                integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + rowSum
            }
        }
        var means = [Int](repeating: 0, count: pixels.count)
        for y in 0..<height {
            let top = max(0, y - radius)
            let bottom = min(height, y + radius + 1)
            for x in 0..<width {
                let left = max(0, x - radius)
                let right = min(width, x + radius + 1)
                let sum =
                    integral[bottom * stride + right] - integral[top * stride + right] - integral[bottom * stride + left]
                    + integral[top * stride + left]
                means[y * width + x] = sum / ((bottom - top) * (right - left))
            }
        }
        return means
    }

    /// Black where a pixel is darker than the pixels around it, else white: glare and
    /// shadows across a label stop mattering.
    func thresholdedLocally() -> GreyPicture {
        let means = localMeans(radius: max(8, longSide / 24))
        var result = pixels
        for index in pixels.indices { result[index] = Int(pixels[index]) < means[index] - 6 ? 0 : 255 }
        return GreyPicture(width: width, height: height, pixels: result)
    }

    /// An unsharp mask: the picture plus its difference from a blurred copy, so that the
    /// edges of a slightly blurred photo come back.
    func sharpened(radius: Int = 2, amount: Double = 1.5) -> GreyPicture {
        let means = localMeans(radius: radius)
        let gain = Int(amount * 16)
        var result = pixels
        for index in pixels.indices {
            let value = Int(pixels[index])
            result[index] = UInt8(max(0, min(255, value + (value - means[index]) * gain / 16)))
        }
        return GreyPicture(width: width, height: height, pixels: result)
    }
}
