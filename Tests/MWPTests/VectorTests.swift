import Testing
import MWP

@Suite struct VectorTests {
    @Test(arguments: VectorFile.shared.frames.map(\.name))
    func encodesFieldsToExactWireBytes(name: String) throws {
        let entry = VectorFile.shared.frames.first { $0.name == name }!
        var encoder = FrameEncoder(firstSeq: entry.seq)
        var wire: [UInt8] = []
        try encoder.encode(expectedMessage(entry), into: &wire)
        #expect(wire == [UInt8](hex: entry.wire_hex))
    }

    @Test(arguments: VectorFile.shared.frames.map(\.name))
    func decodesWireBytesToFields(name: String) throws {
        let entry = VectorFile.shared.frames.first { $0.name == name }!
        var decoder = FrameDecoder()
        decoder.append([UInt8](hex: entry.wire_hex))
        guard case .frame(let frame) = decoder.next() else {
            Issue.record("no frame decoded from \(name)")
            return
        }
        #expect(frame.type.rawValue == entry.type)
        #expect(frame.seq == entry.seq)
        #expect(Array(frame.payload) == [UInt8](hex: entry.payload_hex))
        #expect(try frame.message() == expectedMessage(entry))
        guard case .needMoreData = decoder.next() else { Issue.record("extra output"); return }
    }

    @Test func invalidStreamsAreRejectedWithTheNamedError() {
        for entry in VectorFile.shared.invalid {
            var decoder = FrameDecoder()
            decoder.append([UInt8](hex: entry.wire_hex))
            var steps: [String] = []
            loop: while true {
                switch decoder.next() {
                case .needMoreData: break loop
                case .frame(let f): steps.append("frame:\(f.type)")
                case .error(let e): steps.append("error:\(e)")
                }
            }
            switch entry.name {
            case "bad_crc": #expect(steps == ["error:CRC mismatch"])
            case "bad_version": #expect(steps == ["error:unsupported protocol version 2"])
            case "too_short": #expect(steps == ["error:frame too short"])
            case "cobs_block_past_end": #expect(steps == ["error:COBS framing error"])
            case "garbage_then_hello": #expect(steps == ["error:COBS framing error", "frame:HELLO"])
            default: Issue.record("unexpected invalid vector \(entry.name)")
            }
        }
    }
}
