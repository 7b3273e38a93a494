public import Hummingbird
public import Logging
public import NIOCore

/// Where a device request comes from: the connection, and the device it reached.
public struct DeviceContextSource: RequestContextSource {
    public let channel: any Channel
    public let logger: Logger
    public let device: Device
}

/// The context of every request a device answers: which device (a farm serves many
/// from one router) and the caller's address, which the lock-out counts by.
public struct DeviceRequestContext: RequestContext {
    public typealias Source = DeviceContextSource
    public var coreContext: CoreRequestContextStorage
    public let device: Device
    /// The caller's IP address.
    public let source: String

    public init(source: DeviceContextSource) {
        self.coreContext = .init(source: source)
        self.device = source.device
        self.source = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Uploads are GUID and reset files of a few kilobytes; anything larger is refused.
    public var maxUploadSize: Int { 64 * 1024 }
}
