import Foundation
public import Hummingbird
import ReclaimCore
import WebSupport

/// One ISAPI resource: its path, written once; whether callers must sign in with HTTP
/// Digest first; the methods it answers, with their request bodies read into typed values.
protocol ISAPIResource: SendableMetatype {
    /// The path as real devices spell it; requests match it without regard to case.
    static var path: String { get }
    /// Whether the resource needs HTTP Digest (most do; activation and recovery don't).
    static var needsSignIn: Bool { get }
    /// The resource's methods, at its path.
    static func routes() -> RouteCollection<DeviceRequestContext>
}

extension ISAPIResource {
    static var needsSignIn: Bool { true }

    /// `<ResponseStatus>` OK for this resource.
    static var ok: Response { ISAPI.ok(path: path) }
}

/// Every ISAPI resource a device serves. `docs/device-api.md` describes them.
enum ISAPIResources {
    static let all: [any ISAPIResource.Type] = [
        // Before sign-in: activation, and the secret-transport exchange.
        ActivateStatusResource.self, SecretExchangeResource.self, ActivateResource.self, ExternCapabilitiesResource.self,
        // "Forgot password": no sign-in, every attempt counted by the lock-out.
        RecoveryModesResource.self, RecoveryQuestionsResource.self, RecoveryChallengeResource.self, GUIDRecoveryResource.self,
        QuestionCertificationResource.self, EmailCodeRecoveryResource.self, ResetKeyRecoveryResource.self,
        ResetFileRecoveryResource.self,
        // What a signed-in admin reads and changes.
        DeviceInfoResource.self, DeviceStatusResource.self, TimeResource.self, EventTriggersResource.self,
        MotionDetectionResource.self, UsersResource.self, AdminUserResource.self, UserCheckResource.self, UPnPResource.self,
        SecurityCapabilitiesResource.self, IllegalLoginLockResource.self, QuestionConfigurationResource.self,
        GUIDFileDataResource.self, SecurityEmailResource.self, RecoveryConfigurationResource.self, FirmwareUpdateResource.self,
    ]
}

/// Every way the device reads untrusted input into settings, for the fuzz target
/// (`reclaim-fuzz`, `device-input`): each must refuse what it cannot take, never crash.
public enum DeviceInputReaders {
    /// Reads `bytes` as the body of every ISAPI resource that takes one, as a device form,
    /// and applies what is read to a fresh device's rules.
    public static func feed(_ bytes: [UInt8]) {
        if let xml = try? XML.parse(bytes) {
            _ = try? SecretExchangeResource.Body(xml: xml)
            _ = try? ActivateResource.Body(xml: xml)
            _ = try? DeviceInfoResource.Body(xml: xml)
            _ = try? TimeResource.Body(xml: xml)
            _ = try? MotionDetectionResource.Body(xml: xml)
            _ = try? UPnPResource.Body(xml: xml)
            _ = try? AdminUserResource.Body(xml: xml)
            _ = try? QuestionConfigurationResource.Body(xml: xml)
            _ = try? RecoveryChallengeResource.Body(xml: xml)
            _ = try? GUIDRecoveryResource.proof(in: xml)
            _ = try? QuestionCertificationResource.proof(in: xml)
            var machine = DeviceMachine(profile: fuzzProfile, state: DeviceState())
            if let lock = try? IllegalLoginLockResource.Body(xml: xml) {
                _ = machine.setLockoutSettings(
                    maxFailuresPerSource: lock.maxFailuresPerSource, maxFailuresPerDevice: lock.maxFailuresPerDevice,
                    lockDuration: lock.lockDuration)
            }
            if let configuration = try? RecoveryConfigurationResource.Body(xml: xml) {
                _ = machine.setChallengeLifetime(configuration.lifetime)
            }
        }
        let form = SubmittedForm(fields: SubmittedForm.urlEncoded(String(decoding: bytes, as: UTF8.self)))
        if let lockout = try? LockoutForm(form) {
            var machine = DeviceMachine(profile: fuzzProfile, state: DeviceState())
            _ = machine.setLockoutSettings(
                maxFailuresPerSource: lockout.maxFailures, maxFailuresPerDevice: nil, lockDuration: lockout.lockDuration)
        }
        _ = try? JSONDecoder().decode(SecurityEmailResource.Body.self, from: Data(bytes))
    }

    static let fuzzProfile = DeviceProfile(
        identity: Factory.makeIdentity(model: DeviceModel.catalogue[0], authority: nil), hashCost: .light)
}

/// The router every device shares: the ISAPI resources and the web page.
public func buildDeviceRouter() -> Router<DeviceRequestContext> {
    let router = Router(context: DeviceRequestContext.self, options: [.caseInsensitive])
    let signedIn = router.group().add(middleware: DigestAuthMiddleware())
    for resource in ISAPIResources.all {
        if resource.needsSignIn {
            signedIn.addRoutes(resource.routes(), atPath: RouterPath(resource.path))
        } else {
            router.addRoutes(resource.routes(), atPath: RouterPath(resource.path))
        }
    }
    addWebRoutes(to: router)
    return router
}
