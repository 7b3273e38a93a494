import Foundation
import ReclaimCore

/// The CPU-heavy part of an attempt: a check against a salted slow hash, and what to
/// make once it passes (a new password's hashes, the answers' hashes, a GUID file's).
///
/// The machine describes it; the actor runs ``perform()`` on the blocking thread pool,
/// never on an event loop. Nothing here reads or writes device state.
struct SlowWork: Sendable {
    enum Check: Sendable {
        /// Nothing to check: the proof was checked already (a MAC, a signature) or none is needed.
        case none
        case password(SlowHash, String)
        case answers([(SecurityQuestions.Record, String)])
        case guid(SlowHash, secret: [UInt8])
    }

    enum Make: Sendable {
        case nothing
        case account(password: String, generation: Int, setBy: String)
        case questions([SecurityQuestions.Choice])
        case guidHash(GUIDFile)
    }

    var check: Check = .none
    var make: Make = .nothing
    let realm: String
    let cost: SlowHash.Cost
    let policy: PasswordPolicy
    let now: Date

    struct Result: Sendable {
        /// Whether the check passed (true when there was none).
        var passed: Bool
        var account: AdminAccount?
        var questions: [SecurityQuestions.Record]?
        var guidHash: SlowHash?
    }

    /// Runs the check, and only if it passes, the making.
    func perform() -> Result {
        let passed: Bool
        switch check {
        case .none: passed = true
        case .password(let hash, let password): passed = hash.matches(password)
        case .answers(let pairs): passed = !pairs.isEmpty && pairs.allSatisfy { record, answer in record.matches(answer) }
        case .guid(let hash, let secret): passed = hash.matches(secret)
        }
        var result = Result(passed: passed)
        guard passed else { return result }
        switch make {
        case .nothing:
            break
        case .account(let password, let generation, let setBy):
            result.account = AdminAccount(
                password: password, realm: realm, cost: cost, now: now, generation: generation, setBy: setBy, policy: policy)
        case .questions(let choices):
            result.questions = choices.map { SecurityQuestions.Record($0, cost: cost) }
        case .guidHash(let file):
            result.guidHash = file.hash(cost: cost)
        }
        return result
    }
}

extension DeviceMachine {
    /// Slow work with this device's realm, hash cost and password policy.
    func work(_ check: SlowWork.Check = .none, _ make: SlowWork.Make = .nothing, now: Date) -> SlowWork {
        SlowWork(check: check, make: make, realm: profile.realm, cost: profile.hashCost, policy: profile.policy, now: now)
    }
}
