import ArgumentParser
import DeviceAgent
import Foundation
import QRReader
import ReclaimCore
import ReclaimQR

/// How well label photos are read: makes clean labels (`--make-labels`), or reads a corpus
/// of photos made from them (`scripts/label-photos.py`) and reports the share read
/// correctly, read wrongly and not read (sent to a reviewer), and the time per photo.
struct LabelReading: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels", abstract: "The share of label photos read correctly, and the time per photo.")

    @Option(help: "Write this many clean labels of new devices (PNG) and labels.json into this folder, then stop.")
    var makeLabels: String?

    @Option(help: "How many clean labels to make.")
    var count = 25

    @Option(help: "The corpus folder: photos and manifest.json, from scripts/label-photos.py.")
    var corpus: String?

    struct Clean: Codable {
        let file: String
        let serial: String
        let verificationCode: String
    }

    struct Entry: Decodable {
        struct Expected: Decodable {
            let serial: String
            let verificationCode: String
        }
        let file: String
        let expected: Expected?
    }

    func run() async throws {
        if let folder = makeLabels {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let authority = AuthorityKeys.generate(now: Date()).bundle
            var written: [Clean] = []
            for index in 0..<count {
                let model = DeviceModel.catalogue[index % DeviceModel.catalogue.count]
                let identity = Factory.makeIdentity(model: model, authority: authority)
                let payload = LabelPayload(serial: identity.serial, verificationCode: identity.labelCode, model: identity.modelName)
                let file = "label-\(index).png"
                let artwork = LabelArtwork(payload: payload, kind: model.kind, mac: identity.mac.description)
                try Data(artwork.png()).write(to: URL(fileURLWithPath: folder).appendingPathComponent(file))
                written.append(Clean(file: file, serial: identity.serial.text, verificationCode: identity.labelCode))
            }
            try JSONEncoder.reclaim.encode(written).write(to: URL(fileURLWithPath: folder).appendingPathComponent("labels.json"))
            print("\(count) labels in \(folder)")
            return
        }
        guard let corpus else { throw ValidationError("Pass --corpus FOLDER (or --make-labels FOLDER).") }
        let folder = URL(fileURLWithPath: corpus)
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        var correct = 0
        var wrong: [String] = []
        var unread: [String] = []
        var labels = 0
        var times: [Double] = []
        for entry in entries {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(entry.file)))
            let start = ContinuousClock.now
            let codes = (try? QRImageReader.codes(inPhoto: bytes) { LabelPayload(text: $0.text) != nil }) ?? []
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            let read = codes.last.flatMap { LabelPayload(text: $0.text) }
            if let expected = entry.expected {
                labels += 1
                if let read {
                    if read.serial.text == expected.serial, read.verificationCode == expected.verificationCode {
                        correct += 1
                    } else {
                        wrong.append(entry.file)
                    }
                } else {
                    unread.append(entry.file)
                }
            } else if read != nil {
                wrong.append(entry.file)
            } else {
                correct += 1
            }
        }
        let sorted = times.sorted()
        func percent(_ part: Int) -> String { String(format: "%.1f%%", Double(part) * 100 / Double(max(1, entries.count))) }
        print("reclaim-bench labels: \(entries.count) photos (\(labels) labels, \(entries.count - labels) not labels)")
        print("read correctly (labels read right, other photos read as no label): \(correct) = \(percent(correct)) (goal ≥ 97%)")
        print("read wrongly: \(wrong.count) = \(percent(wrong.count)) (goal 0)\(wrong.isEmpty ? "" : ": " + wrong.joined(separator: ", "))")
        print("labels not read (to a reviewer): \(unread.count) = \(percent(unread.count))")
        print(
            String(
                format: "time per photo: median %.1f ms, p90 %.1f ms, max %.1f ms", median(times), sorted[sorted.count * 9 / 10],
                sorted.last ?? 0))
        if !unread.isEmpty { print("not read: \(unread.prefix(40).joined(separator: ", "))") }
    }
}
