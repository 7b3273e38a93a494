public import Foundation
public import ReclaimCore

/// How a device runs, as opposed to what it stores.
public struct DeviceConfiguration: Sendable {
    /// Cost of the slow hashes of passwords, answers and GUIDs.
    public var hashCost: SlowHash.Cost = .standard
    /// The device's clock; tests move it forward.
    public var clock: @Sendable () -> Date = { Date() }
    /// The release keys the device's boot firmware trusts to sign firmware packages: public
    /// keys only (`reclaim-device --firmware-key`). Without one, every package is refused.
    ///
    /// They come with the firmware the device runs, not with its identity, as on hardware
    /// where the key is in the boot loader: a device made before a key existed trusts it
    /// from its next start.
    public var releaseKeys: [ReleaseKey] = []

    public init(
        hashCost: SlowHash.Cost = .standard, releaseKeys: [ReleaseKey] = [], clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.hashCost = hashCost
        self.releaseKeys = releaseKeys
        self.clock = clock
    }
}
