#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One decoded, CRC-checked frame. `payload` shares the decoder's buffer: drop it before the next `next()` call
/// and the decoder allocates nothing (keeping it is safe, it just costs a copy).
public struct Frame: Sendable {
    public let type: MessageType
    public let seq: UInt16
    public let payload: ArraySlice<UInt8>

    public func message() throws(MessageError) -> Message {
        let type = self.type
        let result: Result<Message, MessageError> = payload.withUnsafeBytes { p in
            Result { () throws(MessageError) in try Message.decode(type: type, payload: p) }
        }
        return try result.get()
    }
}

/// Why a delimited chunk of bytes was not a frame. The decoder resynchronises at the next 0x00 in every case.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    case cobs
    case crc
    case version(UInt8)
    /// Shorter than header + CRC.
    case length
    /// No delimiter within the longest legal encoded frame.
    case oversize

    public var description: String {
        switch self {
        case .cobs: "COBS framing error"
        case .crc: "CRC mismatch"
        case .version(let v): "unsupported protocol version \(v)"
        case .length: "frame too short"
        case .oversize: "frame longer than \(MWP.maxFrameLength) bytes"
        }
    }
}

/// What the decoder has to say after each `next()`.
public enum DecodeStep: Sendable {
    case needMoreData
    case frame(Frame)
    case error(FrameError)
}

/// Exact counts of what went by, for the loss report.
public struct DecoderCounters: Sendable, Equatable, Codable {
    public var bytes: UInt64 = 0
    public var frames: UInt64 = 0
    public var crcErrors: UInt64 = 0
    public var cobsErrors: UInt64 = 0
    public var lengthErrors: UInt64 = 0
    public var versionErrors: UInt64 = 0
    public var oversizeErrors: UInt64 = 0
    /// Bytes thrown away while resynchronising after an oversize run.
    public var discardedBytes: UInt64 = 0

    public init() {}

    /// Every chunk that should have been a frame and was not.
    public var malformed: UInt64 { cobsErrors + lengthErrors + versionErrors + oversizeErrors }
}

/// A streaming MWP/1 decoder, correct on any split of the byte stream: feed it bytes as they arrive with
/// `append`, then call `next()` until it says `.needMoreData`.
public struct FrameDecoder: Sendable {
    private var inbox: [UInt8] = []
    private var readIndex = 0
    /// Where the search for the next delimiter resumes, so a slow trickle of bytes is scanned once.
    private var scanIndex = 0
    /// After an oversize run, bytes are dropped up to the next delimiter.
    private var discarding = false
    private var frameBuffer: [UInt8]
    public private(set) var counters = DecoderCounters()

    public init() {
        // The tail beyond the longest frame is scratch for COBS.decodeZeroFree's word-at-a-time copies.
        frameBuffer = [UInt8](repeating: 0, count: MWP.maxFrameLength + COBS.decodeOverrun)
        inbox.reserveCapacity(2 * MWP.maxEncodedFrameLength)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        counters.bytes += UInt64(bytes.count)
        compact()
        inbox.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Bytes received but not yet part of a complete frame.
    public var pendingBytes: Int { inbox.count - readIndex }

    public mutating func next() -> DecodeStep {
        while true {
            guard let end = findDelimiter() else {
                if pendingBytes > MWP.maxEncodedFrameLength {
                    counters.discardedBytes += UInt64(pendingBytes)
                    readIndex = inbox.count
                    scanIndex = readIndex
                    if !discarding {
                        discarding = true
                        counters.oversizeErrors += 1
                        return .error(.oversize)
                    }
                }
                return .needMoreData
            }
            let start = readIndex
            readIndex = end + 1
            scanIndex = readIndex
            if discarding {
                counters.discardedBytes += UInt64(end + 1 - start)
                discarding = false
                continue
            }
            // Back-to-back delimiters are idle fill (a sender may flush the line with a 0x00), not frames.
            if end == start { continue }
            return decode(from: start, to: end)
        }
    }

    private mutating func findDelimiter() -> Int? {
        let from = scanIndex
        let n = inbox.count - from
        guard n > 0 else { return nil }
        let found: Int? = inbox.withUnsafeBytes { p in
            guard let hit = memchr(p.baseAddress! + from, 0, n) else { return nil }
            return UnsafeRawPointer(hit) - p.baseAddress!
        }
        if found == nil { scanIndex = inbox.count }
        return found
    }

    private mutating func decode(from start: Int, to end: Int) -> DecodeStep {
        // Oversize first (PROTOCOL.md order), judged on the encoded length the trickle path judges too.
        if end - start > MWP.maxEncodedFrameLength {
            counters.oversizeErrors += 1
            return .error(.oversize)
        }
        // [start, end) holds no 0x00: `end` is the first delimiter at or after `start` (findDelimiter).
        let decoded: Result<Int, COBS.DecodeError> = inbox.withUnsafeBytes { src in
            frameBuffer.withUnsafeMutableBytes { dst in
                COBS.decodeZeroFree(
                    src.baseAddress! + start, count: end - start, into: dst.baseAddress!, capacity: MWP.maxFrameLength)
            }
        }
        let length: Int
        switch decoded {
        case .success(let n): length = n
        case .failure(.tooLong):
            counters.oversizeErrors += 1
            return .error(.oversize)
        case .failure:
            counters.cobsErrors += 1
            return .error(.cobs)
        }
        guard length >= MWP.headerLength + MWP.crcLength else {
            counters.lengthErrors += 1
            return .error(.length)
        }
        let (crcOK, version, type, seq) = frameBuffer.withUnsafeBytes { f in
            let body = UnsafeRawBufferPointer(rebasing: f[0..<length - 4])
            let stated = UInt32(littleEndian: f.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
            return (
                CRC32C.checksum(body) == stated, f[0], f[1],
                UInt16(littleEndian: f.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            )
        }
        guard crcOK else {
            counters.crcErrors += 1
            return .error(.crc)
        }
        guard version == MWP.version else {
            counters.versionErrors += 1
            return .error(.version(version))
        }
        counters.frames += 1
        return .frame(Frame(type: MessageType(rawValue: type), seq: seq, payload: frameBuffer[4..<length - 4]))
    }

    /// Drops consumed bytes so the inbox stays bounded however long the stream runs.
    private mutating func compact() {
        if readIndex == inbox.count {
            inbox.removeAll(keepingCapacity: true)
        } else if readIndex > 0 && readIndex >= inbox.count / 2 {
            inbox.removeSubrange(0..<readIndex)
        } else {
            return
        }
        scanIndex -= readIndex
        readIndex = 0
    }
}
