import CMWP
import CMWPTestSupport
import MWP
import Testing

/// The C reference codec and the Swift codec produce and accept the same bytes.
@Suite struct VectorCrossCheckTests {
    @Test(arguments: VectorFile.shared.frames) func bothEncodeTheVector(_ v: FrameVector) throws {
        let c = try CCodec.frame(type: v.type, seq: v.seq, payload: CCodec.encodePayload(type: v.type, v.fields))
        let swift = try SwiftCodec.frame(type: v.type, seq: v.seq, v.fields)
        #expect(c == v.wire)
        #expect(swift == v.wire)
    }

    @Test(arguments: VectorFile.shared.frames) func bothDecodeTheVector(_ v: FrameVector) throws {
        let expected = [ReceiverEvent.frame(type: v.type, seq: v.seq, payload: v.payload)]
        #expect(CReceiver().feed(v.wire) == expected)
        #expect(SwiftCodec.receive([v.wire[...]]) == expected)
        #expect(try CCodec.decodePayload(type: v.type, v.payload) == v.fields)
        #expect(try SwiftCodec.decodePayload(type: v.type, v.payload) == v.fields)
    }

    @Test func bothRejectTheInvalidStreams() {
        for v in VectorFile.shared.invalid {
            #expect(SwiftCodec.receive([v.wire[...]]) == CReceiver().feed(v.wire), "\(v.name)")
        }
    }
}

@Suite struct RandomizedCrossCheckTests {
    static let seeds: [UInt64] = Array(1...8)
    static let messagesPerTypePerSeed = 100

    /// Swift-encode → C-decode, C-encode → Swift-decode, identical wire bytes, for every type.
    @Test(arguments: seeds) func randomMessagesOfEveryType(seed: UInt64) throws {
        var gen = RandomMessages(seed: seed)
        var checked = 0
        for type in RandomMessages.types {
            for _ in 0..<Self.messagesPerTypePerSeed {
                let f = gen.fields(type: type)
                let seq: UInt16 = gen.int()
                let cPayload = try CCodec.encodePayload(type: type, f)
                let cWire = try CCodec.frame(type: type, seq: seq, payload: cPayload)
                let swiftWire = try SwiftCodec.frame(type: type, seq: seq, f)
                #expect(cWire == swiftWire, "type 0x\(String(type, radix: 16)) seed \(seed): \(f)")

                let expected = ReceiverEvent.frame(type: type, seq: seq, payload: cPayload)
                #expect(CReceiver().feed(swiftWire) == [expected])
                #expect(SwiftCodec.receive([cWire[...]]) == [expected])
                #expect(try CCodec.decodePayload(type: type, cPayload) == f)
                #expect(try SwiftCodec.decodePayload(type: type, cPayload) == f)
                checked += 1
            }
        }
        #expect(checked == RandomMessages.types.count * Self.messagesPerTypePerSeed)
    }

    /// A long stream of random frames, some corrupted, some truncated, garbage between them, split at random:
    /// both receivers report the same frames and the same errors, in the same order.
    @Test(arguments: seeds) func corruptedStreamsGiveTheSameEvents(seed: UInt64) throws {
        var gen = RandomMessages(seed: seed &+ 1000)
        var stream: [UInt8] = []
        for i in 0..<300 {
            let type = RandomMessages.types[gen.int(0...RandomMessages.types.count - 1)]
            var wire = try CCodec.frame(
                type: type, seq: UInt16(truncatingIfNeeded: i), payload: CCodec.encodePayload(type: type, gen.fields(type: type)))
            switch gen.int(0...9) {
            case 0: wire[gen.int(0...wire.count - 2)] ^= UInt8(gen.int(1...255))  // may even plant a 0x00
            case 1: wire.removeSubrange(gen.int(0...wire.count - 2)..<wire.count - 1)  // truncated frame
            case 2: wire = (0..<gen.int(1...40)).map { _ in gen.int() } + wire  // garbage in front
            case 3:  // a well-formed COBS run that decodes past 4096 bytes
                let big = (0..<gen.int(4097...5000)).map { _ in gen.int(0...3) == 0 ? 0 : UInt8(gen.int(1...255)) }
                wire = try CCodec.cobsEncode(big) + [0] + wire
            default: break
            }
            stream += wire
        }
        let whole = CReceiver().feed(stream)
        #expect(whole.count >= 300)
        let swiftWhole = SwiftCodec.receive([stream[...]])
        #expect(swiftWhole == whole, "\(firstDifference(swiftWhole, whole))")
        var chunks: [ArraySlice<UInt8>] = []
        var offset = 0
        while offset < stream.count {
            let size = min(stream.count - offset, [1, gen.int(1...64), gen.int(1...5000)][gen.int(0...2)])
            chunks.append(stream[offset..<offset + size])
            offset += size
        }
        let swiftChunked = SwiftCodec.receive(chunks)
        #expect(swiftChunked == whole, "\(firstDifference(swiftChunked, whole))")
    }

    /// One byte of a valid payload changed: both message parsers agree on accept/reject and on the result.
    @Test(arguments: seeds) func mutatedPayloadsParseAlike(seed: UInt64) throws {
        var gen = RandomMessages(seed: seed &+ 2000)
        for type in RandomMessages.types {
            for _ in 0..<100 {
                var payload = try CCodec.encodePayload(type: type, gen.fields(type: type))
                switch gen.int(0...3) {
                case 0 where !payload.isEmpty: payload[gen.int(0...payload.count - 1)] = gen.int()
                case 1 where !payload.isEmpty: payload.removeLast()
                case 2: payload.append(gen.int())
                default: break
                }
                let c = try? CCodec.decodePayload(type: type, payload)
                let swift = try? SwiftCodec.decodePayload(type: type, payload)
                #expect(c == swift, "type 0x\(String(type, radix: 16)) payload \(Hex.string(payload))")
            }
        }
    }
}

/// Where two event sequences part, with a little context, for a readable failure.
func firstDifference(_ swift: [ReceiverEvent], _ c: [ReceiverEvent]) -> String {
    let i = zip(swift, c).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(swift.count, c.count)
    return "first difference at event \(i): Swift \(swift[max(0, i - 1)..<min(swift.count, i + 3)]), "
        + "C \(c[max(0, i - 1)..<min(c.count, i + 3)]) (counts \(swift.count) vs \(c.count))"
}
