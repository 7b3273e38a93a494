import DeviceAgent
import Foundation
import ReclaimCore
import ReclaimTestSupport
import Testing

@Suite struct CloudLinkMachineTests {
    let serial = SerialNumber("DS-2CD2386G2-IU20250314AAWR123456789")!

    @Test func theHandshakeGoesHelloProofWelcome() {
        var machine = CloudLinkMachine(serial: serial, firmware: "V5.7.15")
        #expect(machine.start() == .connect)
        #expect(machine.connected() == .send(.hello(serial: serial, firmware: "V5.7.15")))
        #expect(machine.received(.challenge(nonce: [1, 2, 3])) == .prove(nonce: [1, 2, 3]))
        #expect(machine.received(.welcome(heartbeatSeconds: 25)) == .startHeartbeats(every: .seconds(25)))
        #expect(machine.state == .online(heartbeatSeconds: 25))
    }

    @Test func commandsAreAppliedOnlyOnceOnline() throws {
        let signed = try TestAuthority.authority.command(
            .setAdminPassword(try SealedPassword(bytes: Array(repeating: 9, count: 80))), for: serial, requestID: "r", now: Date(),
            validity: 60)
        var machine = CloudLinkMachine(serial: serial, firmware: "V1")
        _ = machine.start()
        _ = machine.connected()
        // Before the device proved itself, a command is out of turn: the link closes.
        guard case .close = machine.received(.command(signed)) else {
            Issue.record("a command before welcome was not refused")
            return
        }
        var online = CloudLinkMachine(serial: serial, firmware: "V1")
        _ = online.start()
        _ = online.connected()
        _ = online.received(.challenge(nonce: [1]))
        _ = online.received(.welcome(heartbeatSeconds: 5))
        #expect(online.received(.command(signed)) == .apply(signed))
    }

    @Test func reconnectionsBackOffWithJitterAndResetOnWelcome() {
        var machine = CloudLinkMachine(serial: serial, firmware: "V1")
        _ = machine.start()
        var delays: [Duration] = []
        for _ in 0..<10 {
            guard case .reconnect(let delay) = machine.connectionLost(jitter: 1) else {
                Issue.record("no reconnect")
                return
            }
            delays.append(delay)
            #expect(machine.retryDue() == .connect)
        }
        #expect(delays.prefix(4) == [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        #expect(delays.last == CloudLinkMachine.maximumDelay)
        // Jitter spreads a fleet across the upper half of the delay.
        #expect(CloudLinkMachine.delay(afterFailures: 3, jitter: 0) == .seconds(4))
        _ = machine.connected()
        _ = machine.received(.challenge(nonce: [1]))
        _ = machine.received(.welcome(heartbeatSeconds: 5))
        #expect(machine.failures == 0)
        #expect(machine.connectionLost(jitter: 1) == .reconnect(after: .seconds(1)))
    }

    @Test func aRefusalClosesAndBacksOffLikeAnyFailure() {
        var machine = CloudLinkMachine(serial: serial, firmware: "V1")
        _ = machine.start()
        _ = machine.connected()
        guard case .close = machine.received(.refused(reason: "Not enrolled.")) else {
            Issue.record("not closed")
            return
        }
        #expect(machine.connectionLost(jitter: 1) == .reconnect(after: .seconds(1)))
        _ = machine.retryDue()
        _ = machine.connected()
        _ = machine.received(.refused(reason: "Not enrolled."))
        #expect(machine.connectionLost(jitter: 1) == .reconnect(after: .seconds(2)))
    }

    @Test func aStoppedLinkDoesNothing() {
        var machine = CloudLinkMachine(serial: serial, firmware: "V1")
        _ = machine.start()
        machine.stop()
        #expect(machine.connectionLost(jitter: 0.5) == .nothing)
        #expect(machine.received(.welcome(heartbeatSeconds: 5)) == .nothing)
    }
}

/// The device's one verifier of commands: what it applies, and what it refuses and counts.
@Suite struct CloudCommandTests {
    func command(for device: Device, password: String = otherPassword, now: Date, validity: TimeInterval = 300) throws -> SignedCommand {
        let sealed = try SealedPassword.seal(password, for: device.identity.enrollment!)
        return try TestAuthority.authority.command(
            .setAdminPassword(sealed), for: device.identity.serial, requestID: "rq", now: now, validity: validity)
    }

    @Test func aSignedCommandSetsThePasswordOnce() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let signed = try command(for: device, now: clock.now)
        #expect(await device.apply(signed) == CommandAck(id: signed.command.idText, outcome: .applied))
        try await device.verifyPassword(otherPassword, source: "s")
        let again = await device.apply(signed)
        #expect(again.outcome == .refused)
        #expect(again.code == CommandAck.alreadyApplied)
        try await device.verifyPassword(otherPassword, source: "s")
    }

    @Test func anExpiredCommandIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let signed = try command(for: device, now: clock.now, validity: 300)
        clock.advance(301)
        let ack = await device.apply(signed)
        #expect(ack.outcome == .refused)
        #expect(ack.reason?.contains("expired") == true)
        try await device.verifyPassword(goodPassword, source: "s")
    }

    @Test func anotherDevicesCommandIsRefused() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let other = try await makeActivatedDevice(clock: clock)
        let ack = await device.apply(try command(for: other, now: clock.now))
        #expect(ack.outcome == .refused)
        #expect(ack.reason?.contains("not for this one") == true)
    }

    @Test func aPasswordThePolicyRefusesIsNotSet() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let ack = await device.apply(try command(for: device, password: "12345", now: clock.now))
        #expect(ack.outcome == .refused)
        #expect(ack.code == "passwordRule")
        try await device.verifyPassword(goodPassword, source: "s")
    }

    @Test func refusedCommandsCountInTheOneLockoutBook() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let other = try await makeActivatedDevice(clock: clock)
        var last = CommandAck(id: "", outcome: .applied)
        for _ in 0..<12 {
            last = await device.apply(try command(for: other, now: clock.now))
        }
        #expect(last.code == "locked", "repeated bad commands lock the cloud source like any other bad credential")
        // While locked, even a good command waits for the lock to end.
        #expect(await device.apply(try command(for: device, now: clock.now)).code == "locked")
    }

    @Test func aRecoveryOnTheLANIsReportedToTheLink() async throws {
        let clock = TestClock()
        let device = try await makeActivatedDevice(clock: clock)
        let reports = device.recoveryReports()
        let guid = try await device.exportGUID()
        try await device.recover(guidFile: Array(guid.xml.utf8), newPassword: otherPassword, source: "192.0.2.9")
        var iterator = reports.makeAsyncIterator()
        let report = await iterator.next()
        #expect(report?.event == "guidFile")
        #expect(report?.source == "192.0.2.9")
    }
}
