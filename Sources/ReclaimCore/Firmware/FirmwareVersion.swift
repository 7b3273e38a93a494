extension DeviceModel.Firmware {
    /// The version's numbers (`V5.7.15` → `[5, 7, 15]`); nil when it is not written as a
    /// `V` and two to four dot-separated numbers of up to five digits each.
    ///
    /// Versions are compared by these numbers, never as text: as text `V5.7.3` would come
    /// after `V5.7.15`, and a downgrade would pass for an upgrade.
    public var versionNumbers: [Int]? {
        guard version.first == "V" || version.first == "v" else { return nil }
        let parts = version.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard (2...4).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard (1...5).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber), let number = Int(part) else {
                return nil
            }
            numbers.append(number)
        }
        return numbers
    }

    /// Whether the build is a date as devices print it: six digits, `YYMMDD`.
    public var hasValidBuild: Bool {
        build.utf8.count == 6 && build.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Whether this is a version and build devices can compare.
    public var isWellFormed: Bool { versionNumbers != nil && hasValidBuild }

    /// Whether this release comes after `other`: a higher version, or the same version with
    /// a later build. False when either cannot be compared.
    public func isNewer(than other: DeviceModel.Firmware) -> Bool {
        guard let mine = versionNumbers, let theirs = other.versionNumbers, hasValidBuild, other.hasValidBuild else { return false }
        // Missing trailing numbers count as zero: V5.8 is V5.8.0.
        let length = max(mine.count, theirs.count)
        let left = mine + Array(repeating: 0, count: length - mine.count)
        let right = theirs + Array(repeating: 0, count: length - theirs.count)
        if left != right { return left.lexicographicallyPrecedes(right) == false }
        // Six digits each, so comparing them as text compares the dates.
        return build > other.build
    }

    /// Whether this is the same release as `other`, however the version is spelled (`V5.8`
    /// and `V5.8.0`).
    public func isSameRelease(as other: DeviceModel.Firmware) -> Bool {
        guard isWellFormed, other.isWellFormed else { return self == other }
        return !isNewer(than: other) && !other.isNewer(than: self)
    }
}
