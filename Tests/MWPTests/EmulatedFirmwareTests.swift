import MWP
import MosquitoModel
import Testing

/// The conversation's rules (PROTOCOL.md §7) as every emulated instrument answers them, on an instrument whose
/// own decisions are scripted: the rules decide, the instrument is asked only what is its to decide.
@Suite struct EmulatedFirmwareTests {
    struct Scripted: EmulatedFirmware {
        var identity = IdentityRecord(
            serial: "MQ-1", design: "test", hardwareRevision: 1, firmware: FirmwareVersion(major: 1, minor: 0, patch: 0),
            maxRateHz: 1_000,
            channels: (0..<3).map { ChannelDescriptor(kind: .voltage, adcBits: 16, unit: "V", name: "c\($0)", rawMin: 0, rawMax: 1) })
        var isStreaming = false
        var takesRate = true
        var configured: (UInt32, UInt32)?
        var stored: [CalibrationRecord] = []
        var storage = Status.ok

        mutating func configure(rateHz: UInt32, channelMask: UInt32) -> Bool {
            guard takesRate else { return false }
            configured = (rateHz, channelMask)
            return true
        }
        mutating func start(deviceNowUs: UInt64) -> Status {
            guard configured != nil else { return .notConfigured }
            isStreaming = true
            return .ok
        }
        mutating func stop() { isStreaming = false }
        func calibration(channel: Int) -> CalibrationRecord { .identity(channel: UInt8(channel)) }
        mutating func store(_ record: CalibrationRecord) -> Status {
            stored.append(record)
            return storage
        }
    }

    @Test func configureChecksRangesBeforeTheInstrumentIsAsked() {
        var f = Scripted()
        for (rate, mask) in [(UInt32(0), UInt32(1)), (1_001, 1), (500, 0), (500, 0b1000), (500, .max)] {
            #expect(f.reply(to: .configure(rateHz: rate, channelMask: mask), deviceNowUs: 0) == .configureReply(.badArgument))
        }
        #expect(f.configured == nil)
        f.takesRate = false
        #expect(f.reply(to: .configure(rateHz: 500, channelMask: 1), deviceNowUs: 0) == .configureReply(.badArgument))
        f.takesRate = true
        #expect(f.reply(to: .configure(rateHz: 1_000, channelMask: 0b111), deviceNowUs: 0) == .configureReply(.ok))
        #expect(f.configured.map { [$0.0, $0.1] } == [1_000, 0b111])
    }

    @Test func startStopAndBusy() {
        var f = Scripted()
        #expect(f.reply(to: .start, deviceNowUs: 0) == .startReply(.notConfigured))
        _ = f.reply(to: .configure(rateHz: 100, channelMask: 1), deviceNowUs: 0)
        #expect(f.reply(to: .start, deviceNowUs: 0) == .startReply(.ok))
        #expect(f.reply(to: .start, deviceNowUs: 0) == .startReply(.busy))
        #expect(f.reply(to: .configure(rateHz: 200, channelMask: 1), deviceNowUs: 0) == .configureReply(.busy))
        #expect(f.configured.map { $0.0 } == 100)
        #expect(f.reply(to: .stop, deviceNowUs: 0) == .stopReply(.ok) && !f.isStreaming)
        // STOP is OK when not streaming.
        #expect(f.reply(to: .stop, deviceNowUs: 0) == .stopReply(.ok))
    }

    /// Calibration is read and stored while streaming too; only a channel the instrument lacks is refused.
    @Test func calibrationWhileStreamingAndOutOfRange() {
        var f = Scripted()
        _ = f.reply(to: .configure(rateHz: 100, channelMask: 1), deviceNowUs: 0)
        _ = f.reply(to: .start, deviceNowUs: 0)
        #expect(f.reply(to: .getCalibration(channel: 2), deviceNowUs: 0) == .calibration(.ok, .identity(channel: 2)))
        #expect(f.reply(to: .getCalibration(channel: 3), deviceNowUs: 0) == .calibration(.badArgument, nil))
        #expect(f.reply(to: .setCalibration(.identity(channel: 1)), deviceNowUs: 0) == .setCalibrationReply(.ok))
        #expect(f.reply(to: .setCalibration(.identity(channel: 3)), deviceNowUs: 0) == .setCalibrationReply(.badArgument))
        f.storage = .storageFailed
        #expect(f.reply(to: .setCalibration(.identity(channel: 0)), deviceNowUs: 0) == .setCalibrationReply(.storageFailed))
        #expect(f.stored.map(\.channel) == [1, 0] && f.isStreaming)
    }

    @Test func helloStopsStreamingAndPingCarriesTheDeviceClock() {
        var f = Scripted()
        _ = f.reply(to: .configure(rateHz: 100, channelMask: 1), deviceNowUs: 0)
        _ = f.reply(to: .start, deviceNowUs: 0)
        #expect(f.reply(to: .hello(hostVersion: MWP.version), deviceNowUs: 0) == .identity(.ok, f.identity))
        #expect(!f.isStreaming)
        #expect(f.reply(to: .hello(hostVersion: MWP.version + 1), deviceNowUs: 0) == .identity(.unsupportedVersion, nil))
        #expect(f.reply(to: .ping(hostTimeNs: 42), deviceNowUs: 99) == .pong(.ok, hostTimeNs: 42, deviceTimeUs: 99))
    }

    /// The device restarts its seq at HELLO, so the IDENTITY that answers it is seq 0 however long the link ran.
    @Test func helloRestartsTheDevicesSeq() throws {
        var wire = FirmwareWire()
        var host = FrameEncoder()
        var fromDevice: [UInt8] = []
        func ask(_ request: Message) throws -> UInt16 {
            var bytes: [UInt8] = []
            try host.encode(request, into: &bytes)
            bytes.withUnsafeBytes { wire.receive($0) }
            let request = wire.nextRequest(answeringInto: &fromDevice)
            let asked = try #require(request)
            var instrument = Scripted()
            var out: [UInt8] = []
            wire.send(instrument.reply(to: asked, deviceNowUs: 0), into: &out)
            var decoder = FrameDecoder()
            decoder.append(out)
            guard case .frame(let frame) = decoder.next() else { Issue.record("no frame"); return .max }
            return frame.seq
        }
        #expect(try ask(.ping(hostTimeNs: 1)) == 0)
        #expect(try ask(.ping(hostTimeNs: 2)) == 1)
        #expect(try ask(.ping(hostTimeNs: 3)) == 2)
        #expect(try ask(.hello(hostVersion: MWP.version)) == 0)
        #expect(try ask(.ping(hostTimeNs: 4)) == 1)
    }
}
