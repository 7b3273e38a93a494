import Foundation
import Hummingbird
import ReclaimCore

/// What a signed-in admin reads and sets about the device itself.

/// `/ISAPI/System/deviceInfo`: identity and name; the name can change.
struct DeviceInfoResource: ISAPIResource {
    static let path = "/ISAPI/System/deviceInfo"

    /// `<DeviceInfo><deviceName>…</deviceName></DeviceInfo>`
    struct Body: ISAPIRequestBody {
        let name: String

        init(xml: XMLElement) throws(DeviceError) {
            guard let name = xml.value("deviceName"), !name.isEmpty, name.count <= 64 else {
                throw DeviceError(.badRequest, "Send a <deviceName> of 1 to 64 characters.")
            }
            self.name = name
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in
            // Clients fetch it on every connect: answered from the cache without an actor hop.
            if let cached = context.device.cachedDeviceInfoDocument { return ISAPI.xml(cached) }
            return ISAPI.xml(await context.device.deviceInfoDocument())
        }
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            try await context.device.updateSettings { $0.deviceName = body.name }
            return ok
        }
        return routes
    }
}

/// `/ISAPI/System/status`: time, uptime, load, activation.
struct DeviceStatusResource: ISAPIResource {
    static let path = "/ISAPI/System/status"

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in ISAPI.xml(ISAPIDocuments.status(await context.device.snapshot)) }
        return routes
    }
}

/// `/ISAPI/System/time`: the clock and its time zone.
struct TimeResource: ISAPIResource {
    static let path = "/ISAPI/System/time"

    /// `<Time><timeZone>CST-1:00:00</timeZone></Time>`
    struct Body: ISAPIRequestBody {
        let timeZone: String

        init(xml: XMLElement) throws(DeviceError) {
            guard let zone = xml.value("timeZone"), zone.count <= 32, !zone.isEmpty else {
                throw DeviceError(.badRequest, "Send a <timeZone> such as CST-1:00:00.")
            }
            timeZone = zone
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in ISAPI.xml(ISAPIDocuments.time(await context.device.snapshot)) }
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            try await context.device.updateSettings { $0.timeZone = body.timeZone }
            return ok
        }
        return routes
    }
}

/// `/ISAPI/Event/triggers`: the event triggers of each channel.
struct EventTriggersResource: ISAPIResource {
    static let path = "/ISAPI/Event/triggers"

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in ISAPI.xml(ISAPIDocuments.triggers(context.device.identity)) }
        return routes
    }
}

/// `/ISAPI/System/Video/inputs/channels/1/motionDetection`: motion detection of channel 1.
struct MotionDetectionResource: ISAPIResource {
    static let path = "/ISAPI/System/Video/inputs/channels/1/motionDetection"

    /// `<MotionDetection><enabled>…</enabled>…<sensitivityLevel>0–100</sensitivityLevel></MotionDetection>`
    struct Body: ISAPIRequestBody {
        let enabled: Bool?
        let sensitivity: Int?

        init(xml: XMLElement) throws(DeviceError) {
            enabled = xml.bool("enabled")
            let level = xml.first(named: "sensitivityLevel")?.text.trimmingCharacters(in: .whitespaces)
            sensitivity = level.flatMap { Int($0) }
            guard enabled != nil || sensitivity != nil, level == nil || sensitivity != nil, (sensitivity ?? 50) >= 0,
                (sensitivity ?? 50) <= 100
            else {
                throw DeviceError(.badRequest, "Send <enabled>true|false</enabled> and/or a <sensitivityLevel> of 0–100.")
            }
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in ISAPI.xml(ISAPIDocuments.motionDetection(await context.device.snapshot)) }
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            try await context.device.updateSettings { settings in
                if let enabled = body.enabled { settings.motionDetectionEnabled = enabled }
                if let sensitivity = body.sensitivity { settings.motionSensitivity = sensitivity }
            }
            return ok
        }
        return routes
    }
}

/// `/ISAPI/System/Network/UPnP`: port mapping, off by default.
struct UPnPResource: ISAPIResource {
    static let path = "/ISAPI/System/Network/UPnP"

    /// `<UPnP><enabled>true|false</enabled></UPnP>`
    struct Body: ISAPIRequestBody {
        let enabled: Bool

        init(xml: XMLElement) throws(DeviceError) {
            guard let enabled = xml.bool("enabled") else {
                throw DeviceError(.badRequest, "Send <UPnP><enabled>true|false</enabled></UPnP>.")
            }
            self.enabled = enabled
        }
    }

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.get { _, context in
            ISAPI.xml(ISAPI.document("UPnP", [.leaf("enabled", await context.device.settings.upnpEnabled ? "true" : "false")]))
        }
        routes.put { request, context in
            let body = try await request.decode(Body.self)
            try await context.device.updateSettings { $0.upnpEnabled = body.enabled }
            return ok
        }
        return routes
    }
}

/// `/ISAPI/System/updateFirmware`: the body is a firmware package, installed when it is
/// signed by a trusted release key, for this model and newer than the running firmware.
struct FirmwareUpdateResource: ISAPIResource {
    static let path = "/ISAPI/System/updateFirmware"

    static func routes() -> RouteCollection<DeviceRequestContext> {
        let routes = RouteCollection(context: DeviceRequestContext.self)
        routes.put { request, context in
            let refusal = DeviceError(firmware: .tooLarge(limit: FirmwarePackage.maxSize))
            // Refused before a byte is read when the client says it is too large.
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > FirmwarePackage.maxSize { throw refusal }
            let bytes: [UInt8]
            do {
                bytes = try await request.bodyBytes(limit: FirmwarePackage.maxSize)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw refusal
            }
            let update = try await context.device.installFirmware(bytes, source: context.source)
            // What clients read back: the release now running, and the one it replaced.
            return ISAPI.ok(
                path: path,
                extra: [
                    .leaf("firmwareVersion", update.firmware.version), .leaf("firmwareReleasedDate", "build \(update.firmware.build)"),
                    .leaf("previousFirmwareVersion", update.previous.version),
                    .leaf("previousFirmwareReleasedDate", "build \(update.previous.build)"),
                ])
        }
        return routes
    }
}
