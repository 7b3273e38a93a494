import Foundation
import NIOCore
import NIOPosix
import QRReader

/// Reads the QR codes in uploaded pictures off the event loops, a few at a time.
///
/// Decoding a phone photo takes a core for a moment and tens of megabytes; anyone may
/// upload one. So at most ``slots`` pictures are decoded at once, on the blocking thread
/// pool, and at most ``queueLimit`` more wait; past that the upload is answered "busy"
/// (429) at once. The event loops, and every other request, never wait on a picture.
actor PictureDecoding {
    let slots: Int
    let queueLimit: Int
    private var busy = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slots: Int = max(1, System.coreCount - 1), queueLimit: Int = 16) {
        self.slots = slots
        self.queueLimit = queueLimit
    }

    /// The texts of the QR codes in `picture`, or why none can be read.
    func texts(in picture: [UInt8]) async throws(PlatformError) -> [String] {
        try await acquire()
        defer { release() }
        let outcome: Result<[String], QRImageReader.Failure> = await {
            do {
                return try await NIOThreadPool.singleton.runIfActive { () -> Result<[String], QRImageReader.Failure> in
                    do throws(QRImageReader.Failure) {
                        return .success(try QRImageReader.texts(in: picture))
                    } catch {
                        return .failure(error)
                    }
                }
            } catch {
                return .failure(.damaged)
            }
        }()
        switch outcome {
        case .success(let texts):
            return texts
        case .failure(.tooLarge(let width, let height)):
            throw PlatformError(
                .uploadTooLarge, QRImageReader.Failure.tooLarge(width: width, height: height).description,
                localized: .init("recoverPictureTooLarge", ["size": "\(width)×\(height)"]))
        case .failure(let failure):
            throw PlatformError(.unreadableUpload, failure.description, localized: .init("recoverUnreadablePicture"))
        }
    }

    private func acquire() async throws(PlatformError) {
        if busy < slots {
            busy += 1
            return
        }
        guard waiting.count < queueLimit else {
            throw PlatformError(
                .throttled, "Too many pictures are being read right now; try again in a minute.", retryAfter: Date().addingTimeInterval(60),
                localized: .init("recoverBusy"))
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy -= 1
        } else {
            // The slot passes straight to the next in line.
            waiting.removeFirst().resume()
        }
    }
}
