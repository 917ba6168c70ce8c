import Testing
import MWP
import TestSupport

/// In the spirit of swift-nio's ByteToMessageDecoderVerifier: the same stream, split every possible way,
/// must decode to the same frames, errors and counters.
@Suite struct DecoderChunkingTests {
    /// Every vector frame, invalid streams between them, and a long samples frame.
    static let stream: [UInt8] = {
        var bytes: [UInt8] = [0x00]
        for entry in VectorFile.shared.frames { bytes += [UInt8](hex: entry.wire_hex) }
        for entry in VectorFile.shared.invalid { bytes += [UInt8](hex: entry.wire_hex) }
        var encoder = FrameEncoder()
        let values = (0..<(63 * 16)).map { Int32($0 * 7919 - 4_000_000) }
        try! encoder.encode(.samples(SamplesPayload(firstIndex: 64, deviceTimeUs: 1, channelMask: 0xFFFF, count: 63, values: values)), into: &bytes)
        return bytes
    }()

    static func decode(_ chunks: [ArraySlice<UInt8>]) -> (outputs: [String], counters: DecoderCounters) {
        var decoder = FrameDecoder()
        var outputs: [String] = []
        for chunk in chunks {
            decoder.append(Array(chunk))
            loop: while true {
                switch decoder.next() {
                case .needMoreData: break loop
                case .frame(let f): outputs.append("\(f.type)#\(f.seq):\(f.payload.count):\(Array(f.payload).hashValue)")
                case .error(let e): outputs.append("error \(e)")
                }
            }
        }
        return (outputs, decoder.counters)
    }

    @Test func byteByByteWholeAndRandomSplitsAgree() {
        let whole = Self.decode([Self.stream[...]])
        #expect(whole.outputs.count == VectorFile.shared.frames.count + VectorFile.shared.invalid.count + 2)
        #expect(whole.counters.frames == UInt64(VectorFile.shared.frames.count + 2))
        #expect(whole.counters.crcErrors == 1)

        let bytewise = Self.decode(Self.stream.indices.map { Self.stream[$0...$0] })
        #expect(bytewise.outputs == whole.outputs)
        #expect(bytewise.counters == whole.counters)

        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var chunks: [ArraySlice<UInt8>] = []
            var i = 0
            while i < Self.stream.count {
                let n = Int(rng.next() % 600) + 1
                chunks.append(Self.stream[i..<min(i + n, Self.stream.count)])
                i += n
            }
            let split = Self.decode(chunks)
            #expect(split.outputs == whole.outputs)
            #expect(split.counters == whole.counters)
        }
    }

    @Test func oversizeRunIsDroppedAndTheNextFrameDecodes() throws {
        var decoder = FrameDecoder()
        decoder.append([UInt8](repeating: 0x55, count: MWP.maxEncodedFrameLength + 10))
        guard case .error(.oversize) = decoder.next() else { Issue.record("no oversize"); return }
        decoder.append([UInt8](repeating: 0x55, count: 100_000))
        guard case .needMoreData = decoder.next() else { Issue.record("second error for one run"); return }
        #expect(decoder.pendingBytes < MWP.maxEncodedFrameLength)
        decoder.append([0x00] + FrameEncoder.wire(type: .start, seq: 9, payload: []))
        guard case .frame(let f) = decoder.next() else { Issue.record("frame after oversize lost"); return }
        #expect(f.type == .start && f.seq == 9)
        #expect(decoder.counters.oversizeErrors == 1)
    }

    @Test func everySingleByteCorruptionIsCaught() {
        var encoder = FrameEncoder()
        var wire: [UInt8] = []
        try! encoder.encode(.ping(hostTimeNs: 0x0123_4567_89AB_CDEF), into: &wire)
        for i in 0..<(wire.count - 1) {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var bad = wire
                bad[i] ^= flip
                var decoder = FrameDecoder()
                decoder.append(bad + FrameEncoder.wire(type: .stop, seq: 1, payload: []))
                var frames: [MessageType] = []
                var errors = 0
                loop: while true {
                    switch decoder.next() {
                    case .needMoreData: break loop
                    case .frame(let f): frames.append(f.type)
                    case .error: errors += 1
                    }
                }
                // A corrupted ping never decodes as a ping, and the frame after it always survives.
                #expect(!frames.contains(.ping))
                #expect(frames.last == .stop)
            }
        }
    }
}
