import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
public import ReclaimCore
import ServiceLifecycle
import UnixSignals

extension Fleet {
    /// Every enrollment record, for the authority to take (`enrollments.json`).
    public var enrollments: [DeviceEnrollment] { members.compactMap { $0.device.identity.enrollment } }

    /// Writes `enrollments.json` beside the devices when they trust an authority.
    public func writeEnrollments() throws {
        let records = enrollments
        guard !records.isEmpty else { return }
        let path = (dataDirectory as NSString).appendingPathComponent("enrollments.json")
        try AtomicFile.write(try JSONEncoder.reclaim.encode(records), to: path)
    }

    /// Serves every device — HTTP, discovery unless `discovery` is nil, a cloud link to
    /// `platform` if given — and the control socket until SIGINT or SIGTERM.
    ///
    /// - Parameter onReady: called once, when every device is listening.
    public func run(
        logger: Logger, discovery: SADPResponder.Configuration?, platform: String? = nil, onReady: @escaping @Sendable () -> Void
    ) async throws {
        let remaining = NIOLockedValueBox(members.count + (discovery == nil ? 0 : 1))
        let countDown: @Sendable () -> Void = {
            let done = remaining.withLockedValue { count -> Bool in
                count -= 1
                return count == 0
            }
            if done { onReady() }
        }
        let server = DeviceHTTPServer(logger: logger)
        var services = try server.services(for: members) { _, _ in countDown() }
        if let discovery {
            services.append(SADPResponder(fleet: self, configuration: discovery, logger: logger, onReady: countDown))
        }
        services.append(ControlSocket(fleet: self, logger: logger))
        if let platform {
            for member in members where member.device.identity.authority != nil {
                let host = member.host
                services.append(CloudLink(device: member.device, platform: platform, lanAddress: { host }, logger: logger))
            }
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
