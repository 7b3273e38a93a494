import Foundation
import NIOCore
import QRReader
import ReclaimCore
import WebSupport

/// Reads the QR codes in uploaded pictures off the event loops, a few at a time.
///
/// Receiving, parsing and decoding a phone photo takes megabytes and a core for a moment;
/// anyone may upload one. So at most ``slots`` uploads are worked at once, and at most
/// ``queueLimit`` more wait; past that an upload is answered "busy" (429) before its body is
/// read. Parsing and decoding run on ``HeavyWork``'s low-priority threads: the threads that
/// answer every other request never wait on a picture, nor lose the CPU to one.
actor PictureDecoding {
    let slots: Int
    let queueLimit: Int
    private var busy = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slots: Int = HeavyWork.threads, queueLimit: Int = 16) {
        self.slots = slots
        self.queueLimit = queueLimit
    }

    /// Runs `body` — receiving, parsing and decoding one upload — in one of the slots,
    /// waiting in line when all are taken, or refused at once (429) when the line is full.
    func withSlot<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    /// The texts of the QR codes in `picture`, or why none can be read; decoded on
    /// ``HeavyWork``'s threads. Callers hold a slot (``withSlot(_:)``).
    nonisolated func decode(_ picture: [UInt8]) async throws(PlatformError) -> [String] {
        let outcome: Result<[String], QRImageReader.Failure> = await {
            do {
                return try await HeavyWork.run { () -> Result<[String], QRImageReader.Failure> in
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

    /// The texts of the QR codes in `pictures`, read in order until one gives a text that
    /// `wanted` takes; a picture that can't be read is passed over while another may still
    /// hold the code, and its failure is thrown only when none gives a text.
    nonisolated func decode(_ pictures: [[UInt8]], until wanted: (String) -> Bool) async throws(PlatformError) -> [String] {
        var texts: [String] = []
        var failure: PlatformError?
        for picture in pictures {
            do {
                texts += try await decode(picture)
            } catch {
                failure = failure ?? error
            }
            if texts.contains(where: { wanted($0.filter { !$0.isWhitespace }) }) { break }
        }
        if texts.isEmpty, let failure { throw failure }
        return texts
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

/// The label of a device, read from a photo of it: the QR code's ``LabelPayload``.
enum LabelPhoto {
    /// Reads on ``HeavyWork``'s threads; nil when no Reclaim label code can be read.
    static func read(_ photo: [UInt8]) async throws -> LabelPayload? {
        try await HeavyWork.run {
            let codes = (try? QRImageReader.codes(inPhoto: photo, symbologies: [.qr]) { LabelPayload(text: $0.text) != nil }) ?? []
            return codes.last.flatMap { LabelPayload(text: $0.text) }
        }
    }
}
