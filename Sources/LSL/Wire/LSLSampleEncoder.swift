import NIOCore

/// Protocol 1.10's sample encoding (liblsl sample::save_streambuf): a tag byte, the timestamp if transmitted,
/// then the values back to back in the announced byte order (this host's), strings as a length-width byte
/// (1, 4 or 8), the length, and the UTF-8 bytes.
public enum LSLSampleEncoder {
    /// The inlet computes the stamp: previous + 1/nominal_srate (or previous, for an irregular stream).
    public static let deducedTag: UInt8 = 0x01
    /// A float64 timestamp follows.
    public static let transmittedTag: UInt8 = 0x02
    /// The `Byte-Order` a stream feed announces: values go out as this host stores them, and a liblsl inlet on a
    /// host of the other order swaps them (protocol 1.10 leaves the conversion to whichever side offers it).
    public static let hostByteOrder: Int = 1234.littleEndian == 1234 ? 1234 : 4321

    /// Writes one sample: `stamp == nil` writes a deduced tag.
    public static func write(
        stamp: Double?, sample: Int, of values: LSLSamples, channels: Int, into out: inout ByteBuffer
    ) {
        if let stamp {
            out.writeInteger(transmittedTag)
            out.writeInteger(stamp.bitPattern, endianness: .host)
        } else {
            out.writeInteger(deducedTag)
        }
        writeValues(sample: sample, of: values, channels: channels, into: &out)
    }

    /// The channel values of one sample, without tag.
    public static func writeValues(sample: Int, of values: LSLSamples, channels: Int, into out: inout ByteBuffer) {
        writeValues(samples: sample..<sample + 1, of: values, channels: channels, into: &out)
    }

    /// The channel values of consecutive samples, back to back, without tags.
    static func writeValues(samples: Range<Int>, of values: LSLSamples, channels: Int, into out: inout ByteBuffer) {
        let range = samples.lowerBound * channels..<samples.upperBound * channels
        switch values {
        case .float32(let v): v[range].withUnsafeBytes { _ = out.writeBytes($0) }
        case .double64(let v): v[range].withUnsafeBytes { _ = out.writeBytes($0) }
        case .int32(let v): v[range].withUnsafeBytes { _ = out.writeBytes($0) }
        case .int16(let v): v[range].withUnsafeBytes { _ = out.writeBytes($0) }
        case .int8(let v): v[range].withUnsafeBytes { _ = out.writeBytes($0) }
        case .int64(let v): v[range].withUnsafeBytes { _ = out.writeBytes($0) }
        case .string(let v): for s in v[range] { writeString(s, into: &out) }
        }
    }

    static func writeString(_ s: String, into out: inout ByteBuffer) {
        let length = s.utf8.count
        if length <= 0xFF {
            out.writeInteger(UInt8(1))
            out.writeInteger(UInt8(length))
        } else if length <= 0xFFFF_FFFF {
            out.writeInteger(UInt8(4))
            out.writeInteger(UInt32(length), endianness: .host)
        } else {
            out.writeInteger(UInt8(8))
            out.writeInteger(UInt64(length), endianness: .host)
        }
        out.writeString(s)
    }
}
