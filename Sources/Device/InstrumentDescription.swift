import MWP
import MosquitoModel

/// An instrument as `mosquito info --json` and the API's `/api/devices` describe it: who it is, and each channel
/// with the calibration it holds (kinds by name, not number). One rendering, so the two never drift apart.
public struct InstrumentDescription: Codable, Sendable, Equatable {
    /// One channel: its number, what a recording says of it (at the same level of the JSON object), and the
    /// calibration it holds.
    public struct Channel: Codable, Sendable, Equatable {
        public var index: Int
        public var channel: ChannelDescriptor
        /// value = c0 + c1·r + c2·r² + c3·r³; nil when the instrument would not say.
        public var calibration: CalibrationRecord?

        private enum CodingKeys: String, CodingKey { case index, calibration }

        init(index: Int, channel: ChannelDescriptor, calibration: CalibrationRecord?) {
            self.index = index
            self.channel = channel
            self.calibration = calibration
        }

        public init(from decoder: any Decoder) throws {
            channel = try ChannelDescriptor(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            index = try c.decode(Int.self, forKey: .index)
            calibration = try c.decodeIfPresent(CalibrationRecord.self, forKey: .calibration)
        }

        public func encode(to encoder: any Encoder) throws {
            try channel.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encodeIfPresent(calibration, forKey: .calibration)
        }
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
            Channel(index: i, channel: c, calibration: i < calibrations.count ? calibrations[i] : nil)
        }
    }
}
