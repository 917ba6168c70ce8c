/// Turns messages into wire bytes: header, payload, CRC-32C, COBS, delimiter. Keeps the sender's `seq`.
///
/// Reuses its scratch buffers, so a steady stream of frames allocates nothing.
public struct FrameEncoder: Sendable {
    public private(set) var nextSeq: UInt16
    private var frame: WireWriter

    public init(firstSeq: UInt16 = 0) {
        nextSeq = firstSeq
        frame = WireWriter(capacity: MWP.maxFrameLength)
    }

    /// Validates and appends one encoded frame (with its delimiter) to `out`; advances `seq`.
    public mutating func encode(_ message: Message, into out: inout [UInt8]) throws(MessageError) {
        try message.validate()
        beginFrame(message.type)
        message.encodePayload(into: &frame)
        try finishFrame(into: &out)
    }

    /// The sample hot path: no `Message` value, no array of values.
    public mutating func encodeSamples(
        _ header: SamplesHeader, values: UnsafeBufferPointer<Int32>, into out: inout [UInt8]
    ) throws(MessageError) {
        try header.validate()
        guard values.count == header.valueCount else {
            throw .invalidValue("samples carry \(values.count) values; header says \(header.valueCount)")
        }
        beginFrame(.samples)
        frame.u64(header.firstIndex)
        frame.u64(header.deviceTimeUs)
        frame.u32(header.channelMask)
        frame.u16(header.count)
        for v in values { frame.i32(v) }
        try finishFrame(into: &out)
    }

    /// One frame with an explicit type, seq and raw payload; for test vectors and fault injection.
    public static func wire(type: MessageType, seq: UInt16, payload: [UInt8], version: UInt8 = MWP.version) -> [UInt8] {
        var w = WireWriter(capacity: payload.count + 8)
        w.u8(version)
        w.u8(type.rawValue)
        w.u16(seq)
        w.bytes.append(contentsOf: payload)
        w.u32(CRC32C.checksum(w.bytes))
        var out = COBS.encode(w.bytes)
        out.append(0)
        return out
    }

    private mutating func beginFrame(_ type: MessageType) {
        frame.bytes.removeAll(keepingCapacity: true)
        frame.u8(MWP.version)
        frame.u8(type.rawValue)
        frame.u16(nextSeq)
    }

    private mutating func finishFrame(into out: inout [UInt8]) throws(MessageError) {
        guard frame.bytes.count + MWP.crcLength <= MWP.maxFrameLength else {
            throw .invalidValue("frame of \(frame.bytes.count + MWP.crcLength) bytes exceeds \(MWP.maxFrameLength)")
        }
        let crc = frame.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        frame.u32(crc)
        frame.bytes.withUnsafeBytes { COBS.encode($0, into: &out) }
        out.append(0)
        nextSeq &+= 1
    }
}
