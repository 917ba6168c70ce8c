import Signal

/// The binary `data` payload, format 1 (docs/mqtt.md), little-endian:
///
///     header, 32 bytes:  u16 format (1) · u16 channel count C · u32 frame count N · 8 bytes meta_id ·
///                        u64 message sequence (per publisher, from 0) · u64 first frame's sample index
///     N frames of 24 + 4·C bytes: u64 sample index · u64 device time, ns · i64 host time, UTC ns (0: unknown) ·
///                        C × i32 raw ADC counts
///
/// Indices are the edge's own (the ones its recording holds), so a consumer finds every missing range from
/// them alone; the sequence tells a lost message from a gap the edge itself had.
public struct DataMessageEncoder {
    public static let formatVersion: UInt16 = 1
    public static let headerLength = 32
    public static func frameLength(channels: Int) -> Int { 24 + 4 * channels }

    public let channelCount: Int
    public let metaID: [UInt8]
    public private(set) var bytes: [UInt8] = []
    public private(set) var frameCount = 0
    public private(set) var firstIndex: UInt64 = 0
    public private(set) var lastIndex: UInt64 = 0

    public init(channelCount: Int, metaID: [UInt8]) {
        precondition(metaID.count == 8, "meta_id is 8 bytes")
        self.channelCount = channelCount
        self.metaID = metaID
    }

    /// Starts a new message; the previous bytes are reused.
    public mutating func begin(sequence: UInt64) {
        bytes.removeAll(keepingCapacity: true)
        frameCount = 0
        put(Self.formatVersion)
        put(UInt16(channelCount))
        put(UInt32(0))
        bytes.append(contentsOf: metaID)
        put(sequence)
        put(UInt64(0))
    }

    public mutating func append(index: UInt64, deviceTimeNs: UInt64, hostTimeNs: Int64, raw: UnsafeBufferPointer<Int32>) {
        if frameCount == 0 {
            firstIndex = index
            withUnsafeBytes(of: index.littleEndian) { p in
                for i in 0..<8 { bytes[24 + i] = p[i] }
            }
        }
        lastIndex = index
        put(index)
        put(deviceTimeNs)
        put(UInt64(bitPattern: hostTimeNs))
        for v in raw { put(UInt32(bitPattern: v)) }
        frameCount += 1
        withUnsafeBytes(of: UInt32(frameCount).littleEndian) { p in
            for i in 0..<4 { bytes[4 + i] = p[i] }
        }
    }

    private mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// The reading side of format 1, for the archive and the tests: a payload's header and frames, checked.
public struct DataMessage: Sendable, Equatable {
    public var channelCount: Int
    public var metaID: [UInt8]
    public var sequence: UInt64
    public var indices: [UInt64] = []
    public var deviceTimesNs: [UInt64] = []
    public var hostTimesNs: [Int64] = []
    /// Frame-major: frame k's channel c is `raw[k * channelCount + c]`.
    public var raw: [Int32] = []

    public enum DecodeError: Error, Equatable, Sendable {
        case tooShort, unknownFormat(UInt16), lengthMismatch(expected: Int, actual: Int), noChannels
    }

    public init(decoding payload: UnsafeRawBufferPointer) throws(DecodeError) {
        guard payload.count >= DataMessageEncoder.headerLength else { throw .tooShort }
        func u16(_ o: Int) -> UInt16 { UInt16(littleEndian: payload.loadUnaligned(fromByteOffset: o, as: UInt16.self)) }
        func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
        func u64(_ o: Int) -> UInt64 { UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
        let format = u16(0)
        guard format == DataMessageEncoder.formatVersion else { throw .unknownFormat(format) }
        channelCount = Int(u16(2))
        guard channelCount > 0 else { throw .noChannels }
        let frames = Int(u32(4))
        metaID = Array(payload[8..<16])
        sequence = u64(16)
        let stride = DataMessageEncoder.frameLength(channels: channelCount)
        let (body, overflow) = frames.multipliedReportingOverflow(by: stride)
        let expected = overflow ? Int.max : DataMessageEncoder.headerLength + body
        guard expected == payload.count else { throw .lengthMismatch(expected: expected, actual: payload.count) }
        indices.reserveCapacity(frames)
        raw.reserveCapacity(frames * channelCount)
        for k in 0..<frames {
            let o = DataMessageEncoder.headerLength + k * stride
            indices.append(u64(o))
            deviceTimesNs.append(u64(o + 8))
            hostTimesNs.append(Int64(bitPattern: u64(o + 16)))
            for c in 0..<channelCount { raw.append(Int32(bitPattern: u32(o + 24 + 4 * c))) }
        }
    }
}
