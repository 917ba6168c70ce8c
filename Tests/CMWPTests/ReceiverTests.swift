import CMWP
import CMWPTestSupport
import TestSupport
import Testing

/// The streaming receiver must report the same events for every chunking of a stream.
@Suite struct ReceiverTests {
    /// Valid frames, every invalid vector, stray delimiters and an oversize frame, back to back.
    static let mixedStream: [UInt8] = {
        let file = VectorFile.shared
        var stream: [UInt8] = [0x00, 0x00]
        for (i, frame) in file.frames.enumerated() {
            stream += frame.wire
            stream += file.invalid[i % file.invalid.count].wire
        }
        stream += [UInt8](repeating: 0x11, count: 5000) + [0x00]
        stream += file.frames[0].wire
        return stream
    }()

    private func feed(_ stream: [UInt8], chunks sizes: [Int]) -> [ReceiverEvent] {
        let rx = CReceiver()
        var events: [ReceiverEvent] = []
        var offset = 0
        for size in sizes {
            events += rx.feed(stream[offset..<offset + size])
            offset += size
        }
        return events
    }

    @Test func wholeStreamEvents() {
        let events = CReceiver().feed(Self.mixedStream)
        let frames = events.filter { if case .frame = $0 { true } else { false } }
        // Every valid vector, one HELLO from garbage_then_hello per pass, and the HELLO after the oversize run.
        let hellosFromGarbage = VectorFile.shared.frames.indices.filter {
            VectorFile.shared.invalid[$0 % VectorFile.shared.invalid.count].name == "garbage_then_hello"
        }.count
        #expect(frames.count == VectorFile.shared.frames.count + hellosFromGarbage + 1)
        #expect(events.contains(.error("oversize")))
        #expect(events.last == .frame(type: 0x01, seq: 0, payload: [0x01]))
    }

    @Test func byteByByteEqualsWhole() {
        let whole = CReceiver().feed(Self.mixedStream)
        #expect(feed(Self.mixedStream, chunks: Array(repeating: 1, count: Self.mixedStream.count)) == whole)
    }

    @Test(arguments: [1, 2, 3, 42, 1000]) func randomSplitsEqualWhole(seed: UInt64) {
        let stream = Self.mixedStream
        let whole = CReceiver().feed(stream)
        var rng = SplitMix64(seed: seed)
        var sizes: [Int] = []
        var left = stream.count
        while left > 0 {
            let size = min(left, Int(rng.next() % 300))
            sizes.append(size)
            left -= size
        }
        #expect(feed(stream, chunks: sizes) == whole)
    }

    @Test func emptyFramesAreIgnored() {
        #expect(CReceiver().feed([0x00, 0x00, 0x00]) == [])
    }

    @Test func maximumFrameIsAccepted() throws {
        let payload = (0..<Int(MWP_MAX_PAYLOAD_LEN)).map { UInt8(truncatingIfNeeded: $0) }
        let wire = try CCodec.frame(type: 0x42, seq: 9, payload: payload)
        #expect(wire.count <= Int(MWP_MAX_WIRE_LEN))
        #expect(CReceiver().feed(wire) == [.frame(type: 0x42, seq: 9, payload: payload)])
    }

    @Test func payloadOverMaximumIsRefusedByEncoder() {
        let payload = [UInt8](repeating: 1, count: Int(MWP_MAX_PAYLOAD_LEN) + 1)
        #expect(throws: CCodecError(result: MWP_ERR_OVERSIZE)) {
            try CCodec.frame(type: 0x42, seq: 0, payload: payload)
        }
    }

    @Test func oneByteOverMaximumIsOversizeThenResyncs() throws {
        // A 4097-byte decoded frame with a valid-looking CRC still exceeds the limit.
        var decoded: [UInt8] = [1, 0x42, 0, 0] + [UInt8](repeating: 0x20, count: Int(MWP_MAX_PAYLOAD_LEN) + 1)
        let crc = CCodec.crc32c(decoded)
        decoded += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) }
        let wire = try CCodec.cobsEncode(decoded) + [0x00]
        let hello = VectorFile.shared.frames[0]
        #expect(CReceiver().feed(wire + hello.wire) == [.error("oversize"), .frame(type: 1, seq: 0, payload: [1])])
    }

    @Test func seqWrapsAtFrameLevel() throws {
        let wire = try CCodec.frame(type: 0x03, seq: 0xFFFF, payload: [])
        #expect(CReceiver().feed(wire) == [.frame(type: 0x03, seq: 0xFFFF, payload: [])])
    }

    @Test func crcIsCheckedBeforeVersion() {
        // bad_version with one CRC byte flipped: both wrong, CRC reported.
        var wire = Hex.bytes("030201010601d6807e1a00")
        wire[7] ^= 0x01
        #expect(CReceiver().feed(wire) == [.error("crc")])
    }
}
