public import Foundation
public import ReclaimCore

/// How a device runs, as opposed to what it stores.
public struct DeviceConfiguration: Sendable {
    /// Cost of the slow hashes of passwords, answers and GUIDs.
    public var hashCost: SlowHash.Cost = .standard
    /// The device's clock; tests move it forward.
    public var clock: @Sendable () -> Date = { Date() }

    public init(hashCost: SlowHash.Cost = .standard, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.hashCost = hashCost
        self.clock = clock
    }
}
