public import Foundation
import Logging
import NIOConcurrencyHelpers
public import ReclaimCore

#if canImport(Glibc)
    import Glibc
#endif

/// What a signed-in admin can do. Callers have authenticated the request already;
/// operations that change a credential ask for the current password again.
extension Device {
    /// Changes the admin password. Voids the GUID file and signs everyone out.
    public func changePassword(current: String, new: String, source: String) async throws(DeviceError) {
        try await verifyPassword(current, source: source)
        try checkPolicy(new)
        guard let admin = state.admin else { throw DeviceError(.notActivated, "The device is not activated yet.") }
        let account = await makeAccount(password: new, generation: admin.generation + 1, setBy: "change")
        guard state.admin?.generation == admin.generation else {
            throw DeviceError(.badRequest, "The password changed meanwhile; sign in again.")
        }
        var next = state
        replacePassword(in: &next, with: account)
        try await commit(next)
        logger.notice("password changed", metadata: ["source": .string(source)])
    }

    /// Sets the three security questions and their answers.
    public func setSecurityQuestions(_ choices: [SecurityQuestions.Choice], password: String, source: String) async throws(DeviceError) {
        try await verifyPassword(password, source: source)
        do {
            try SecurityQuestions.validate(choices)
        } catch {
            throw DeviceError(.badRequest, error.reason)
        }
        let cost = configuration.hashCost
        let records = await offload { choices.map { SecurityQuestions.Record($0, cost: cost) } }
        var next = state
        next.recovery.questions = records
        try await commit(next)
        logger.notice("security questions set")
    }

    /// Sets (or, with nil, removes) the reserved e-mail address.
    public func setReservedEmail(_ address: String?, password: String, source: String) async throws(DeviceError) {
        try await verifyPassword(password, source: source)
        var next = state
        if let address, !address.isEmpty {
            guard Self.isPlausibleEmail(address) else {
                throw DeviceError(.badRequest, "\(address) is not an e-mail address; write it as name@example.org.")
            }
            guard identity.authority != nil else {
                throw DeviceError(.modeUnavailable, "This device has no recovery authority, so it cannot use a reserved e-mail.")
            }
            next.recovery.reservedEmail = address
        } else {
            next.recovery.reservedEmail = nil
        }
        try await commit(next)
    }

    /// Makes a new GUID file; the previous one stops working.
    public func exportGUID() async throws(DeviceError) -> GUIDFile {
        guard let admin = state.admin else { throw DeviceError(.notActivated, "The device is not activated yet.") }
        let file = GUIDFile.make(serial: identity.serial, now: now)
        let cost = configuration.hashCost
        let hash = await offload { file.hash(cost: cost) }
        guard state.admin?.generation == admin.generation else {
            throw DeviceError(.badRequest, "The password changed meanwhile; export the GUID file again.")
        }
        var next = state
        next.recovery.guid = GUIDRecord(secretHash: hash, exportedAt: file.issuedAt, generation: admin.generation)
        try await commit(next)
        logger.notice("GUID file exported")
        return file
    }

    /// Changes the lock-out limits, within bounds: lock-out can be tuned, never switched off.
    public func setLockoutSettings(maxFailuresPerSource: Int?, maxFailuresPerDevice: Int?, lockDuration: TimeInterval?)
        async throws(DeviceError)
    {
        var settings = state.settings.lockout
        if let maxFailuresPerSource { settings.maxFailuresPerSource = maxFailuresPerSource }
        if let maxFailuresPerDevice { settings.maxFailuresPerDevice = maxFailuresPerDevice }
        if let lockDuration { settings.lockDuration = lockDuration }
        guard LockoutSettings.failureLimits.contains(settings.maxFailuresPerSource),
            LockoutSettings.failureLimits.contains(settings.maxFailuresPerDevice)
        else {
            throw DeviceError(
                .badRequest,
                "Failure limits must be between \(LockoutSettings.failureLimits.lowerBound) and \(LockoutSettings.failureLimits.upperBound)."
            )
        }
        guard LockoutSettings.durationLimits.contains(settings.lockDuration) else {
            throw DeviceError(.badRequest, "The lock duration must be between 60 and 86400 seconds.")
        }
        var next = state
        next.settings.lockout = settings
        try await commit(next)
    }

    /// How long new challenges stay valid.
    public func setChallengeLifetime(_ lifetime: TimeInterval) async throws(DeviceError) {
        guard (300...(7 * 86400)).contains(lifetime) else {
            throw DeviceError(.badRequest, "A challenge lifetime must be between 300 seconds and 7 days.")
        }
        var next = state
        next.settings.challengeLifetime = lifetime
        try await commit(next)
    }

    /// Applies a change to the plain settings (name, time zone, motion detection, UPnP).
    public func updateSettings(_ change: @Sendable (inout DeviceSettings) -> Void) async throws(DeviceError) {
        var next = state
        change(&next.settings)
        try await commit(next)
        deviceInfoCache.withLockedValue { $0 = nil }
    }

    nonisolated static func isPlausibleEmail(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !"<>\"(),;:[]\\".unicodeScalars.contains($0) })
        else { return false }
        return true
    }

    /// Sets network parameters (discovery's `update`), after the admin password.
    public func updateNetwork(_ network: NetworkSettings, password: String, source: String) async throws(DeviceError) {
        try await verifyPassword(password, source: source)
        for address in [network.ipv4Address, network.subnetMask, network.gateway].compactMap({ $0 }) {
            guard IPv4.parse(address) != nil else { throw DeviceError(.badRequest, "\(address) is not an IPv4 address.") }
        }
        if let port = network.httpPort, !(1...65535).contains(port) {
            throw DeviceError(.badRequest, "\(port) is not a port number.")
        }
        if let address = network.ipv4Address, !network.dhcp, !Self.canBind(address) {
            throw DeviceError(
                .badRequest,
                "\(address) is not an address this machine has: lab devices live on loopback (127.0.0.0/8); choose a free one there.")
        }
        let moved =
            network.ipv4Address != state.settings.network.ipv4Address || network.httpPort != state.settings.network.httpPort
            || network.dhcp != state.settings.network.dhcp
        var next = state
        next.settings.network = network
        try await commit(next)
        logger.notice("network parameters set", metadata: ["source": .string(source)])
        if moved {
            // Move once the answer to this request has left, as real devices do.
            let watchers = endpointWatchers
            Task {
                try? await Task.sleep(for: .milliseconds(300))
                watchers.withLockedValue { $0.forEach { $0.yield() } }
            }
        }
    }

    /// Whether a socket can be bound to `address` on this machine.
    nonisolated static func canBind(_ address: String) -> Bool {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else { return false }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Back to "not activated", erasing the configuration, by an admin who knows the
    /// password (discovery's `restoreInactive`): the button's reset, done remotely.
    public func restoreInactive(password: String, source: String) async throws(DeviceError) {
        try await verifyPassword(password, source: source)
        var next = DeviceState()
        next.factoryResetAt = now.wholeSeconds
        try await commit(next)
        sessions.removeAll()
        exchanges.removeAll()
        logger.notice("restored to not activated", metadata: ["source": .string(source)])
    }

    /// Restarts the device's services: sign-in sessions and pending exchanges end; the
    /// stored state, pending challenges included, stays.
    public func reboot(password: String, source: String) async throws(DeviceError) {
        try await verifyPassword(password, source: source)
        sessions.removeAll()
        exchanges.removeAll()
        logger.notice("rebooted", metadata: ["source": .string(source)])
    }

    // MARK: - The reset button (F8)

    public enum ButtonOutcome: String, Sendable {
        /// Held long enough: the device is back to "not activated", its configuration erased.
        case factoryReset
        /// Too short to count; nothing changed.
        case ignored
    }

    /// The physical reset button, held for `seconds`. Reachable only locally (the
    /// control socket in the data folder), never over the network.
    public func pressResetButton(heldFor seconds: Double) async throws(DeviceError) -> ButtonOutcome {
        guard seconds >= 10 else { return .ignored }
        var next = DeviceState()
        next.factoryResetAt = now.wholeSeconds
        try await commit(next)
        sessions.removeAll()
        exchanges.removeAll()
        logger.notice("factory reset by the reset button")
        return .factoryReset
    }
}
