// mk/fuzz.mk compiles MWP and the model into one module for libFuzzer, where there is no model to import.
#if !MWP_FUZZ_SINGLE_MODULE
import MosquitoModel
#endif

extension ChannelDescriptor {
    /// kind, adc_bits, unit[8], name[16], raw_min, raw_max.
    public static let wireLength = 1 + 1 + 8 + 16 + 4 + 4
}

/// Who the instrument is: the answer to HELLO.
public struct IdentityRecord: Sendable, Equatable {
    public var serial: String
    public var design: String
    public var hardwareRevision: UInt16
    public var firmware: FirmwareVersion
    public var maxRateHz: UInt32
    public var channels: [ChannelDescriptor]

    /// Fixed part before the channel list.
    public static let headerLength = 16 + 16 + 2 + 3 + 1 + 4
    /// A channel mask is 32 bits wide, and the frame must fit in `MWP.maxPayloadLength` with its status byte.
    public static let maxChannels = 32

    public init(
        serial: String, design: String, hardwareRevision: UInt16, firmware: FirmwareVersion,
        maxRateHz: UInt32, channels: [ChannelDescriptor]
    ) {
        self.serial = serial
        self.design = design
        self.hardwareRevision = hardwareRevision
        self.firmware = firmware
        self.maxRateHz = maxRateHz
        self.channels = channels
    }

    public init(unit: UnitIdentity, maxRateHz: UInt32, channels: [ChannelDescriptor]) {
        self.init(
            serial: unit.serial, design: unit.design, hardwareRevision: unit.hardwareRevision, firmware: unit.firmware,
            maxRateHz: maxRateHz, channels: channels)
    }

    /// Which unit this is.
    public var unit: UnitIdentity {
        UnitIdentity(serial: serial, design: design, hardwareRevision: hardwareRevision, firmware: firmware)
    }

    /// Whether a CONFIGURE mask names at least one channel and only channels this instrument has.
    public func fits(channelMask mask: UInt32) -> Bool {
        mask != 0 && (channels.count >= 32 || mask >> UInt32(channels.count) == 0)
    }

    public func validate() throws(MessageError) {
        try FixedString.validate(serial, width: 16, field: "serial")
        try FixedString.validate(design, width: 16, field: "design")
        guard channels.count <= Self.maxChannels else {
            throw .invalidValue("identity declares \(channels.count) channels; at most \(Self.maxChannels)")
        }
        for (i, c) in channels.enumerated() {
            try FixedString.validate(c.unit, width: 8, field: "channel \(i) unit")
            try FixedString.validate(c.name, width: 16, field: "channel \(i) name")
            guard c.rawMin <= c.rawMax else { throw .invalidValue("channel \(i) raw_min > raw_max") }
            guard Self.adcBitsRange.contains(c.adcBits) else {
                throw .invalidValue("channel \(i) adc_bits \(c.adcBits) is outside 1-32")
            }
        }
    }

    /// A 32-bit sample holds at most 32 bits of ADC; 0 bits measures nothing.
    public static let adcBitsRange: ClosedRange<Int> = 1...32

    public func encode(into w: inout WireWriter) {
        w.fixedString(serial, width: 16)
        w.fixedString(design, width: 16)
        w.u16(hardwareRevision)
        w.u8(firmware.major)
        w.u8(firmware.minor)
        w.u8(firmware.patch)
        w.u8(UInt8(channels.count))
        w.u32(maxRateHz)
        for c in channels {
            w.u8(c.kind.code)
            w.u8(UInt8(clamping: c.adcBits))
            w.fixedString(c.unit, width: 8)
            w.fixedString(c.name, width: 16)
            w.i32(c.rawMin)
            w.i32(c.rawMax)
        }
    }

    public static func decode(_ r: inout WireReader) throws(MessageError) -> IdentityRecord {
        let serial = try r.fixedString(width: 16, field: "serial")
        let design = try r.fixedString(width: 16, field: "design")
        let revision = try r.u16()
        let firmware = FirmwareVersion(major: try r.u8(), minor: try r.u8(), patch: try r.u8())
        let count = Int(try r.u8())
        let maxRate = try r.u32()
        guard count <= maxChannels else {
            throw .invalidValue("identity declares \(count) channels; at most \(maxChannels)")
        }
        // Check the length before allocating, so an absurd count costs nothing.
        guard r.remaining >= count * ChannelDescriptor.wireLength else { throw .truncated }
        var channels: [ChannelDescriptor] = []
        channels.reserveCapacity(count)
        for i in 0..<count {
            let rawKind = try r.u8()
            guard let kind = ChannelKind(code: rawKind) else {
                throw .invalidValue("channel \(i) has unknown kind \(rawKind)")
            }
            let bits = Int(try r.u8())
            guard adcBitsRange.contains(bits) else { throw .invalidValue("channel \(i) adc_bits \(bits) is outside 1-32") }
            let unit = try r.fixedString(width: 8, field: "channel \(i) unit")
            let name = try r.fixedString(width: 16, field: "channel \(i) name")
            let lo = try r.i32()
            let hi = try r.i32()
            guard lo <= hi else { throw .invalidValue("channel \(i) raw_min > raw_max") }
            channels.append(ChannelDescriptor(kind: kind, adcBits: bits, unit: unit, name: name, rawMin: lo, rawMax: hi))
        }
        return IdentityRecord(
            serial: serial, design: design, hardwareRevision: revision, firmware: firmware,
            maxRateHz: maxRate, channels: channels)
    }
}

/// JSON as the calibration history has always stored an identity (a history line is never rewritten): each
/// channel as the wire carries it, the kind by its number.
extension IdentityRecord: Codable {
    private enum CodingKeys: String, CodingKey { case serial, design, hardwareRevision, firmware, maxRateHz, channels }
    private enum ChannelKeys: String, CodingKey { case kind, adcBits, unit, name, rawMin, rawMax }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var list = try c.nestedUnkeyedContainer(forKey: .channels)
        var channels: [ChannelDescriptor] = []
        while !list.isAtEnd {
            let ch = try list.nestedContainer(keyedBy: ChannelKeys.self)
            let code = try ch.decode(UInt8.self, forKey: .kind)
            guard let kind = ChannelKind(code: code) else {
                throw DecodingError.dataCorruptedError(forKey: .kind, in: ch, debugDescription: "unknown channel kind \(code)")
            }
            channels.append(ChannelDescriptor(
                kind: kind, adcBits: Int(try ch.decode(UInt8.self, forKey: .adcBits)), unit: try ch.decode(String.self, forKey: .unit),
                name: try ch.decode(String.self, forKey: .name), rawMin: try ch.decode(Int32.self, forKey: .rawMin),
                rawMax: try ch.decode(Int32.self, forKey: .rawMax)))
        }
        self.init(
            serial: try c.decode(String.self, forKey: .serial), design: try c.decode(String.self, forKey: .design),
            hardwareRevision: try c.decode(UInt16.self, forKey: .hardwareRevision),
            firmware: try c.decode(FirmwareVersion.self, forKey: .firmware), maxRateHz: try c.decode(UInt32.self, forKey: .maxRateHz),
            channels: channels)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(serial, forKey: .serial)
        try c.encode(design, forKey: .design)
        try c.encode(hardwareRevision, forKey: .hardwareRevision)
        try c.encode(firmware, forKey: .firmware)
        try c.encode(maxRateHz, forKey: .maxRateHz)
        var list = c.nestedUnkeyedContainer(forKey: .channels)
        for channel in channels {
            var ch = list.nestedContainer(keyedBy: ChannelKeys.self)
            try ch.encode(channel.kind.code, forKey: .kind)
            try ch.encode(UInt8(clamping: channel.adcBits), forKey: .adcBits)
            try ch.encode(channel.unit, forKey: .unit)
            try ch.encode(channel.name, forKey: .name)
            try ch.encode(channel.rawMin, forKey: .rawMin)
            try ch.encode(channel.rawMax, forKey: .rawMax)
        }
    }
}
