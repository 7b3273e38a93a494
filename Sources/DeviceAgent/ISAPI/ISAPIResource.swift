public import Hummingbird
import ReclaimCore

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
        GUIDFileDataResource.self, SecurityEmailResource.self, RecoveryConfigurationResource.self,
    ]
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
