/// One channel, as the instrument describes it on the wire and as a recording, `inspect --json`, `info --json`
/// and the API describe it (the kind by its name there; a kind read from a file may be one this version does
/// not know).
public struct ChannelDescriptor: Sendable, Equatable {
    public var kind: ChannelKind
    /// Bits of the ADC; the wire carries 1 to 32, a file says what it says.
    public var adcBits: Int
    /// Unit of the calibrated value, e.g. `V`.
    public var unit: String
    public var name: String
    public var rawMin: Int32
    public var rawMax: Int32

    public init(kind: ChannelKind, adcBits: Int, unit: String, name: String, rawMin: Int32, rawMax: Int32) {
        self.kind = kind
        self.adcBits = adcBits
        self.unit = unit
        self.name = name
        self.rawMin = rawMin
        self.rawMax = rawMax
    }
}

/// JSON as a recording describes a channel (`inspect --json`, `info --json`, the API): the kind by its name.
extension ChannelDescriptor: Codable {
    private enum CodingKeys: String, CodingKey { case name, kind, unit, adcBits, rawMin, rawMax }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: ChannelKind(name: try c.decode(String.self, forKey: .kind)), adcBits: try c.decode(Int.self, forKey: .adcBits),
            unit: try c.decode(String.self, forKey: .unit), name: try c.decode(String.self, forKey: .name),
            rawMin: try c.decode(Int32.self, forKey: .rawMin), rawMax: try c.decode(Int32.self, forKey: .rawMax))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind.name, forKey: .kind)
        try c.encode(unit, forKey: .unit)
        try c.encode(adcBits, forKey: .adcBits)
        try c.encode(rawMin, forKey: .rawMin)
        try c.encode(rawMax, forKey: .rawMax)
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
