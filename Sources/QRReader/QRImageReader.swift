import CImageScan

/// Reads the QR codes in an uploaded picture: a PNG screenshot or a JPEG photo of a
/// device's screen or label.
///
/// The picture is decoded to grey levels by libpng or libturbojpeg and scanned by zbar,
/// all in this process: no image tool is run on untrusted files. Pictures larger than
/// `maxPixels` are refused before any pixel is decoded.
public enum QRImageReader {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notAPicture
        case tooLarge(width: Int, height: Int)
        case damaged
        case noCode

        public var description: String {
            switch self {
            case .notAPicture: "The file is neither a PNG nor a JPEG picture; upload a PNG or JPEG."
            case .tooLarge(let width, let height):
                "The picture is \(width)×\(height) pixels, more than this service reads; upload a smaller one (up to 40 megapixels)."
            case .damaged: "The picture could not be decoded; it may be damaged or cut short. Upload it again."
            case .noCode:
                "No QR code was found in the picture; photograph the code straight on, filling most of the frame, or paste its text."
            }
        }
    }

    /// 40 megapixels: a little more than a phone's main camera takes.
    public static let maxPixels = 40_000_000

    /// The texts of every QR code in the picture, in the order zbar found them.
    public static func texts(in file: [UInt8]) throws(Failure) -> [String] {
        let picture = try GreyPicture(decoding: file)
        let found = scan(picture)
        guard !found.isEmpty else { throw .noCode }
        return found
    }

    static func scan(_ picture: GreyPicture) -> [String] {
        scan(picture, symbologies: [.qr]).map(\.text)
    }

    static func scan(_ picture: GreyPicture, symbologies: Set<ScannedCode.Symbology>) -> [ScannedCode] {
        guard let scanner = zbar_image_scanner_create() else { return [] }
        defer { zbar_image_scanner_destroy(scanner) }
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        for symbology in symbologies { zbar_image_scanner_set_config(scanner, symbology.zbarType, ZBAR_CFG_ENABLE, 1) }
        guard let image = zbar_image_create() else { return [] }
        defer { zbar_image_destroy(image) }
        // 'Y800': one byte of grey per pixel.
        let y800 =
            UInt(UInt8(ascii: "Y")) | UInt(UInt8(ascii: "8")) << 8 | UInt(UInt8(ascii: "0")) << 16
            | UInt(UInt8(ascii: "0")) << 24
        zbar_image_set_format(image, y800)
        zbar_image_set_size(image, UInt32(picture.width), UInt32(picture.height))
        var codes: [ScannedCode] = []
        picture.pixels.withUnsafeBufferPointer { pixels in
            // zbar reads the buffer during zbar_scan_image only; no cleanup handler is needed.
            zbar_image_set_data(image, pixels.baseAddress, UInt(pixels.count), nil)
            guard zbar_scan_image(scanner, image) > 0 else { return }
            var symbol = zbar_image_first_symbol(image)
            while let current = symbol {
                if let data = zbar_symbol_get_data(current) {
                    let length = Int(zbar_symbol_get_data_length(current))
                    let bytes = UnsafeRawBufferPointer(start: data, count: length)
                    let symbology: ScannedCode.Symbology = zbar_symbol_get_type(current) == ZBAR_CODE128 ? .code128 : .qr
                    codes.append(ScannedCode(symbology: symbology, text: String(decoding: bytes, as: UTF8.self)))
                }
                symbol = zbar_symbol_next(current)
            }
            zbar_image_set_data(image, nil, 0, nil)
        }
        return codes
    }
}

/// A picture as one byte of grey per pixel, row after row.
struct GreyPicture {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    init(decoding file: [UInt8]) throws(QRImageReader.Failure) {
        if file.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = try Self.png(file)
        } else if file.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = try Self.jpeg(file)
        } else {
            throw .notAPicture
        }
    }

    private static func checkSize(_ width: Int, _ height: Int) throws(QRImageReader.Failure) {
        guard width > 0, height > 0 else { throw .damaged }
        guard width * height <= QRImageReader.maxPixels, width <= 65_535, height <= 65_535 else {
            throw .tooLarge(width: width, height: height)
        }
    }

    private static func png(_ file: [UInt8]) throws(QRImageReader.Failure) -> GreyPicture {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = file.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else {
            png_image_free(&image)
            throw .damaged
        }
        let width = Int(image.width)
        let height = Int(image.height)
        do {
            try checkSize(width, height)
        } catch {
            png_image_free(&image)
            throw error
        }
        image.format = UInt32(PNG_FORMAT_GRAY)
        var pixels = [UInt8](repeating: 0, count: width * height)
        let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width), nil) }
        // png_image_finish_read frees the image's internal state whether or not it succeeds.
        guard finished != 0 else { throw .damaged }
        return GreyPicture(width: width, height: height, pixels: pixels)
    }

    private static func jpeg(_ file: [UInt8]) throws(QRImageReader.Failure) -> GreyPicture {
        guard let handle = tjInitDecompress() else { throw .damaged }
        defer { tjDestroy(handle) }
        var width: Int32 = 0
        var height: Int32 = 0
        var subsampling: Int32 = 0
        var colourspace: Int32 = 0
        let header = file.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colourspace)
        }
        guard header == 0 else { throw .damaged }
        try checkSize(Int(width), Int(height))
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height))
        let result = file.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                tjDecompress2(
                    handle, source.baseAddress, UInt(source.count), target.baseAddress, width, width, height,
                    Int32(TJPF_GRAY.rawValue), 0)
            }
        }
        // A warning (a truncated photo, say) still yields a picture worth scanning.
        guard result == 0 || tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue) else { throw .damaged }
        return GreyPicture(width: Int(width), height: Int(height), pixels: pixels)
    }
}
