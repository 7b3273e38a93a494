/// Who acted, as the audit log names them.
public enum AuditActor: Sendable, Hashable, CustomStringConvertible {
    /// A signed-in account (portal session or API token).
    case account(id: String)
    /// Someone not signed in, known by their address.
    case visitor(source: String)
    /// The factory, with its enrollment token.
    case factory
    /// An operator at `reclaim-server`'s command line.
    case commandLine
    /// The platform itself (scheduled work, tests).
    case system

    public var description: String {
        switch self {
        case .account(let id): "account:\(id)"
        case .visitor(let source): "public:\(source)"
        case .factory: "factory"
        case .commandLine: "cli"
        case .system: "system"
        }
    }
}

/// What an entry is about.
public enum AuditSubject: Sendable, Hashable, CustomStringConvertible {
    case account(id: String)
    case company(id: String)
    case device(serial: String)
    case supportCase(id: String)
    case site(id: String)
    /// Several devices at once (an enrollment batch).
    case devices
    /// An account that does not exist (a failed sign-in with an unknown address).
    case unknownAccount

    public var description: String {
        switch self {
        case .account(let id): "account:\(id)"
        case .company(let id): "company:\(id)"
        case .device(let serial): "device:\(serial)"
        case .supportCase(let id): "case:\(id)"
        case .site(let id): "site:\(id)"
        case .devices: "devices"
        case .unknownAccount: "unknown"
        }
    }
}

/// Something that happened and must be on record: every account event and every action of
/// the authority. Each case names its action once; the log stores it with its subject and
/// details (never a secret).
public enum AuditEvent: Sendable, Hashable {
    case companyCreated(id: String, name: String)
    case companyCertified(id: String, name: String)
    /// An installer redeemed a distributor's certification code for their company.
    case companyCertifiedByCode(id: String, name: String, distributor: String)
    case certificationCodeIssued(by: String)
    /// A member of a company invited a colleague by e-mail, or took the invitation back.
    case colleagueInvited(company: String, invitation: String, email: String)
    case invitationRevoked(company: String, invitation: String)
    /// An installer joined a company through an invitation, or left it.
    case colleagueJoined(company: String, account: String, invitation: String)
    case colleagueLeft(company: String, account: String)
    /// An owner's support ticket: opened, each change (a message, the decision), its files deleted.
    case ticketOpened(id: String, serial: String)
    case ticketChanged(id: String, serial: String, event: String)
    case ticketFilesDeleted(id: String, serial: String)
    case accountCreated(id: String, role: Role, company: String?)
    case accountConfirmed(id: String)
    /// The password was set anew through a link mailed to the account's address.
    case passwordReset(id: String)
    case signedIn(account: String, source: String)
    case signInFailed(account: String?)
    case apiTokenCreated(account: String, name: String)
    case devicesEnrolled(serials: [String])
    /// A reset key, reset file or verification code issued for a device's challenge.
    case issued(Issuance.Kind, serial: String, challenge: String, reason: String, caseID: String?)
    case emailRecoveryMailed(serial: String)
    case emailRecoveryRefused(serial: String?, why: String)
    case caseOpened(id: String, serial: String, channel: String)
    /// A support case moved from one state to another (or, waiting for a reviewer, stayed).
    case caseChanged(id: String, serial: String, from: String, to: String, why: String?)
    /// An owner's sites and devices, and who they share them with.
    case siteCreated(id: String, name: String)
    case deviceAdded(serial: String, site: String)
    case deviceAddRefused(serial: String, why: String)
    case siteShared(site: String, company: String, share: String, mayReset: Bool)
    case shareEnded(site: String, company: String, share: String, state: String)
    /// An owner-approved reset asked for, and each change of it.
    case resetRequested(id: String, serial: String, mode: String)
    case resetChanged(id: String, serial: String, state: String, code: String?)
    /// A command sent to a device over its cloud link, and how it ended.
    case commandSent(serial: String, id: String, action: String, request: String)
    case commandEnded(serial: String, id: String, state: String, code: String?)
    /// A device with a cloud link reported a recovery made on its LAN.
    case recoveryReported(serial: String, event: String, source: String)
    /// A device with a cloud link reported a firmware installed from its LAN.
    case firmwareReported(serial: String, firmware: String, source: String)
    /// An installer company's authorisation request to an owner, and the owner's answer.
    case accessRequested(id: String, company: String, owner: String)
    case accessAnswered(id: String, company: String, state: String, share: String?)
    /// A second-hand claim of a device, and how it ended (moved, objected, withdrawn).
    case claimOpened(id: String, serial: String, claimant: String)
    case claimSettled(id: String, serial: String, state: String)

    /// The dotted name of what happened: `authority.reset-key.issued`, `account.signed-in`, …
    public var action: String {
        switch self {
        case .companyCreated: "company.created"
        case .companyCertified: "company.certified"
        case .companyCertifiedByCode: "company.certified.by-code"
        case .certificationCodeIssued: "distributor.code.issued"
        case .colleagueInvited: "company.invitation.sent"
        case .invitationRevoked: "company.invitation.revoked"
        case .colleagueJoined: "company.member.joined"
        case .colleagueLeft: "company.member.left"
        case .ticketOpened: "ticket.opened"
        case .ticketChanged(_, _, let event): "ticket.\(event)"
        case .ticketFilesDeleted: "ticket.files.deleted"
        case .accountCreated: "account.created"
        case .accountConfirmed: "account.confirmed"
        case .passwordReset: "account.password.reset"
        case .signedIn: "account.signed-in"
        case .signInFailed: "account.sign-in.failed"
        case .apiTokenCreated: "account.token.created"
        case .devicesEnrolled: "authority.devices.enrolled"
        case .issued(let kind, _, _, _, _): "authority.\(kind.rawValue).issued"
        case .emailRecoveryMailed: "email-recovery.code-mailed"
        case .emailRecoveryRefused: "email-recovery.refused"
        case .caseOpened: "case.opened"
        case .caseChanged(_, _, _, let to, _): "case.\(to)"
        case .siteCreated: "site.created"
        case .accessRequested: "access-request.sent"
        case .accessAnswered(_, _, let state, _): "access-request.\(state)"
        case .claimOpened: "device.claim.opened"
        case .claimSettled(_, _, let state): "device.claim.\(state)"
        case .deviceAdded: "device.added"
        case .deviceAddRefused: "device.add.refused"
        case .siteShared: "site.shared"
        case .shareEnded(_, _, _, let state): "site.share.\(state)"
        case .resetRequested: "reset-request.requested"
        case .resetChanged(_, _, let state, _): "reset-request.\(state)"
        case .commandSent: "device.command.sent"
        case .commandEnded(_, _, let state, _): "device.command.\(state)"
        case .recoveryReported: "device.recovery.reported"
        case .firmwareReported: "device.firmware.reported"
        }
    }

    public var subject: AuditSubject {
        switch self {
        case .companyCreated(let id, _), .companyCertified(let id, _), .companyCertifiedByCode(let id, _, _): .company(id: id)
        case .certificationCodeIssued(let distributor): .account(id: distributor)
        case .colleagueInvited(let company, _, _), .invitationRevoked(let company, _), .colleagueJoined(let company, _, _),
            .colleagueLeft(let company, _):
            .company(id: company)
        case .ticketOpened(_, let serial), .ticketChanged(_, let serial, _), .ticketFilesDeleted(_, let serial): .device(serial: serial)
        case .accountCreated(let id, _, _), .accountConfirmed(let id), .passwordReset(let id): .account(id: id)
        case .signedIn(let account, _), .apiTokenCreated(let account, _): .account(id: account)
        case .signInFailed(let account): account.map { .account(id: $0) } ?? .unknownAccount
        case .devicesEnrolled(let serials): serials.count == 1 ? .device(serial: serials[0]) : .devices
        case .issued(_, let serial, _, _, _), .emailRecoveryMailed(let serial): .device(serial: serial)
        case .emailRecoveryRefused(let serial, _): .device(serial: serial ?? "unknown")
        case .caseOpened(let id, _, _), .caseChanged(let id, _, _, _, _): .supportCase(id: id)
        case .siteCreated(let id, _), .siteShared(let id, _, _, _), .shareEnded(let id, _, _, _): .site(id: id)
        case .deviceAdded(let serial, _), .deviceAddRefused(let serial, _): .device(serial: serial)
        case .resetRequested(_, let serial, _), .resetChanged(_, let serial, _, _): .device(serial: serial)
        case .commandSent(let serial, _, _, _), .commandEnded(let serial, _, _, _), .recoveryReported(let serial, _, _),
            .firmwareReported(let serial, _, _):
            .device(serial: serial)
        case .accessRequested(_, let company, _), .accessAnswered(_, let company, _, _): .company(id: company)
        case .claimOpened(_, let serial, _), .claimSettled(_, let serial, _): .device(serial: serial)
        }
    }

    /// The rest, as a flat object of strings; never a secret.
    public var details: [String: String] {
        switch self {
        case .companyCreated(_, let name), .companyCertified(_, let name): ["name": name]
        case .companyCertifiedByCode(_, let name, let distributor): ["name": name, "distributor": distributor]
        case .certificationCodeIssued: [:]
        case .colleagueInvited(_, let invitation, let email): ["invitation": invitation, "email": email]
        case .invitationRevoked(_, let invitation): ["invitation": invitation]
        case .colleagueJoined(_, let account, let invitation): ["account": account, "invitation": invitation]
        case .colleagueLeft(_, let account): ["account": account]
        case .ticketOpened(let id, _), .ticketChanged(let id, _, _), .ticketFilesDeleted(let id, _): ["ticket": id]
        case .accountCreated(_, let role, let company): ["role": role.rawValue, "company": company ?? ""]
        case .accountConfirmed, .passwordReset, .signInFailed: [:]
        case .signedIn(_, let source): ["source": source]
        case .apiTokenCreated(_, let name): ["name": name]
        case .devicesEnrolled(let serials): ["count": "\(serials.count)", "first": serials.first ?? ""]
        case .issued(let kind, _, let challenge, let reason, let caseID):
            ["kind": kind.rawValue, "challenge": String(challenge.prefix(16)), "reason": reason].merging(
                caseID.map { ["case": $0] } ?? [:]
            ) { first, _ in first }
        case .emailRecoveryMailed: ["outcome": "mailed"]
        case .emailRecoveryRefused(_, let why): ["outcome": String(why.prefix(200))]
        case .caseOpened(_, let serial, let channel): ["serial": serial, "channel": channel]
        case .caseChanged(_, let serial, let from, _, let why):
            ["serial": serial, "from": from].merging(why.map { ["why": String($0.prefix(200))] } ?? [:]) { first, _ in first }
        case .siteCreated(_, let name): ["name": name]
        case .deviceAdded(_, let site): ["site": site]
        case .deviceAddRefused(_, let why): ["why": why]
        case .siteShared(_, let company, let share, let mayReset):
            ["company": company, "share": share, "mayReset": mayReset ? "yes" : "no"]
        case .shareEnded(_, let company, let share, _): ["company": company, "share": share]
        case .resetRequested(let id, _, let mode): ["request": id, "mode": mode]
        case .resetChanged(let id, _, _, let code): ["request": id, "code": code ?? ""]
        case .commandSent(_, let id, let action, let request): ["command": id, "action": action, "request": request]
        case .commandEnded(_, let id, _, let code): ["command": id, "code": code ?? ""]
        case .recoveryReported(_, let event, let source): ["event": event, "source": source]
        case .firmwareReported(_, let firmware, let source): ["firmware": firmware, "source": source]
        case .accessRequested(let id, _, let owner): ["request": id, "owner": owner]
        case .accessAnswered(let id, _, _, let share): ["request": id, "share": share ?? ""]
        case .claimOpened(let id, _, let claimant): ["claim": id, "claimant": claimant]
        case .claimSettled(let id, _, _): ["claim": id]
        }
    }
}
