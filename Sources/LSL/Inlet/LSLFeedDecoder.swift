/// Reads samples of a protocol-110 stream feed back from its bytes (the inverse of ``LSLSampleEncoder``): a tag
/// (0x01 deduced stamp, 0x02 stamp follows), the stamp as a float64, then each channel's value; strings as a
/// length-width byte (1, 4 or 8), the length, the UTF-8 bytes. Values are handed out as text, which is what a
/// marker is (numbers print as Swift prints them).
public struct LSLFeedDecoder: Sendable {
    public let format: LSLChannelFormat
    public let channels: Int
    /// 1/nominal rate (0 for irregular streams, whose deduced stamps repeat the previous one).
    public let interval: Double
    /// The outlet's byte order (its `Byte-Order` header: 1234 little, 4321 big).
    public let bigEndian: Bool
    private var lastStamp = 0.0

    public init(format: LSLChannelFormat, channels: Int, nominalRate: Double, bigEndian: Bool = false) {
        self.format = format
        self.channels = channels
        interval = nominalRate > 0 ? 1 / LSLNumberText.rateAsInletReadsIt(nominalRate) : 0
        self.bigEndian = bigEndian
    }

    public struct Sample: Sendable, Equatable {
        public var values: [String]
        public var timestamp: Double
    }

    /// The next whole sample starting at `offset` (advanced past it), or nil if `bytes` ends before it does
    /// (offset unchanged). Throws on a tag or length no outlet sends.
    public mutating func next(_ bytes: [UInt8], offset: inout Int) throws(LSLFeedError) -> Sample? {
        var at = offset
        guard let tag = take(bytes, &at, 1)?.first else { return nil }
        var stamp = lastStamp + interval
        switch tag {
        case 1: break
        case 2:
            guard let raw = take(bytes, &at, 8) else { return nil }
            stamp = Double(bitPattern: integer(raw))
        default: throw LSLFeedError(description: "unknown sample tag \(tag)")
        }
        var values: [String] = []
        values.reserveCapacity(channels)
        for _ in 0..<channels {
            if format == .string {
                guard let width = take(bytes, &at, 1)?.first else { return nil }
                guard [1, 4, 8].contains(width) else { throw LSLFeedError(description: "string length width \(width)") }
                guard let lengthBytes = take(bytes, &at, Int(width)) else { return nil }
                let length = integer(lengthBytes)
                guard length <= 1 << 30 else { throw LSLFeedError(description: "string of \(length) bytes") }
                guard let text = take(bytes, &at, Int(length)) else { return nil }
                values.append(String(decoding: text, as: UTF8.self))
            } else {
                guard let raw = take(bytes, &at, format.valueSize) else { return nil }
                let v = integer(raw)
                switch format {
                case .float32: values.append("\(Float(bitPattern: UInt32(truncatingIfNeeded: v)))")
                case .double64: values.append("\(Double(bitPattern: v))")
                case .int8: values.append("\(Int8(truncatingIfNeeded: v))")
                case .int16: values.append("\(Int16(truncatingIfNeeded: v))")
                case .int32: values.append("\(Int32(truncatingIfNeeded: v))")
                default: values.append("\(Int64(bitPattern: v))")
                }
            }
        }
        offset = at
        lastStamp = stamp
        return Sample(values: values, timestamp: stamp)
    }

    /// The next `n` bytes (a slice: indexed from `at`, not from 0), or nil if fewer are there.
    private func take(_ bytes: [UInt8], _ at: inout Int, _ n: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, bytes.count - at >= n else { return nil }
        defer { at += n }
        return bytes[at..<(at + n)]
    }

    private func integer(_ raw: ArraySlice<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for b in bigEndian ? Array(raw) : Array(raw.reversed()) { v = v << 8 | UInt64(b) }
        return v
    }
}

/// A stream feed that does not decode: the connection is dropped, as liblsl's inlet drops it.
public struct LSLFeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}
