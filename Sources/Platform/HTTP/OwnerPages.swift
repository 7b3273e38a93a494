import Foundation
import Hummingbird
import ReclaimCore
import WebSupport

/// The owner app (`/app`: devices, sites, shares, reset requests to answer) and the
/// installer portal's "Sites and devices" (`/sites`: shared sites, online state, "Reset
/// device password"), on the portal's page layer.
extension GuardedRouter {
    mutating func addOwnerPages() {
        let services = services
        @Sendable func portal(_ request: Request, _ caller: SignedIn) async -> PortalPage {
            await PortalPage.signedIn(request, caller, services)
        }
        let owners: Access = .roles([.owner])
        let installers: Access = .roles([.installer])

        @Sendable func online(_ serial: String, _ portal: PortalPage) async -> [String: Any] {
            await OwnerValues(services: services, portal: portal).online(serial)
        }
        @Sendable func requestValues(_ request: ResetRequest, _ portal: PortalPage) async throws -> [String: Any] {
            try await OwnerValues(services: services, portal: portal).request(request)
        }

        // MARK: Installers: Sites and devices

        add(.get, "/sites", signedIn: installers) { request, caller in
            try await InstallerSites(services: services, portal: await portal(request, caller), account: caller.account).render()
        }

        /// The installer's "Reset device password" form; after a refusal (the device offline,
        /// a request already open, not on the device's network), with the reason and the
        /// mode that was chosen.
        @Sendable func askPage(
            _ device: DeviceView, _ portal: PortalPage, chosen: ResetRequest.Mode = .offSite, status: HTTPResponse.Status = .ok,
            error: String? = nil
        ) async -> Response {
            var values: [String: Any] = ["serial": device.serial, "model": device.model]
            // Off-site first, and chosen: the installer need not be at the device.
            values["modes"] = ResetRequest.Mode.allCases.map { mode in
                [
                    "value": mode.rawValue, "name": portal.t("resetMode." + mode.rawValue),
                    "hint": portal.t("resetModeHint." + mode.rawValue), "chosen": mode == chosen,
                ] as [String: Any]
            }
            values.merge(await online(device.serial, portal)) { _, new in new }
            return portal.page.render("reset-ask", title: portal.t("resetAskTitle"), status: status, error: error, values)
        }

        add(.get, "/sites/devices/{serial}/reset", signedIn: installers, owning: .device) { request, caller, device in
            await askPage(device, await portal(request, caller))
        }

        add(.post, "/sites/devices/{serial}/reset", signedIn: installers, owning: .device) { request, caller, device in
            let portal = await portal(request, caller)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            let mode = ResetRequest.Mode(rawValue: form["mode"]) ?? .offSite
            do {
                let sent = try await services.resets.request(serial: device.serial, mode: mode, by: caller.account, source: caller.source)
                return portal.page.redirect(
                    "/sites/requests/\(sent.request.id)?to=\(sent.ownerEmail.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                )
            } catch let error as PlatformError {
                let failure = PlatformFailure(error)
                return await askPage(device, portal, chosen: mode, status: failure.httpStatus, error: portal.page.message(failure))
            }
        }

        add(.get, "/sites/requests/{id}", signedIn: installers, owning: .resetRequest) { request, caller, value in
            let portal = await portal(request, caller)
            var values = try await requestValues(value, portal)
            if let to = request.uri.queryParameters["to"].map(String.init), !to.isEmpty {
                values["sent"] = portal.t("resetSent", ["email": to])
            }
            return portal.page.render("reset-request", title: portal.t("resetRequestTitle"), values)
        }

        add(.post, "/sites/requests/{id}/cancel", signedIn: installers, owning: .resetRequest) { request, caller, value in
            let portal = await portal(request, caller)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            _ = try await services.resets.cancel(id: value.id, by: caller.account)
            return portal.page.redirect("/sites/requests/\(value.id)")
        }

        // MARK: Owners: the owner app

        add(.get, "/app", signedIn: owners) { request, caller in
            try await OwnerHome(services: services, portal: await portal(request, caller), account: caller.account).render()
        }

        // The serial and code typed, or read from a photo of the label's QR code (the
        // phone's camera: `<input type=file accept=image/* capture>`).
        add(.post, "/app/devices", signedIn: owners) { request, caller in
            let portal = await portal(request, caller)
            let form = try await SubmittedForm.read(request, limit: caller.context.maxUploadSize, fileFields: ["photo"], offloaded: true)
            guard portal.page.csrf.matches(form) else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            do {
                var serial = form["serial"], code = form["code"]
                if let photo = form.files["photo"], !photo.isEmpty, serial.isEmpty || code.isEmpty {
                    guard let label = try await LabelPhoto.read(photo) else {
                        throw PlatformError(
                            .invalidInput,
                            "The photo shows no label QR code that can be read: take it again, close and straight, or type the serial number and the code.",
                            localized: .init("labelPhotoUnreadable"))
                    }
                    serial = label.serial.text
                    code = label.verificationCode
                }
                _ = try await services.sites.addDevice(
                    serial: serial, labelCode: code, name: form["name"], into: SiteChoice(menu: form["site"], newName: form["siteName"]),
                    by: caller.account)
            } catch let error as PlatformError {
                return try await OwnerHome(services: services, portal: portal, account: caller.account).refused(error, "add", form)
            }
            return portal.page.redirect("/app?done=deviceAdded")
        }

        add(.post, "/app/sites/{id}/shares", signedIn: owners, owning: .site) { request, caller, site in
            let portal = await portal(request, caller)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            do {
                _ = try await services.sites.share(
                    site: site.id, with: form["company"].trimmingCharacters(in: .whitespaces), mayReset: form["mayReset"] == "true",
                    by: caller.account)
            } catch let error as PlatformError {
                // A mistyped company code, mostly: the site's form keeps it to correct.
                let failure = PlatformFailure(error)
                return try await OwnerHome(services: services, portal: portal, account: caller.account).render(
                    status: failure.httpStatus, error: portal.page.message(failure),
                    kept: ["share": ["site": site.id, "company": form["company"]]])
            }
            return portal.page.redirect("/app?done=shared")
        }

        add(.post, "/app/shares/{id}/revoke", signedIn: owners, owning: .share) { request, caller, owned in
            let portal = await portal(request, caller)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            try await services.sites.revoke(share: owned.share.id, by: caller.account)
            return portal.page.redirect("/app?done=revoked")
        }

        add(.get, "/app/requests/{id}", signedIn: owners, owning: .resetRequest) { request, caller, value in
            let portal = await portal(request, caller)
            var values = try await requestValues(value, portal)
            if let serial = SerialNumber(value.serial), let enrollment = try await services.authority.enrollment(serial: serial) {
                values["deviceKey"] = enrollment.agreementKey
                let policy = PasswordPolicy(DeviceModel.named(enrollment.model)?.passwordProfile ?? .compatible)
                values["minLength"] = policy.minimumLength
                values["policy"] = portal.t("resetPolicy", ["length": "\(policy.minimumLength)"])
                // The device's rules, for the page to check before it seals the password (the
                // platform never sees it); the list of common passwords stays the device's.
                let language = portal.page.language
                values["rules"] =
                    [
                        "maxLength": policy.maximumLength, "kinds": policy.requiredCharacterKinds,
                        "asciiOnly": policy.profile == .compatible, "userName": PasswordPolicy.adminUserName,
                        "short": PasswordPolicy.Violation.tooShort(minimum: policy.minimumLength).message(language: language),
                        "long": PasswordPolicy.Violation.tooLong(maximum: policy.maximumLength).message(language: language),
                        "fewKinds": PasswordPolicy.Violation.tooFewCharacterKinds(required: policy.requiredCharacterKinds).message(
                            language: language),
                        "user": PasswordPolicy.Violation.containsUserName.message(language: language),
                        "characters": PasswordPolicy.Violation.unsupportedCharacter.message(language: language),
                    ] as [String: Any]
            }
            return portal.page.render("app-request", title: portal.t("resetRequestTitle"), values)
        }

        add(.post, "/app/requests/{id}/approve", signedIn: owners, owning: .resetRequest) { request, caller, value in
            let portal = await portal(request, caller)
            guard let form = try await portal.form() else {
                return portal.page.message(title: portal.t("form.expired"), status: .forbidden)
            }
            guard let sealed = Bytes.fromBase64(form["sealed"]) else {
                throw PlatformError(
                    .invalidInput, "The sealed password is not what the owner app sends.", localized: .init("resetSealedInvalid"))
            }
            _ = try await services.resets.approve(id: value.id, sealedPassword: sealed, by: caller.account, source: caller.source)
            return portal.page.redirect("/app/requests/\(value.id)")
        }

        add(.post, "/app/requests/{id}/decline", signedIn: owners, owning: .resetRequest) { request, caller, value in
            let portal = await portal(request, caller)
            guard try await portal.form() != nil else { return portal.page.message(title: portal.t("form.expired"), status: .forbidden) }
            _ = try await services.resets.decline(id: value.id, by: caller.account)
            return portal.page.redirect("/app/requests/\(value.id)")
        }

        add(.get, "/app/manifest.webmanifest", .anyone) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/manifest+json", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: OwnerScript.manifest)))
        }
        for (size, icon) in OwnerScript.icons {
            add(.get, "/app/icon-\(size).png", .anyone) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "image/png", .cacheControl: "public, max-age=86400"],
                    body: .init(byteBuffer: ByteBuffer(bytes: icon)))
            }
        }
        add(.get, "/static/owner.js", .anyone) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: OwnerScript.text)))
        }
    }
}

/// What the owner app and the installer's "Sites and devices" say of a device's link and of
/// a reset request.
struct OwnerValues {
    let services: PlatformServices
    let portal: PortalPage

    func online(_ serial: String) async -> [String: Any] {
        let link = try? await services.links.link(serial: serial)
        let up = link?.online == true
        var values: [String: Any] = ["online": up, "onlineText": up ? portal.t("deviceOnline") : portal.t("deviceOffline")]
        if let link { values["since"] = portal.when(link.since, services) }
        return values
    }

    func request(_ request: ResetRequest) async throws -> [String: Any] {
        let company = try await services.accounts.company(id: request.companyId)?.name ?? request.companyId
        let asker = try await services.accounts.account(id: request.requestedBy)?.name ?? ""
        var values: [String: Any] = [
            "id": request.id, "serial": request.serial, "model": request.model, "company": company, "asker": asker,
            "mode": portal.t("resetMode." + request.mode.rawValue), "modeHint": portal.t("resetModeHint." + request.mode.rawValue),
            "state": portal.t("resetState." + request.state.rawValue), "stateValue": request.state.rawValue,
            "expires": portal.when(request.expiresAt, services), "expiresAt": request.expiresAt, "open": request.state.isOpen,
            "pending": request.state == .pending, "onSite": request.mode == .onSite,
        ]
        if let failure = request.failureText(portal.page.language, services.portalSurface.strings) { values["failure"] = failure }
        return values
    }
}

/// The owner app's home: services to answer, sites and devices, and the forms to add or
/// claim a device.
struct OwnerHome {
    let services: PlatformServices
    let portal: PortalPage
    let account: Account

    /// The page; after a refused form, with the reason at the top and what was typed in
    /// `kept` (under `add` or `claim`: serial, code, name, siteName, site; under `share`: the
    /// site and the company code), so nothing is typed twice.
    func render(status: HTTPResponse.Status = .ok, error: String? = nil, kept: [String: Any] = [:]) async throws -> Response {
        let describe = OwnerValues(services: services, portal: portal)
        let devices = try await services.sites.devices(of: account)
        var sites: [[String: Any]] = []
        for site in try await services.sites.sites(of: account) {
            var deviceValues: [[String: Any]] = []
            for device in devices where device.siteId == site.id {
                var values: [String: Any] = ["serial": device.serial, "name": device.name]
                values.merge(await describe.online(device.serial)) { _, new in new }
                deviceValues.append(values)
            }
            var shares: [[String: Any]] = []
            for share in try await services.sites.shares(of: site.id) where share.state == .active {
                let company = try await services.accounts.company(id: share.companyId)?.name ?? share.companyId
                shares.append(["id": share.id, "company": company, "mayReset": share.mayReset])
            }
            var siteValues: [String: Any] = ["id": site.id, "name": site.name, "devices": deviceValues, "shares": shares]
            if let share = kept["share"] as? [String: String], share["site"] == site.id { siteValues["typedCompany"] = share["company"] }
            sites.append(siteValues)
        }
        var pending: [[String: Any]] = []
        for value in try await services.resets.list(for: account, limit: 20) where value.state == .pending {
            pending.append(try await describe.request(value))
        }
        var access: [[String: Any]] = []
        for value in try await services.sites.accessRequests(for: account) where value.state == .pending {
            let company = try await services.accounts.company(id: value.companyId)?.name ?? value.companyId
            access.append(["id": value.id, "company": company, "note": value.note, "mayReset": value.mayReset])
        }
        var claims: [[String: Any]] = []
        for claim in try await services.claims.claims(for: account) where claim.state == .pending {
            claims.append([
                "id": claim.id, "serial": claim.serial, "until": portal.when(claim.decidesAt, services),
                "mine": claim.ownerId == account.id,
            ])
        }
        var values: [String: Any] = [
            "sites": sites, "hasSites": !sites.isEmpty, "pending": pending, "access": access, "claims": claims,
            "siteChoices": sites.map { ["id": $0["id"]!, "name": $0["name"]!] },
        ]
        // The site chosen in a refused form stays chosen.
        let chosen = ["add", "claim"].compactMap { (kept[$0] as? [String: Any])?["site"] as? String }.first
        var page: [String: Any] = [
            "sites": sites, "hasSites": !sites.isEmpty, "pending": pending, "access": access, "claims": claims,
            "siteChoices": sites.map { ["id": $0["id"]!, "name": $0["name"]!, "selected": chosen == $0["id"] as? String] },
        ]
        page.merge(kept) { _, new in new }
        return portal.page.render("app", title: portal.t("appTitle"), status: status, error: error, page)
    }

    /// A refused add or claim (`form`): the page again, the reason at the top, the form as typed.
    func refused(_ error: PlatformError, _ form: String, _ typed: SubmittedForm) async throws -> Response {
        let failure = PlatformFailure(error)
        let kept: [String: Any] = [
            "serial": typed["serial"], "code": typed["code"], "name": typed["name"], "siteName": typed["siteName"], "site": typed["site"],
            "newSite": SiteChoice(menu: typed["site"], newName: "") == .new(name: ""),
        ]
        return try await render(status: failure.httpStatus, error: portal.page.message(failure), kept: [form: kept])
    }
}

/// The installer's "Sites and devices": the sites shared with the company, reset requests,
/// authorisation requests and the form to send one.
struct InstallerSites {
    let services: PlatformServices
    let portal: PortalPage
    let account: Account

    /// The page; after a refused authorisation request, with the reason at the top and the
    /// form as typed (`email`, `note`, `mayReset`).
    func render(status: HTTPResponse.Status = .ok, error: String? = nil, typed: SubmittedForm? = nil) async throws -> Response {
        let describe = OwnerValues(services: services, portal: portal)
        var sites: [[String: Any]] = []
        for shared in try await services.sites.sharedSites(with: account.companyId ?? "") {
            var devices: [[String: Any]] = []
            for device in shared.devices {
                var values: [String: Any] = ["serial": device.serial, "name": device.name, "mayReset": shared.share.mayReset]
                values.merge(await describe.online(device.serial)) { _, new in new }
                devices.append(values)
            }
            sites.append(["name": shared.site.name, "devices": devices])
        }
        var requests: [[String: Any]] = []
        for value in try await services.resets.list(for: account, limit: 20) {
            requests.append(try await describe.request(value))
        }
        var access: [[String: Any]] = []
        for value in try await services.sites.accessRequests(for: account) {
            let owner = try await services.accounts.account(id: value.ownerId)
            access.append([
                "id": value.id, "owner": owner.map { ChallengeSummary.masked($0.email) } ?? "", "note": value.note,
                "state": portal.t("accessState." + value.state.rawValue), "when": portal.when(value.createdAt, services),
            ])
        }
        var values: [String: Any] = [
            "sites": sites, "requests": requests, "companyId": account.companyId ?? "", "access": access, "askMayReset": true,
        ]
        if let typed {
            values["asked"] = ["email": typed["email"], "note": typed["note"]]
            values["askMayReset"] = typed["mayReset"] == "true"
        }
        return portal.page.render("sites", title: portal.t("sitesTitle"), status: status, error: error, values)
    }
}
