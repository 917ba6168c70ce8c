import MWP

/// An instrument as `mosquito info --json` and the API's `/api/devices` describe it: who it is, and each channel
/// with the calibration it holds (kinds by name, not number). One rendering, so the two never drift apart.
public struct InstrumentDescription: Codable, Sendable, Equatable {
    public struct Channel: Codable, Sendable, Equatable {
        public var index: Int
        public var name: String
        public var kind: String
        public var unit: String
        public var adcBits: Int
        public var rawMin: Int32
        public var rawMax: Int32
        /// value = c0 + c1·r + c2·r² + c3·r³; nil when the instrument would not say.
        public var calibration: CalibrationRecord?
    }

    public var uri: String
    public var serial: String
    public var design: String
    public var hardwareRevision: Int
    public var firmware: String
    public var maxRateHz: UInt32
    public var channels: [Channel]

    /// `calibrations[i]` is what channel `i` holds (nil: unknown).
    public init(uri: String, identity: IdentityRecord, calibrations: [CalibrationRecord?]) {
        self.uri = uri
        serial = identity.serial
        design = identity.design
        hardwareRevision = Int(identity.hardwareRevision)
        firmware = identity.firmware.description
        maxRateHz = identity.maxRateHz
        channels = identity.channels.enumerated().map { i, c in
            Channel(
                index: i, name: c.name, kind: c.kind.description, unit: c.unit, adcBits: Int(c.adcBits), rawMin: c.rawMin,
                rawMax: c.rawMax, calibration: i < calibrations.count ? calibrations[i] : nil)
        }
    }
}
