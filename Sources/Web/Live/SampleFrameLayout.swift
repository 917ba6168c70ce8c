/// The binary WebSocket message that carries samples, little-endian throughout:
///
///     offset size  field
///     0      4     magic "MQS1"
///     4      2     channel count C
///     6      2     reserved (0)
///     8      4     frame count N
///     12     4     reserved (0)
///     16     8     frames dropped for this client since its previous message because it read too slowly
///                  (its keep-newest ring overflowed); decimation is not counted here
///     24     N × (16 + 4·C)  frames: u64 sample index, u64 device time (ns), C × i32 raw ADC counts
///
/// Raw counts, not physical units: the client applies each channel's calibration (GET /api/devices/{id}), so
/// values are exact and comparable with the recording.
public enum SampleFrameLayout {
    public static let magic: [UInt8] = Array("MQS1".utf8)
    public static let headerSize = 24

    public static func frameSize(channels: Int) -> Int { 16 + 4 * channels }

    public static func appendHeader(to out: inout [UInt8], channels: Int, frames: Int, missed: UInt64) {
        out.append(contentsOf: magic)
        appendLE(UInt16(channels), to: &out)
        appendLE(UInt16(0), to: &out)
        appendLE(UInt32(frames), to: &out)
        appendLE(UInt32(0), to: &out)
        appendLE(missed, to: &out)
    }

    public static func appendFrame(to out: inout [UInt8], index: UInt64, deviceTimeNs: UInt64, values: UnsafeBufferPointer<Int32>) {
        appendLE(index, to: &out)
        appendLE(deviceTimeNs, to: &out)
        for v in values { appendLE(UInt32(bitPattern: v), to: &out) }
    }

    /// The inverse, for clients and tests: nil when the bytes are not a well-formed message.
    public static func decode(_ bytes: [UInt8]) -> Decoded? {
        guard bytes.count >= headerSize, Array(bytes[0..<4]) == magic else { return nil }
        let channels = Int(readLE(bytes, 4, as: UInt16.self))
        let frames = Int(readLE(bytes, 8, as: UInt32.self))
        let missed = readLE(bytes, 16, as: UInt64.self)
        guard bytes.count == headerSize + frames * frameSize(channels: channels) else { return nil }
        var result = Decoded(channels: channels, missed: missed, indices: [], deviceTimesNs: [], values: [])
        var at = headerSize
        for _ in 0..<frames {
            result.indices.append(readLE(bytes, at, as: UInt64.self))
            result.deviceTimesNs.append(readLE(bytes, at + 8, as: UInt64.self))
            for c in 0..<channels { result.values.append(Int32(bitPattern: readLE(bytes, at + 16 + 4 * c, as: UInt32.self))) }
            at += frameSize(channels: channels)
        }
        return result
    }

    public struct Decoded: Sendable, Equatable {
        public var channels: Int
        public var missed: UInt64
        public var indices: [UInt64]
        public var deviceTimesNs: [UInt64]
        /// Frame-major: frame f, channel c is `values[f * channels + c]`.
        public var values: [Int32]
    }

    @inline(__always)
    static func appendLE<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        var x = v.littleEndian
        withUnsafeBytes(of: &x) { out.append(contentsOf: $0) }
    }

    static func readLE<T: FixedWidthInteger>(_ bytes: [UInt8], _ at: Int, as: T.Type) -> T {
        var x: T = 0
        for i in 0..<MemoryLayout<T>.size { x |= T(bytes[at + i]) << (8 * i) }
        return x
    }
}
