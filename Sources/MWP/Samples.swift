/// The fixed part of a SAMPLES frame.
public struct SamplesHeader: Sendable, Equatable {
    /// Per-channel sample count since START of the first sample here; a jump is a gap of exactly that many.
    public var firstIndex: UInt64
    /// Device clock at the first sample.
    public var deviceTimeUs: UInt64
    public var channelMask: UInt32
    public var count: UInt16

    public static let wireLength = 8 + 8 + 4 + 2

    public init(firstIndex: UInt64, deviceTimeUs: UInt64, channelMask: UInt32, count: UInt16) {
        self.firstIndex = firstIndex
        self.deviceTimeUs = deviceTimeUs
        self.channelMask = channelMask
        self.count = count
    }

    public var channelCount: Int { channelMask.nonzeroBitCount }
    public var valueCount: Int { Int(count) * channelCount }

    /// A SAMPLES frame carries at least one sample of at least one channel.
    public func validate() throws(MessageError) {
        guard channelMask != 0 else { throw .invalidValue("samples frame with an empty channel mask") }
        guard count > 0 else { throw .invalidValue("samples frame with no samples") }
    }

    /// The most samples one frame can carry for a given number of channels.
    public static func maxCount(channels: Int) -> Int {
        channels == 0 ? 0 : (MWP.maxPayloadLength - wireLength) / (4 * channels)
    }
}

/// A borrowed, zero-copy view of a SAMPLES payload: the hot path reads values straight out of the frame buffer.
public struct SamplesView {
    public let header: SamplesHeader
    /// `count × popcount(mask)` little-endian i32, sample-major, channels ascending.
    public let values: UnsafeRawBufferPointer

    public init(payload: UnsafeRawBufferPointer) throws(MessageError) {
        var r = WireReader(payload)
        header = SamplesHeader(firstIndex: try r.u64(), deviceTimeUs: try r.u64(), channelMask: try r.u32(), count: try r.u16())
        try header.validate()
        let need = header.valueCount * 4
        guard r.remaining >= need else { throw .truncated }
        guard r.remaining == need else { throw .trailingBytes(r.remaining - need) }
        values = r.rest()
    }

    @inline(__always)
    public func value(sample: Int, channel: Int) -> Int32 {
        let i = (sample * header.channelCount + channel) * 4
        return Int32(littleEndian: values.loadUnaligned(fromByteOffset: i, as: Int32.self))
    }

    /// Copies every value, sample-major, into `out` (which must hold `header.valueCount`).
    public func copyValues(into out: UnsafeMutableBufferPointer<Int32>) {
        precondition(out.count >= header.valueCount)
        #if _endian(little)
        // The wire is little-endian i32 already: one bulk copy.
        guard let source = values.baseAddress, let destination = out.baseAddress else { return }
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: header.valueCount * 4)
        #else
        for i in 0..<header.valueCount {
            out[i] = Int32(littleEndian: values.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))
        }
        #endif
    }
}

/// An owned SAMPLES message, for encoding and for tests; the decoder path uses `SamplesView`.
public struct SamplesPayload: Sendable, Equatable {
    public var header: SamplesHeader
    public var values: [Int32]

    public init(firstIndex: UInt64, deviceTimeUs: UInt64, channelMask: UInt32, count: UInt16, values: [Int32]) {
        header = SamplesHeader(firstIndex: firstIndex, deviceTimeUs: deviceTimeUs, channelMask: channelMask, count: count)
        self.values = values
    }

    public init(_ view: SamplesView) {
        header = view.header
        values = [Int32](unsafeUninitializedCapacity: view.header.valueCount) { buf, n in
            view.copyValues(into: buf)
            n = view.header.valueCount
        }
    }

    public func validate() throws(MessageError) {
        try header.validate()
        guard values.count == header.valueCount else {
            throw .invalidValue("samples carry \(values.count) values; header says \(header.valueCount)")
        }
        guard SamplesHeader.wireLength + values.count * 4 <= MWP.maxPayloadLength else {
            throw .invalidValue("samples payload exceeds \(MWP.maxPayloadLength) bytes")
        }
    }

    public func encode(into w: inout WireWriter) {
        w.u64(header.firstIndex)
        w.u64(header.deviceTimeUs)
        w.u32(header.channelMask)
        w.u16(header.count)
        for v in values { w.i32(v) }
    }
}

/// Unsolicited device health report.
public struct DeviceStatus: Sendable, Equatable, Codable {
    public struct Flags: OptionSet, Sendable, Equatable, Codable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let bufferOverrun = Flags(rawValue: 1 << 0)
        public static let sensorFault = Flags(rawValue: 1 << 1)
        public static let calibrationInvalid = Flags(rawValue: 1 << 2)
    }

    public var flags: Flags
    /// Samples the device itself dropped since START (its buffer overran).
    public var droppedTotal: UInt32
    public var temperatureCentiC: Int16

    public init(flags: Flags, droppedTotal: UInt32, temperatureCentiC: Int16) {
        self.flags = flags
        self.droppedTotal = droppedTotal
        self.temperatureCentiC = temperatureCentiC
    }
}
