import CMWP
import CMWPTestSupport
import Testing

/// The independent implementation's vectors, through the C reference codec.
@Suite struct VectorTests {
    static let frames = VectorFile.shared.frames
    static let invalid = VectorFile.shared.invalid

    /// The shared file has no STOP or SET_CALIBRATION reply (0x84, 0x86); both are status-only replies with the
    /// same layout as 0x82/0x83, which it does cover.
    @Test func vectorsCoverEveryMessageLayout() {
        let types = Set(Self.frames.map(\.type))
        #expect(types.isSuperset(of: [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x81, 0x82, 0x83, 0x85, 0x87,
                                      0x40, 0x41, 0x42]))
    }

    @Test(arguments: frames) func fieldsEncodeToPayload(_ v: FrameVector) throws {
        #expect(Hex.string(try CCodec.encodePayload(type: v.type, v.fields)) == v.payloadHex)
    }

    @Test(arguments: frames) func fieldsEncodeToWire(_ v: FrameVector) throws {
        let payload = try CCodec.encodePayload(type: v.type, v.fields)
        #expect(Hex.string(try CCodec.frame(type: v.type, seq: v.seq, payload: payload)) == v.wireHex)
    }

    @Test(arguments: frames) func wireDecodesToFields(_ v: FrameVector) throws {
        let events = CReceiver().feed(v.wire)
        #expect(events == [.frame(type: v.type, seq: v.seq, payload: v.payload)])
        #expect(try CCodec.decodePayload(type: v.type, v.payload) == v.fields)
    }

    @Test(arguments: invalid.filter { $0.name != "garbage_then_hello" })
    func invalidStreamIsRejected(_ v: InvalidVector) {
        #expect(CReceiver().feed(v.wire) == [.error(v.error)])
    }

    @Test func garbageThenHelloYieldsOneErrorThenHello() throws {
        let v = try #require(Self.invalid.first { $0.name == "garbage_then_hello" })
        let hello = try #require(Self.frames.first { $0.name == "hello" })
        #expect(CReceiver().feed(v.wire) == [.error("cobs"), .frame(type: 0x01, seq: 0, payload: hello.payload)])
    }

    @Test func wholeVectorStreamDecodesInOrder() {
        let stream = Self.frames.flatMap(\.wire)
        let expected = Self.frames.map { ReceiverEvent.frame(type: $0.type, seq: $0.seq, payload: $0.payload) }
        #expect(CReceiver().feed(stream) == expected)
    }
}
