/// A channel as text describes it — a recording's attributes, `inspect --json`, `info --json`, the API: the
/// kind by its name. A file may name a kind this version does not know; it is kept as written.
public struct ChannelDescription: Sendable, Codable, Equatable {
    public var name: String
    /// What the channel measures: a ``ChannelKind`` name (`voltage`, `force`, `temperature`, …).
    public var kind: String
    /// Unit of the calibrated value, e.g. `V`.
    public var unit: String
    public var adcBits: Int
    public var rawMin: Int32
    public var rawMax: Int32

    public init(name: String, kind: String, unit: String, adcBits: Int, rawMin: Int32, rawMax: Int32) {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.adcBits = adcBits
        self.rawMin = rawMin
        self.rawMax = rawMax
    }

    public init(_ d: ChannelDescriptor) {
        self.init(name: d.name, kind: d.kind.name, unit: d.unit, adcBits: Int(d.adcBits), rawMin: d.rawMin, rawMax: d.rawMax)
    }

    /// As an instrument would describe it: a kind it does not know is `other`, the ADC width clamped to a byte.
    public var descriptor: ChannelDescriptor {
        ChannelDescriptor(
            kind: ChannelKind(name: kind) ?? .other, adcBits: UInt8(clamping: adcBits), unit: unit, name: name,
            rawMin: rawMin, rawMax: rawMax)
    }
}
