/// One channel as the instrument describes it.
public struct ChannelDescriptor: Sendable, Equatable, Codable {
    public var kind: ChannelKind
    public var adcBits: UInt8
    public var unit: String
    public var name: String
    public var rawMin: Int32
    public var rawMax: Int32

    public init(kind: ChannelKind, adcBits: UInt8, unit: String, name: String, rawMin: Int32, rawMax: Int32) {
        self.kind = kind
        self.adcBits = adcBits
        self.unit = unit
        self.name = name
        self.rawMin = rawMin
        self.rawMax = rawMax
    }
}

/// A firmware release, `major.minor.patch`.
public struct FirmwareVersion: Sendable, Hashable, Codable, CustomStringConvertible {
    public var major: UInt8
    public var minor: UInt8
    public var patch: UInt8

    public init(major: UInt8, minor: UInt8, patch: UInt8) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Reads `MAJOR.MINOR.PATCH` (each 0–255) back; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 3 else { return nil }
        self.init(major: parts[0], minor: parts[1], patch: parts[2])
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}
