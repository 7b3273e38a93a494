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
    /// Sets the first admin password. Before this, nothing but activation works.
    public func activate(password: String, source: String) async throws(DeviceError) {
        try await perform(machine.activate(password: password, source: source, now: now))
        logger.notice("activated", metadata: ["source": .string(source)])
        // An activated device may no longer be claimed as reset: the platform hears it now.
        linkStatusChanged()
    }

    /// Changes the admin password. Voids the GUID file and signs everyone out.
    public func changePassword(current: String, new: String, source: String) async throws(DeviceError) {
        try await perform(machine.changePassword(current: current, new: new, source: source, now: now))
        logger.notice("password changed", metadata: ["source": .string(source)])
    }

    /// Sets the three security questions and their answers.
    public func setSecurityQuestions(_ choices: [SecurityQuestions.Choice], password: String, source: String) async throws(DeviceError) {
        try await perform(machine.setSecurityQuestions(choices, password: password, source: source, now: now))
        logger.notice("security questions set")
    }

    /// Sets (or, with nil, removes) the reserved e-mail address.
    public func setReservedEmail(_ address: String?, password: String, source: String) async throws(DeviceError) {
        try await perform(machine.setReservedEmail(address, password: password, source: source, now: now))
    }

    /// Makes a new GUID file; the previous one stops working.
    public func exportGUID() async throws(DeviceError) -> GUIDFile {
        let (step, file) = machine.exportGUID(now: now)
        try await perform(step)
        logger.notice("GUID file exported")
        return file!
    }

    /// Changes the lock-out limits, within bounds: lock-out can be tuned, never switched off.
    public func setLockoutSettings(maxFailuresPerSource: Int?, maxFailuresPerDevice: Int?, lockDuration: TimeInterval?)
        async throws(DeviceError)
    {
        try await perform(
            machine.setLockoutSettings(
                maxFailuresPerSource: maxFailuresPerSource, maxFailuresPerDevice: maxFailuresPerDevice, lockDuration: lockDuration))
    }

    /// How long new challenges stay valid.
    public func setChallengeLifetime(_ lifetime: TimeInterval) async throws(DeviceError) {
        try await perform(machine.setChallengeLifetime(lifetime))
    }

    /// Applies a change to the plain settings (name, time zone, motion detection, UPnP).
    public func updateSettings(_ change: @Sendable (inout DeviceSettings) -> Void) async throws(DeviceError) {
        machine.updateSettings(change)
        deviceInfoCache.withLockedValue { $0.invalidate() }
        try await save()
    }

    /// Sets network parameters (discovery's `update`), after the admin password.
    public func updateNetwork(_ network: NetworkSettings, password: String, source: String) async throws(DeviceError) {
        // Whether this machine has the address is a question for the system, so it is asked here.
        if let address = network.ipv4Address, !network.dhcp, IPv4.parse(address) != nil, !Self.canBind(address) {
            throw DeviceError(
                .badRequest,
                "\(address) is not an address this machine has: lab devices live on loopback (127.0.0.0/8); choose a free one there.",
                localized: LocalizedReason("error.addressNotHere", ["address": address]))
        }
        let before = state.settings.network
        try await perform(machine.updateNetwork(network, password: password, source: source, now: now))
        logger.notice("network parameters set", metadata: ["source": .string(source)])
        if network.ipv4Address != before.ipv4Address || network.httpPort != before.httpPort || network.dhcp != before.dhcp {
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
        try await perform(machine.restoreInactive(password: password, source: source, now: now))
        deviceInfoCache.withLockedValue { $0.invalidate() }
        logger.notice("restored to not activated", metadata: ["source": .string(source)])
    }

    /// Restarts the device's services: sign-in sessions and pending exchanges end; the
    /// stored state, pending challenges included, stays.
    public func reboot(password: String, source: String) async throws(DeviceError) {
        try await perform(machine.reboot(password: password, source: source, now: now))
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
        guard machine.pressResetButton(heldFor: seconds, now: now) else { return .ignored }
        deviceInfoCache.withLockedValue { $0.invalidate() }
        try await save()
        logger.notice("factory reset by the reset button")
        report(LinkReport(event: "factoryReset", at: now, source: "reset button"))
        linkStatusChanged()
        return .factoryReset
    }
}
