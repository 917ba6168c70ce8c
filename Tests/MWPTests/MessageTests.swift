import MosquitoModel
import Testing
import MWP

@Suite struct MessageTests {
    static let identity = IdentityRecord(
        serial: "MQ-2026-0001", design: "MQ-FORCE", hardwareRevision: 3,
        firmware: FirmwareVersion(major: 1, minor: 2, patch: 3), maxRateHz: 100_000,
        channels: (0..<16).map {
            ChannelDescriptor(kind: .voltage, adcBits: 24, unit: "V", name: "ch\($0)", rawMin: -8_388_608, rawMax: 8_388_607)
        })

    static let messages: [Message] = [
        .hello(hostVersion: 1),
        .identity(.ok, identity),
        .identity(.unsupportedVersion, nil),
        .configure(rateHz: 100_000, channelMask: 0xFFFF),
        .configureReply(.busy),
        .start, .startReply(.notConfigured), .stop, .stopReply(.ok),
        .getCalibration(channel: 15),
        .calibration(.ok, CalibrationRecord(channel: 2, degree: 3, coefficients: [1, -2, 3e-9, -4e-15], calibratedAt: 1_800_000_000, technician: "a.b")),
        .calibration(.badArgument, nil),
        .setCalibration(CalibrationRecord(channel: 1, degree: 1, coefficients: [0.5, 1e-6], calibratedAt: 0, technician: "0123456789abcdef")),
        .setCalibrationReply(.storageFailed),
        .ping(hostTimeNs: .max), .pong(.ok, hostTimeNs: 1, deviceTimeUs: .max),
        .samples(SamplesPayload(firstIndex: .max - 1, deviceTimeUs: 0, channelMask: 1 << 31, count: 1, values: [.min])),
        .pong(.badLength, hostTimeNs: 0, deviceTimeUs: 0),
        .status(DeviceStatus(flags: [.bufferOverrun, .calibrationInvalid], droppedTotal: .max, temperatureCentiC: -4000)),
        .log(level: 0, text: ""), .log(level: 4, text: "ünïcode ✓"),
        .errorReply(MessageType(rawValue: 0xFE), .unknownType),
    ]

    @Test(arguments: messages.indices)
    func roundTrips(_ i: Int) throws {
        let message = Self.messages[i]
        var encoder = FrameEncoder()
        var wire: [UInt8] = []
        try encoder.encode(message, into: &wire)
        var decoder = FrameDecoder()
        decoder.append(wire)
        guard case .frame(let frame) = decoder.next() else { Issue.record("no frame"); return }
        #expect(try frame.message() == message)
    }

    @Test func seqCountsAndWraps() throws {
        var encoder = FrameEncoder(firstSeq: 65535)
        var wire: [UInt8] = []
        try encoder.encode(.stop, into: &wire)
        try encoder.encode(.stop, into: &wire)
        var decoder = FrameDecoder()
        decoder.append(wire)
        guard case .frame(let a) = decoder.next(), case .frame(let b) = decoder.next() else { Issue.record(); return }
        #expect(a.seq == 65535 && b.seq == 0)
    }

    @Test func encoderRefusesWhatTheWireCannotCarry() {
        var encoder = FrameEncoder()
        var wire: [UInt8] = []
        #expect(throws: MessageError.stringTooLong(field: "technician", width: 16)) {
            try encoder.encode(.setCalibration(CalibrationRecord(channel: 0, degree: 1, coefficients: [0, 1], calibratedAt: 0, technician: "a-name-longer-than-16")), into: &wire)
        }
        #expect(throws: MessageError.nonASCII(field: "serial", byte: 0x07)) {
            var id = Self.identity
            id.serial = "MQ\u{7}"
            try encoder.encode(.identity(.ok, id), into: &wire)
        }
        let tooMany = SamplesPayload(firstIndex: 0, deviceTimeUs: 0, channelMask: 0xFFFF, count: 100, values: .init(repeating: 0, count: 1600))
        #expect(throws: MessageError.self) { try encoder.encode(.samples(tooMany), into: &wire) }
        #expect(wire.isEmpty)
        #expect(encoder.nextSeq == 0)
    }

    @Test func parsersRejectHostileRecords() {
        func decode(_ t: MessageType, _ p: [UInt8]) -> MessageError? {
            p.withUnsafeBytes { b in
                do throws(MessageError) { _ = try Message.decode(type: t, payload: b); return nil } catch { return error }
            }
        }
        var w = WireWriter()
        w.u8(0)
        Self.identity.encode(into: &w)
        var absurd = w.bytes
        absurd[1 + 16 + 16 + 2 + 3] = 255  // channel_count
        #expect(decode(.hello.reply, absurd) == .invalidValue("identity declares 255 channels; at most 32"))
        #expect(decode(.hello.reply, Array(w.bytes.dropLast())) == .truncated)
        var nonASCII = w.bytes
        nonASCII[2] = 0xC3
        #expect(decode(.hello.reply, nonASCII) == .nonASCII(field: "serial", byte: 0xC3))
        #expect(decode(.samples, [UInt8](repeating: 0, count: 21)) == .truncated)
        var samples = [UInt8](repeating: 0, count: 22)
        samples[16] = 1; samples[20] = 2  // mask 1 channel, count 2, no values
        #expect(decode(.samples, samples) == .truncated)
        #expect(decode(.configure.reply, [9]) == .unknownStatus(9))
        #expect(decode(.ping, [1, 2, 3]) == .truncated)
        #expect(decode(.stop, [1]) == .trailingBytes(1))
        #expect(decode(MessageType(rawValue: 0x33), []) == .unknownType(0x33))
        #expect(decode(.log, [1, 0xFF, 0xFE]) == .invalidValue("log text is not UTF-8"))
    }

    @Test func samplesViewReadsWithoutCopy() throws {
        let block = SamplesPayload(firstIndex: 10, deviceTimeUs: 5, channelMask: 0b1010, count: 3, values: [1, -2, 3, -4, 5, -6])
        var w = WireWriter()
        block.encode(into: &w)
        try w.bytes.withUnsafeBytes { p in
            let view = try SamplesView(payload: p)
            #expect(view.header.channelCount == 2)
            #expect(view.value(sample: 2, channel: 1) == -6)
            #expect(SamplesPayload(view) == block)
        }
    }
}
