import Foundation
import Hummingbird
import ReclaimCore

/// An enrolled device as the API shows it: model and whether its cloud link is up, and
/// since when. Never its keys or its label code.
struct DeviceView: Encodable, Sendable {
    let serial: String
    /// Who may see it: its owner and the companies its site is shared with now.
    private let ownerId: String?
    private let companies: Set<String>
    let model: String
    let online: Bool
    /// When the link came up, or (offline) when it went down; absent if it never linked.
    let since: Date?
    let lastSeen: Date?
    let lanAddress: String?
    let firmware: String?
    let activated: Bool?
    /// The device's X25519 public key: the owner app seals a new password to it.
    let agreementKey: String

    private enum CodingKeys: String, CodingKey {
        case serial, model, online, since, lastSeen, lanAddress, firmware, activated, agreementKey
    }

    init(enrollment: DeviceEnrollment, link: DeviceLinkRecord?, services: PlatformServices) async throws {
        let owned = try await services.sites.ownedDevice(serial: enrollment.serial.text)
        ownerId = owned?.ownerId
        var shares: [SiteShare] = []
        if let owned { shares = try await services.sites.shares(of: owned.siteId) }
        companies = Set(shares.filter { $0.state == .active }.map(\.companyId))
        serial = enrollment.serial.text
        model = enrollment.model
        online = link?.online ?? false
        since = link.map { Date(timeIntervalSince1970: TimeInterval($0.since)) }
        lastSeen = link.map { Date(timeIntervalSince1970: TimeInterval($0.lastSeen)) }
        lanAddress = link?.lanAddress
        firmware = link?.firmware
        activated = link?.activated
        agreementKey = enrollment.agreementKey
    }

    func visible(to account: Account) -> Bool {
        switch account.role {
        case .reviewer, .admin: true
        case .distributor: false
        case .owner: account.id == ownerId
        case .installer: account.companyId.map(companies.contains) ?? false
        }
    }
}

extension OwnedObject where Object == DeviceView {
    /// An enrolled device: seen by its owner, by installers of a company its site is shared
    /// with (while the share lasts), by reviewers and by administrators.
    static let device = OwnedObject(
        kind: "device", parameter: "serial",
        find: { text, services in
            guard let serial = SerialNumber(text), let enrollment = try await services.authority.enrollment(serial: serial) else {
                return nil
            }
            return try await DeviceView(
                enrollment: enrollment, link: try await services.links.link(serial: serial.text), services: services)
        },
        isVisible: { device, account in device.visible(to: account) })
}

extension GuardedRouter {
    mutating func addDeviceRoutes() {
        let services = services
        add(.get, "/api/v1/devices/{serial}", signedIn: .signedIn, owning: .device) { _, _, device in
            APIResponse.json(device)
        }
        add(.get, "/api/v1/devices/{serial}/history", signedIn: .roles([.owner]), owning: .device) { _, caller, device in
            APIResponse.json(try await services.history.history(serial: device.serial, owner: caller.account))
        }
    }
}
