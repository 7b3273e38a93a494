import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ReclaimCore
import ReclaimLAN
import SADP

/// `reclaim helper`: the localhost bridge the portal's "LAN device" channel asks for the
/// devices on this LAN and for a chosen device's challenge — nothing else (see `HelperGate`).
struct Helper: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Let the portal page list the devices on this LAN and take a device's challenge for a support case.",
        discussion: """
            Listens on 127.0.0.1 only. Answers only pages of the platform given with --platform that hold the \
            pairing code the portal shows; type that code when asked.
            """)

    @Option(help: "The platform's address, as in the browser's address bar (e.g. https://reclaim.example.com).")
    var platform: String

    @Option(help: "The port to listen on, at 127.0.0.1.")
    var port: Int = 47080

    @Option(help: "The local IPv4 address discovery leaves from.")
    var interface: String = "0.0.0.0"

    @Option(help: "The discovery port of the devices.")
    var sadpPort: Int = SADPNetwork.port

    @Option(help: "Seconds to listen for devices' answers.")
    var timeout: Double = 1.5

    func run() async throws {
        try await reporting {
            let code = try Terminal.line("Pairing code shown by the portal: ")
            let gate = try HelperGate(platform: platform, pairingCode: code, port: port)
            var discovery = try DiscoveryOptions.parse(["--interface", interface, "--port", "\(sadpPort)"])
            discovery.timeout = timeout
            let options = discovery
            let router = Router()
            router.add(middleware: HelperMiddleware(gate: gate, discovery: options))
            var logger = Logger(label: "reclaim-helper")
            logger.logLevel = .warning
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "reclaim-helper"),
                onServerRunning: { _ in
                    Terminal.progress("reclaim helper: paired; answering \(gate.origin) at 127.0.0.1:\(port). Ctrl-C stops it.")
                },
                logger: logger)
            try await app.runService()
        }
    }
}

/// Every request goes through the gate; what it allows is one discovery or one challenge.
struct HelperMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let gate: HelperGate
    let discovery: DiscoveryOptions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let verdict = gate.decide(
            method: request.method.rawValue, path: request.uri.path, host: request.head.authority,
            origin: request.headers[.origin], authorization: request.headers[.authorization])
        switch verdict {
        case .preflight:
            return answer(204, nil, cors: true)
        case .refuse(let status, let reason, let cors):
            return answer(status, ["error": reason], cors: cors)
        case .allow(.devices):
            do {
                let found = try await discovery.withSession { session in try await session.scan() }
                let devices = found.map { device in
                    [
                        "serial": device.serial ?? "", "model": device.model ?? "", "address": device.ipv4Address ?? "",
                        "activated": (device.activated ?? false) ? "true" : "false",
                    ]
                }
                return answer(200, ["devices": devices], cors: true)
            } catch {
                return answer(502, ["error": "Discovery failed on this computer: \(error)", "code": "discoveryFailed"], cors: true)
            }
        case .allow(.challenge(let serial)):
            do {
                let exported = try await discovery.withSession { session in
                    try await session.exportChallenge(try await session.find(DeviceSelector(serial)), purpose: .supportCase)
                }
                return answer(200, ["serial": serial, "challenge": exported.text], cors: true)
            } catch let error as LANError {
                // The page shows its own text for the code, in its reader's language; the
                // English description is for scripts and logs.
                return answer(502, ["error": error.description, "code": error.kind.rawValue], cors: true)
            } catch {
                return answer(
                    502, ["error": "The device did not give its code: \(error)", "code": LANError.Kind.failed.rawValue], cors: true)
            }
        }
    }

    func answer(_ status: Int, _ body: [String: Any]?, cors: Bool) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if cors {
            for (name, value) in gate.corsHeaders { headers[HTTPField.Name(name)!] = value }
        }
        var buffer = ByteBuffer()
        if let body, let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: data)
        }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: buffer))
    }
}
