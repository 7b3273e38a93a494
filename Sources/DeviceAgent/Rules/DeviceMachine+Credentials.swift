import Foundation
import ReclaimCore

/// Activation (F1), the admin password, and what a signed-in admin sets up.
extension DeviceMachine {
    /// Sets the first admin password. Before this, nothing but activation works.
    mutating func activate(password: String, source: String, now: Date) -> Step {
        do throws(DeviceError) {
            guard state.admin == nil else {
                throw DeviceError(.alreadyActivated, "The device is already activated; sign in as admin instead.")
            }
            try checkLock(source: source, credential: nil, now: now)
            try checkPolicy(password)
        } catch {
            return .refuse(error)
        }
        return begin(
            .activate, source: source, guess: nil,
            work: work(.none, .account(password: password, generation: 1, setBy: "activation"), now: now))
    }

    /// Checks the admin password (sign-in page, question set-up, discovery verbs).
    mutating func checkPassword(_ password: String, source: String, now: Date) -> Step {
        confirmed(.signIn, password: password, source: source, now: now)
    }

    /// Starts `purpose` once the admin password is confirmed; the guess is reserved first.
    mutating func confirmed(
        _ purpose: Attempt.Purpose, password: String, source: String, now: Date, then make: SlowWork.Make = .nothing
    ) -> Step {
        let admin: AdminAccount
        do {
            admin = try requireActivated()
            try checkLock(source: source, credential: .password, now: now)
        } catch {
            return .refuse(error)
        }
        return begin(purpose, source: source, guess: .password, work: work(.password(admin.passwordHash, password), make, now: now))
    }

    /// Changes the admin password; voids the GUID file and signs everyone out.
    mutating func changePassword(current: String, new: String, source: String, now: Date) -> Step {
        let generation: Int
        do {
            generation = try requireActivated().generation
            try checkPolicy(new)
        } catch {
            return .refuse(error)
        }
        return confirmed(
            .changePassword, password: current, source: source, now: now,
            then: .account(password: new, generation: generation + 1, setBy: "change"))
    }

    /// Sets the three security questions and their answers.
    mutating func setSecurityQuestions(_ choices: [SecurityQuestions.Choice], password: String, source: String, now: Date) -> Step {
        do {
            try SecurityQuestions.validate(choices)
        } catch {
            return .refuse(DeviceError(.badRequest, error.reason, localized: LocalizedReason("error.questions")))
        }
        return confirmed(.setSecurityQuestions, password: password, source: source, now: now, then: .questions(choices))
    }

    /// Sets (or, with nil or an empty address, removes) the reserved e-mail address.
    mutating func setReservedEmail(_ address: String?, password: String, source: String, now: Date) -> Step {
        var kept: String?
        if let address, !address.isEmpty {
            guard EmailAddress.isPlausible(address) else {
                return .refuse(
                    DeviceError(
                        .badRequest, "\(address) is not an e-mail address; write it as name@example.org.",
                        localized: LocalizedReason("error.notAnEmail", ["address": address])))
            }
            guard profile.hasAuthority else {
                return .refuse(DeviceError(.modeUnavailable, "This device has no recovery authority, so it cannot use a reserved e-mail."))
            }
            kept = address
        }
        return confirmed(.setReservedEmail(kept), password: password, source: source, now: now)
    }

    /// Makes a new GUID file; the previous one stops working once this one is recorded.
    mutating func exportGUID(now: Date) -> (Step, GUIDFile?) {
        do {
            _ = try requireActivated()
        } catch {
            return (.refuse(error), nil)
        }
        let file = GUIDFile.make(serial: profile.serial, now: now)
        return (begin(.exportGUID(file), source: "admin", guess: nil, work: work(.none, .guidHash(file), now: now)), file)
    }

    /// Sets network parameters (discovery's `update`) after the admin password.
    mutating func updateNetwork(_ network: NetworkSettings, password: String, source: String, now: Date) -> Step {
        for address in [network.ipv4Address, network.subnetMask, network.gateway].compactMap({ $0 }) {
            guard IPv4.parse(address) != nil else {
                return .refuse(
                    DeviceError(
                        .badRequest, "\(address) is not an IPv4 address.", localized: LocalizedReason("error.notIPv4", ["address": address])
                    ))
            }
        }
        if let port = network.httpPort, !(1...65535).contains(port) {
            return .refuse(
                DeviceError(.badRequest, "\(port) is not a port number.", localized: LocalizedReason("error.notAPort", ["port": "\(port)"]))
            )
        }
        return confirmed(.updateNetwork(network), password: password, source: source, now: now)
    }

    /// Back to "not activated", by an admin who knows the password (discovery's `restoreInactive`).
    mutating func restoreInactive(password: String, source: String, now: Date) -> Step {
        confirmed(.restoreInactive, password: password, source: source, now: now)
    }

    /// Restarts the device's services: sessions and exchanges end, the stored state stays.
    mutating func reboot(password: String, source: String, now: Date) -> Step {
        confirmed(.reboot, password: password, source: source, now: now)
    }

    // MARK: HTTP Digest

    /// A Digest request with wrong credentials (the ``DigestGate`` found it): count it.
    mutating func digestRefused(source: String, now: Date) -> DeviceError {
        recordFailure(.password, source: source, what: "Wrong user name or password.", now: now)
    }

    /// A right Digest request from a caller with failures on record: clear them.
    mutating func digestAccepted(source: String) {
        recordSuccess(.password, source: source)
    }

    // MARK: Settings

    /// Changes the lock-out limits, within bounds: lock-out can be tuned, never switched off.
    mutating func setLockoutSettings(maxFailuresPerSource: Int?, maxFailuresPerDevice: Int?, lockDuration: TimeInterval?) -> Step {
        var settings = lockout
        if let maxFailuresPerSource { settings.maxFailuresPerSource = maxFailuresPerSource }
        if let maxFailuresPerDevice { settings.maxFailuresPerDevice = maxFailuresPerDevice }
        if let lockDuration { settings.lockDuration = lockDuration }
        guard LockoutSettings.failureLimits.contains(settings.maxFailuresPerSource),
            LockoutSettings.failureLimits.contains(settings.maxFailuresPerDevice)
        else {
            return .refuse(
                DeviceError(
                    .badRequest,
                    "Failure limits must be between \(LockoutSettings.failureLimits.lowerBound) and \(LockoutSettings.failureLimits.upperBound).",
                    localized: LocalizedReason(
                        "error.failureLimits",
                        ["min": "\(LockoutSettings.failureLimits.lowerBound)", "max": "\(LockoutSettings.failureLimits.upperBound)"])))
        }
        guard settings.lockDuration.isFinite, LockoutSettings.durationLimits.contains(settings.lockDuration) else {
            return .refuse(
                DeviceError(
                    .badRequest, "The lock duration must be between 60 and 86400 seconds.",
                    localized: LocalizedReason("error.lockDuration")))
        }
        state.settings.lockout = settings
        return .accept
    }

    /// How long a challenge may be made to live, in seconds: five minutes to a week.
    static let challengeLifetimes = 300...(7 * 86400)

    /// How long new challenges stay valid.
    mutating func setChallengeLifetime(_ lifetime: TimeInterval) -> Step {
        guard lifetime.isFinite, lifetime >= Double(Self.challengeLifetimes.lowerBound),
            lifetime <= Double(Self.challengeLifetimes.upperBound)
        else {
            return .refuse(
                DeviceError(
                    .badRequest, "A challenge lifetime must be between 300 seconds and 7 days.",
                    localized: LocalizedReason("error.challengeLifetime")))
        }
        state.settings.challengeLifetime = lifetime
        return .accept
    }

    /// Applies a change to the plain settings (name, time zone, motion detection, UPnP).
    mutating func updateSettings(_ change: (inout DeviceSettings) -> Void) {
        change(&state.settings)
    }

    // MARK: The reset button (F8)

    /// The physical reset button, held for `seconds`: ten or more erase the configuration.
    mutating func pressResetButton(heldFor seconds: Double, now: Date) -> Bool {
        guard seconds >= 10 else { return false }
        eraseToFactoryState(now: now)
        return true
    }
}
