import CMWP
import CMWPTestSupport
import Testing

/// Decoders reject what PROTOCOL.md forbids, with the named error, and encoders refuse to produce it.
@Suite struct MessageValidationTests {
    static let file = VectorFile.shared
    static func vector(_ name: String) -> FrameVector { file.frames.first { $0.name == name }! }

    private func decode(_ type: UInt8, _ payload: [UInt8]) -> String {
        do {
            _ = try CCodec.decodePayload(type: type, payload)
            return "ok"
        } catch {
            return (error as? CCodecError)?.description ?? "\(error)"
        }
    }

    @Test func fixedLengthMessagesRejectShortAndLongPayloads() {
        for v in Self.file.frames where v.type != 0x42 {
            let p = v.payload
            if !p.isEmpty { #expect(decode(v.type, Array(p.dropLast())) != "ok", "\(v.name) short") }
            #expect(decode(v.type, p + [0]) == "payload_length", "\(v.name) long")
        }
    }

    @Test func errorRepliesCarryOnlyTheStatusByte() throws {
        for type: UInt8 in [0x81, 0x85, 0x87] {
            var expected = Fields()
            expected.status = 3
            #expect(try CCodec.decodePayload(type: type, [3]) == expected)
            #expect(decode(type, [3, 0]) == "payload_length")
            var f = Fields()
            f.status = 4
            #expect(try CCodec.encodePayload(type: type, f) == [4])
        }
    }

    @Test func unknownStatusIsRejected() {
        #expect(decode(0x82, [8]) == "field")
        #expect(decode(0x81, [0xFF]) == "field")
    }

    @Test func identityWithAbsurdChannelCountIsRejected() {
        var p = Self.vector("identity").payload
        p[38] = 255
        #expect(decode(0x81, p) == "field")
        p[38] = 4  // claims one more channel than the payload holds
        #expect(decode(0x81, p) == "payload_length")
        p[38] = 2  // claims one fewer
        #expect(decode(0x81, p) == "payload_length")
    }

    @Test func thirtyTwoChannelsIsTheLimit() throws {
        var f = Self.vector("identity").fields
        let channel = f.channels![0]
        f.channel_count = 32
        f.channels = Array(repeating: channel, count: 32)
        let payload = try CCodec.encodePayload(type: 0x81, f)
        #expect(payload.count == 1 + 42 + 32 * 34)
        #expect(try CCodec.decodePayload(type: 0x81, payload) == f)
    }

    @Test func nonASCIIStringsAreRejected() {
        let identity = Self.vector("identity").payload
        for offset in [1, 17, 43 + 2, 43 + 10] {  // serial, design, unit, name
            var p = identity
            p[offset] = 0xC3
            #expect(decode(0x81, p) == "field", "byte \(offset)")
            p[offset] = 0x07  // control character
            #expect(decode(0x81, p) == "field", "byte \(offset)")
        }
        var cal = Self.vector("set_calibration").payload
        cal[42] = 0x80
        #expect(decode(0x06, cal) == "field")
    }

    @Test func bytesAfterTheTerminatingNULAreRejected() {
        var p = Self.vector("identity").payload
        p[1 + 15] = 0x41  // serial "MQ-2026-0042\0\0\0A"
        #expect(decode(0x81, p) == "field")
    }

    @Test func fullWidthStringsNeedNoTerminator() throws {
        var f = Self.vector("identity").fields
        f.serial = "ABCDEFGHIJKLMNOP"
        let payload = try CCodec.encodePayload(type: 0x81, f)
        #expect(try CCodec.decodePayload(type: 0x81, payload).serial == "ABCDEFGHIJKLMNOP")
    }

    @Test func encoderRefusesNonASCII() {
        var f = Self.vector("set_calibration").fields
        f.technician = "j.trembläy"
        #expect(throws: CCodecError(result: MWP_ERR_FIELD)) { try CCodec.encodePayload(type: 0x06, f) }
    }

    @Test func channelRecordConstraints() {
        let base = Self.vector("identity").payload
        var p = base
        p[43] = 7  // kind 7 is not defined
        #expect(decode(0x81, p) == "field")
        p = base
        p[44] = 0  // adc_bits 0
        #expect(decode(0x81, p) == "field")
        p = base
        p[44] = 33
        #expect(decode(0x81, p) == "field")
        p = base
        p.replaceSubrange(43 + 26..<43 + 30, with: [0, 0, 0x80, 0])  // raw_min 8388608 > raw_max 8388607
        #expect(decode(0x81, p) == "field")
    }

    @Test func calibrationConstraints() {
        let base = Self.vector("set_calibration").payload
        var p = base
        p[1] = 4  // degree above 3
        #expect(decode(0x06, p) == "field")
        p = base
        p.replaceSubrange(2..<10, with: [0, 0, 0, 0, 0, 0, 0xF8, 0x7F])  // c0 = NaN
        #expect(decode(0x06, p) == "field")
        p = base
        p.replaceSubrange(10..<18, with: [0, 0, 0, 0, 0, 0, 0xF0, 0xFF])  // c1 = -infinity
        #expect(decode(0x06, p) == "field")
        var f = Self.vector("set_calibration").fields
        f.coefficients = [.nan, 0, 0, 0]
        #expect(throws: CCodecError(result: MWP_ERR_FIELD)) { try CCodec.encodePayload(type: 0x06, f) }
    }

    @Test func samplesBounds() throws {
        let header = Array(Self.vector("samples_small").payload[..<22])
        var p = header
        p[16] = 0  // channel_mask 0
        #expect(decode(0x40, p) == "field")
        p = header
        p[20] = 0  // count 0
        #expect(decode(0x40, p) == "field")

        // 1016 values fit in one frame; 1017 do not.
        var f = Fields()
        f.first_index = 0
        f.count = 254
        f.values = Array(repeating: [1, 2, 3, 4], count: 254)
        f.device_time_us = 0
        f.channel_mask = 0xF
        let full = try CCodec.encodePayload(type: 0x40, f)
        #expect(full.count == 22 + 4 * 1016)
        #expect(try CCodec.frame(type: 0x40, seq: 0, payload: full).count <= Int(MWP_MAX_WIRE_LEN))
        f.count = 127
        f.channel_mask = 0xFF
        f.values = Array(repeating: Array(1...8), count: 127)
        #expect(try CCodec.encodePayload(type: 0x40, f).count == 22 + 4 * 1016)
        f.count = 339
        f.channel_mask = 0x7
        f.values = Array(repeating: [1, 2, 3], count: 339)  // 1017 values
        #expect(throws: CCodecError(result: MWP_ERR_FIELD)) { try CCodec.encodePayload(type: 0x40, f) }
        p = header
        p.replaceSubrange(16..<22, with: [0x07, 0, 0, 0, 0x53, 0x01])
        #expect(decode(0x40, p + [UInt8](repeating: 0, count: 4 * 1017)) == "field")
    }

    @Test func samplesValueCountMustMatchHeader() {
        var f = Self.vector("samples_small").fields
        f.values = Array(f.values!.dropLast())
        #expect(throws: CCodecError(result: MWP_ERR_FIELD)) { try CCodec.encodePayload(type: 0x40, f) }
    }

    @Test func logTextMustBeUTF8() {
        #expect(decode(0x42, [2] + Array("ok ✓".utf8)) == "ok")
        #expect(decode(0x42, [2]) == "ok")
        #expect(decode(0x42, []) == "payload_length")
        #expect(decode(0x42, [2, 0xFF]) == "field")  // never valid
        #expect(decode(0x42, [2, 0xE2, 0x9C]) == "field")  // truncated sequence
        #expect(decode(0x42, [2, 0xC0, 0x80]) == "field")  // overlong NUL
        #expect(decode(0x42, [2, 0xED, 0xA0, 0x80]) == "field")  // surrogate
        #expect(decode(0x42, [2, 0xF4, 0x90, 0x80, 0x80]) == "field")  // above U+10FFFF
        #expect(decode(0x42, [200, 0x41]) == "ok")  // unknown levels are shown, not refused
    }

    @Test func encodersReportSmallBuffers() {
        #expect(throws: CCodecError(result: MWP_ERR_BUFFER)) {
            try CCodec.encoding(capacity: 7) { mwp_encode_ping(1, $0, $1, $2) }
        }
        #expect(throws: CCodecError(result: MWP_ERR_BUFFER)) {
            try CCodec.encoding(capacity: 4) { buf, cap, len in
                var cal = mwp_calibration(Self.vector("set_calibration").fields)
                return mwp_encode_set_calibration(&cal, buf, cap, len)
            }
        }
    }
}
