import Foundation
import ReclaimCore
import ReclaimTestSupport
import Testing

@testable import DeviceAgent

/// The device's rules as a value: every step driven by hand, with no disk, no sockets, no
/// sleeps and no actor. Slow work runs inline (light hashing), or is finished with a
/// result the test chooses, to stand for any interleaving the actor could meet.
@Suite struct DeviceMachineTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let identity = Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: TestAuthority.keys.bundle, now: start)

    func newMachine() -> DeviceMachine {
        DeviceMachine(profile: DeviceProfile(identity: Self.identity, hashCost: .light), state: DeviceState())
    }

    /// A machine activated with ``goodPassword``.
    func activatedMachine() -> DeviceMachine {
        var machine = newMachine()
        expectAccepted(run(&machine, machine.activate(password: goodPassword, source: "s", now: Self.start)))
        return machine
    }

    /// Runs a step to its end, doing any slow work inline, as the actor does.
    @discardableResult
    func run(_ machine: inout DeviceMachine, _ step: DeviceMachine.Step, at now: Date = start) -> DeviceMachine.Step {
        var step = step
        while case .work(let attempt) = step {
            step = machine.finish(attempt, attempt.work.perform(), now: now)
        }
        return step
    }

    func expectAccepted(_ step: DeviceMachine.Step, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .accept = step else {
            Issue.record("expected acceptance, got \(step)", sourceLocation: sourceLocation)
            return
        }
    }

    func refusal(_ step: DeviceMachine.Step, sourceLocation: SourceLocation = #_sourceLocation) -> DeviceError? {
        guard case .refuse(let error) = step else {
            Issue.record("expected a refusal, got \(step)", sourceLocation: sourceLocation)
            return nil
        }
        return error
    }

    func attempt(_ step: DeviceMachine.Step, sourceLocation: SourceLocation = #_sourceLocation) -> Attempt? {
        guard case .work(let attempt) = step else {
            Issue.record("expected slow work, got \(step)", sourceLocation: sourceLocation)
            return nil
        }
        return attempt
    }

    // MARK: Activation (F1)

    @Test func activationSetsTheFirstPasswordOnceAndMovesTheRevision() {
        var machine = newMachine()
        let before = machine.revision
        expectAccepted(run(&machine, machine.activate(password: goodPassword, source: "s", now: Self.start)))
        #expect(machine.state.admin?.generation == 1)
        #expect(machine.revision != before)
        #expect(refusal(machine.activate(password: otherPassword, source: "s", now: Self.start))?.code == .alreadyActivated)
    }

    @Test func activationRefusesAWeakPasswordWithoutCountingIt() {
        var machine = newMachine()
        let before = machine.revision
        let error = refusal(machine.activate(password: "admin1", source: "s", now: Self.start))
        #expect(error?.code == .passwordRule)
        #expect(error?.violations.contains(.containsUserName) == true)
        #expect(machine.revision == before, "a policy refusal changes nothing stored")
    }

    @Test func twoActivationsAtOnceLeaveTheFirstPasswordAndRefuseTheSecond() throws {
        var machine = newMachine()
        let first = try #require(attempt(machine.activate(password: goodPassword, source: "a", now: Self.start)))
        let second = try #require(attempt(machine.activate(password: otherPassword, source: "b", now: Self.start)))
        expectAccepted(machine.finish(first, first.work.perform(), now: Self.start))
        #expect(refusal(machine.finish(second, second.work.perform(), now: Self.start))?.code == .alreadyActivated)
        #expect(machine.state.admin?.passwordHash.matches(goodPassword) == true)
    }

    @Test func nothingButActivationWorksBeforeIt() {
        var machine = newMachine()
        #expect(refusal(machine.checkPassword(goodPassword, source: "s", now: Self.start))?.code == .notActivated)
        #expect(refusal(machine.exportGUID(now: Self.start).0)?.code == .notActivated)
        #expect(throws: DeviceError.self) { try machine.issueChallenge(purpose: .supportCase, source: "s", now: Self.start) }
        #expect(refusal(machine.recover(answers: [:], newPassword: otherPassword, source: "s", now: Self.start))?.code == .notActivated)
    }

    // MARK: Reserving guesses before their slow work

    @Test(arguments: [CredentialKind.password, .securityAnswers, .guidFile])
    func guessesUnderWayCountAsFailuresUntilTheirWorkSaysOtherwise(_ kind: CredentialKind) throws {
        var (machine, file) = try machineAndFile(for: kind)
        let limit = kind == .guidFile ? machine.lockout.maxGUIDFailures : machine.lockout.maxFailuresPerSource
        let stopsAt = min(limit, machine.lockout.maxFailuresPerSource)
        var started: [Attempt] = []
        for _ in 0..<100 {
            guard case .work(let attempt) = guess(kind, right: false, on: &machine, source: "10.0.0.9") else { break }
            started.append(attempt)
        }
        #expect(started.count == stopsAt, "no more than the limit is ever evaluated at once")
        // The right answer, sent now from the same address, is refused before any work.
        let right = refusal(guess(kind, right: true, on: &machine, source: "10.0.0.9", file: file))
        #expect(right?.code == .locked)
        // The wrong ones finish wrong: the lock is real now, and the count is exact.
        for attempt in started {
            _ = machine.finish(attempt, attempt.work.perform(), now: Self.start)
        }
        #expect(machine.state.lockout.lock(for: "10.0.0.9", now: Self.start) != nil || kind == .guidFile)
        #expect(machine.reservations.total == 0)
        #expect(refusal(guess(kind, right: true, on: &machine, source: "10.0.0.9", file: file))?.code == .locked)
    }

    @Test func aRightGuessUnderWayReleasesItsReservation() throws {
        var machine = activatedMachine()
        let attempts = (0..<4).compactMap { _ in attempt(machine.checkPassword(goodPassword, source: "s", now: Self.start)) }
        #expect(machine.reservations.count(from: "s") == 4)
        for attempt in attempts { expectAccepted(machine.finish(attempt, attempt.work.perform(), now: Self.start)) }
        #expect(machine.reservations.count(from: "s") == 0)
        #expect(machine.state.lockout.sources["s"] == nil)
    }

    @Test func theDeviceWideLimitCountsGuessesUnderWayFromEveryAddress() throws {
        var machine = activatedMachine()
        var started = 0
        for index in 0..<100 {
            if case .work = machine.checkPassword("Wrong-pass1", source: "10.1.0.\(index)", now: Self.start) { started += 1 }
        }
        #expect(started == machine.lockout.maxFailuresPerDevice)
        #expect(refusal(machine.checkPassword(goodPassword, source: "10.9.9.9", now: Self.start))?.lock?.scope == .device)
    }

    /// A machine on which a guess of `kind` can be made, and the GUID file it exported.
    func machineReady(for kind: CredentialKind) throws -> DeviceMachine {
        try machineAndFile(for: kind).machine
    }

    func machineAndFile(for kind: CredentialKind) throws -> (machine: DeviceMachine, file: GUIDFile?) {
        var machine = activatedMachine()
        var exported: GUIDFile?
        switch kind {
        case .securityAnswers:
            let choices = [1, 2, 3].map { SecurityQuestions.Choice(questionID: $0, answer: "risposta \($0)") }
            expectAccepted(run(&machine, machine.setSecurityQuestions(choices, password: goodPassword, source: "owner", now: Self.start)))
        case .guidFile:
            let (step, file) = machine.exportGUID(now: Self.start)
            expectAccepted(run(&machine, step))
            exported = file
        default:
            break
        }
        return (machine, exported)
    }

    func guess(
        _ kind: CredentialKind, right: Bool, on machine: inout DeviceMachine, source: String, file: GUIDFile? = nil
    ) -> DeviceMachine.Step {
        switch kind {
        case .securityAnswers:
            let answers = Dictionary(uniqueKeysWithValues: [1, 2, 3].map { ($0, right ? "risposta \($0)" : "sbagliata") })
            return machine.recover(answers: answers, newPassword: otherPassword, source: source, now: Self.start)
        case .guidFile:
            let file = right ? file! : GUIDFile(serial: Self.identity.serial, issuedAt: Self.start, secret: Bytes.random(count: 32))
            return machine.recover(guidFile: Array(file.xml.utf8), newPassword: otherPassword, source: source, now: Self.start)
        default:
            return machine.checkPassword(right ? goodPassword : "Wrong-pass1", source: source, now: Self.start)
        }
    }

    // MARK: Premises checked when the work is done

    @Test func aChangeWhoseCurrentPasswordWasReplacedMeanwhileDoesNothing() throws {
        var machine = activatedMachine()
        let change = try #require(attempt(machine.changePassword(current: goodPassword, new: otherPassword, source: "a", now: Self.start)))
        expectAccepted(run(&machine, machine.changePassword(current: goodPassword, new: "Terza-Pass77", source: "b", now: Self.start)))
        #expect(refusal(machine.finish(change, change.work.perform(), now: Self.start))?.code == .conflict)
        #expect(machine.state.admin?.passwordHash.matches("Terza-Pass77") == true)
    }

    @Test func aKeyWhoseChallengeWasUsedMeanwhileDoesNothing() throws {
        var machine = activatedMachine()
        let pending = try machine.issueChallenge(purpose: .supportCase, source: "s", now: Self.start)
        let key = try resetKey(for: pending)
        let first = try #require(
            attempt(machine.recover(code: key, kind: .resetKey, newPassword: otherPassword, source: "a", now: Self.start)))
        let second = try #require(
            attempt(machine.recover(code: key, kind: .resetKey, newPassword: "Terza-Pass77", source: "b", now: Self.start)))
        expectAccepted(machine.finish(first, first.work.perform(), now: Self.start))
        #expect(refusal(machine.finish(second, second.work.perform(), now: Self.start))?.code == .conflict)
        #expect(machine.state.pendingChallenges.isEmpty)
    }

    @Test func aGUIDFileReplacedWhileItWasCheckedDoesNothing() throws {
        var (machine, exported) = try machineAndFile(for: .guidFile)
        let file = try #require(exported)
        let recovery = try #require(
            attempt(machine.recover(guidFile: Array(file.xml.utf8), newPassword: otherPassword, source: "s", now: Self.start)))
        let (export, _) = machine.exportGUID(now: Self.start.addingTimeInterval(5))
        expectAccepted(run(&machine, export))
        #expect(refusal(machine.finish(recovery, recovery.work.perform(), now: Self.start))?.code == .unknownChallenge)
        #expect(machine.state.admin?.passwordHash.matches(goodPassword) == true)
    }

    @Test func aFactoryResetWhileAGuessRunsEndsIt() throws {
        var machine = activatedMachine()
        let check = try #require(attempt(machine.checkPassword(goodPassword, source: "s", now: Self.start)))
        let reset = machine.pressResetButton(heldFor: 12, now: Self.start)
        #expect(reset)
        #expect(refusal(machine.finish(check, check.work.perform(), now: Self.start))?.code == .notActivated)
        #expect(machine.reservations.total == 0)
    }

    // MARK: Recovery modes

    func resetKey(for pending: PendingChallenge) throws -> String {
        let opened = try TestAuthority.authority.open(pending.text, now: Self.start, enrollment: { _ in Self.identity.enrollment })
        return try TestAuthority.authority.resetKey(for: opened).description
    }

    @Test func aResetKeyResetsThePasswordOnceAndEndsSessionsAndTheGUID() throws {
        var machine = try machineReady(for: .guidFile)
        _ = machine.openSession(now: Self.start)
        let pending = try machine.issueChallenge(purpose: .supportCase, source: "s", now: Self.start)
        let key = try resetKey(for: pending)
        expectAccepted(run(&machine, machine.recover(code: key, kind: .resetKey, newPassword: otherPassword, source: "s", now: Self.start)))
        #expect(machine.state.admin?.generation == 2)
        #expect(machine.state.admin?.setBy == "supportKey")
        #expect(machine.state.recovery.guid == nil)
        #expect(machine.sessions.isEmpty)
        #expect(
            refusal(machine.recover(code: key, kind: .resetKey, newPassword: "Terza-Pass77", source: "s", now: Self.start))?.code
                == .wrongCredential)
    }

    @Test func fiveWrongKeysVoidTheChallenge() throws {
        var machine = activatedMachine()
        machine.state.settings.lockout.maxFailuresPerSource = 50
        let pending = try machine.issueChallenge(purpose: .supportCase, source: "s", now: Self.start)
        let right = try resetKey(for: pending)
        let positions = right.indices.filter { right[$0] != "-" }.prefix(PendingChallenge.maxFailedAttempts)
        for (index, position) in positions.enumerated() {
            // The right key with one character changed.
            var characters = right
            characters.replaceSubrange(position...position, with: right[position] == "A" ? "B" : "A")
            let wrong = String(characters)
            #expect(
                refusal(machine.recover(code: wrong, kind: .resetKey, newPassword: otherPassword, source: "s\(index)", now: Self.start))?
                    .code
                    == .wrongCredential)
        }
        #expect(!machine.state.pendingChallenges.contains { $0.content.nonce == pending.content.nonce })
        #expect(
            refusal(machine.recover(code: right, kind: .resetKey, newPassword: otherPassword, source: "t", now: Self.start))?.code
                == .wrongCredential)
    }

    @Test func anExpiredChallengeIsSaidToBeExpiredAndNotCounted() throws {
        var machine = activatedMachine()
        let pending = try machine.issueChallenge(purpose: .supportCase, source: "s", now: Self.start)
        let later = Self.start.addingTimeInterval(machine.settings.challengeLifetime + 1)
        let error = refusal(
            machine.recover(code: try resetKey(for: pending), kind: .resetKey, newPassword: otherPassword, source: "s", now: later))
        #expect(error?.code == .challengeExpired)
        #expect(machine.state.lockout.sources["s"] == nil)
    }

    @Test func aResetFileForAnotherDeviceOrActionIsCounted() throws {
        var machine = activatedMachine()
        let pending = try machine.issueChallenge(purpose: .supportCase, source: "s", now: Self.start)
        let signing = TestAuthority.keys.currentSigningKey
        for (serial, action) in [
            (SerialNumber("DS-2CD2143G2-IS20250101AAAA000000001")!, ResetAuthorization.resetAdminPassword),
            (Self.identity.serial, "factoryReset"),
        ] {
            let authorization = ResetAuthorization(
                serial: serial, nonce: pending.content.nonce, action: action, caseID: "c", issuedAt: Self.start,
                expiresAt: Self.start.addingTimeInterval(3600), keyID: signing.id)
            let file = try ResetFile.sign(authorization, with: signing.key)
            #expect(
                refusal(machine.recover(resetFile: Array(file.xml.utf8), newPassword: otherPassword, source: "s", now: Self.start))?.code
                    == .wrongCredential)
        }
        #expect(machine.state.lockout.attemptsLeft(for: "s", now: Self.start, settings: machine.lockout) == 3)
    }

    @Test func answersRecoverThePasswordAndAWrongOneIsCounted() throws {
        var machine = try machineReady(for: .securityAnswers)
        #expect(refusal(run(&machine, guess(.securityAnswers, right: false, on: &machine, source: "s")))?.attemptsLeft == 4)
        expectAccepted(run(&machine, guess(.securityAnswers, right: true, on: &machine, source: "s")))
        #expect(machine.state.admin?.passwordHash.matches(otherPassword) == true)
        #expect(machine.state.lockout.sources["s"] == nil, "a success clears the caller's count")
    }

    @Test func aModeThatIsNotSetUpSaysSo() {
        var machine = activatedMachine()
        #expect(
            refusal(machine.recover(answers: [1: "x"], newPassword: otherPassword, source: "s", now: Self.start))?.code == .modeUnavailable)
        #expect(refusal(machine.recover(guidFile: [], newPassword: otherPassword, source: "s", now: Self.start))?.code == .modeUnavailable)
        #expect(throws: DeviceError.self) { try machine.issueChallenge(purpose: .reservedEmail, source: "s", now: Self.start) }
        var noAuthority = DeviceMachine(
            profile: DeviceProfile(identity: Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: nil), hashCost: .light),
            state: machine.state)
        #expect(throws: DeviceError.self) { try noAuthority.issueChallenge(purpose: .supportCase, source: "s", now: Self.start) }
        #expect(
            refusal(
                noAuthority.recover(code: "AAAA-AAAA-AAAA-AA", kind: .resetKey, newPassword: otherPassword, source: "s", now: Self.start))?
                .code == .modeUnavailable)
    }

    // MARK: Settings, sessions, exchanges, the reset button

    @Test func lockOutCanBeTunedButNeverSwitchedOff() {
        var machine = activatedMachine()
        for (source, device, duration) in [(2, nil, nil), (51, nil, nil), (nil, 1, nil), (nil, nil, 30.0), (nil, nil, 86401.0)]
            as [(Int?, Int?, TimeInterval?)]
        {
            #expect(
                refusal(machine.setLockoutSettings(maxFailuresPerSource: source, maxFailuresPerDevice: device, lockDuration: duration))?
                    .code
                    == .badRequest)
        }
        expectAccepted(machine.setLockoutSettings(maxFailuresPerSource: 3, maxFailuresPerDevice: 10, lockDuration: 600))
        #expect(machine.lockout.maxFailuresPerSource == 3)
        #expect(refusal(machine.setChallengeLifetime(60))?.code == .badRequest)
    }

    @Test func sessionsEndWhenIdleOrWhenThePasswordChanges() throws {
        var machine = activatedMachine()
        let session = try #require(machine.openSession(now: Self.start) as WebSession?)
        let refreshed = machine.session(session.token, now: Self.start.addingTimeInterval(60))
        #expect(refreshed != nil)
        let idle = machine.session(session.token, now: Self.start.addingTimeInterval(60 + DeviceMachine.sessionIdleTimeout))
        #expect(idle == nil)
        let second = try #require(machine.openSession(now: Self.start) as WebSession?)
        expectAccepted(run(&machine, machine.changePassword(current: goodPassword, new: otherPassword, source: "s", now: Self.start)))
        let ended = machine.session(second.token, now: Self.start)
        #expect(ended == nil)
        for _ in 0..<40 { _ = machine.openSession(now: Self.start) }
        #expect(machine.sessions.count == DeviceMachine.maxSessions)
    }

    @Test func anExchangeOpensOneSecretWithinItsLifetime() throws {
        var machine = activatedMachine()
        let client = Curve25519KeyPair()
        let side = try machine.startExchange(clientPublicKey: client.publicKey, source: "s", now: Self.start)
        let sealed = try SecretTransport.seal(goodPassword, clientKey: client.privateKey, devicePublicKey: side.publicKey, id: side.id)
        #expect(try machine.openSealed(sealed, exchangeID: side.id, source: "s", now: Self.start) == goodPassword)
        #expect(throws: DeviceError.self) { try machine.openSealed(sealed, exchangeID: side.id, source: "s", now: Self.start) }
        let late = try machine.startExchange(clientPublicKey: client.publicKey, source: "s", now: Self.start)
        #expect(machine.takeExchange(late.id, source: "s", now: Self.start.addingTimeInterval(DeviceMachine.exchangeLifetime)) == nil)
        for _ in 0..<50 { _ = try machine.startExchange(clientPublicKey: client.publicKey, source: "s", now: Self.start) }
        #expect(machine.exchanges.count == DeviceMachine.maxExchanges)
    }

    @Test func theResetButtonErasesEverythingButOnlyWhenHeldTenSeconds() throws {
        var machine = try machineReady(for: .securityAnswers)
        _ = try machine.issueChallenge(purpose: .supportCase, source: "s", now: Self.start)
        let short = machine.pressResetButton(heldFor: 9.9, now: Self.start)
        #expect(!short)
        #expect(machine.state.isActivated)
        let long = machine.pressResetButton(heldFor: 10, now: Self.start)
        #expect(long)
        #expect(!machine.state.isActivated)
        #expect(machine.state.pendingChallenges.isEmpty && machine.state.recovery.questions == nil)
        #expect(machine.state.factoryResetAt == Self.start)
    }

    @Test func digestFailuresAreCountedAndASuccessClearsThem() {
        var machine = activatedMachine()
        for left in (1...4).reversed() {
            #expect(machine.digestRefused(source: "d", now: Self.start).attemptsLeft == left)
        }
        machine.digestAccepted(source: "d")
        #expect(machine.state.lockout.sources["d"] == nil)
        for _ in 0..<5 { _ = machine.digestRefused(source: "d", now: Self.start) }
        #expect(machine.state.lockout.lock(for: "d", now: Self.start)?.scope == .source)
    }
}
