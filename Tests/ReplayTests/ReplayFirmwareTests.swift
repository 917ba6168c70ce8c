import Foundation
import MWP
import MosquitoModel
import Recording
import Testing

@testable import Replay

/// The replayed instrument's protocol core, driven with real MWP/1 frames.
@Suite struct ReplayFirmwareTests {
    static let recorded = RecordedDevice(
        uri: "sim",
        identity: UnitIdentity(serial: "MQ-R-1", design: "MQ-FORCE", hardwareRevision: 2, firmware: FirmwareVersion(major: 1, minor: 4, patch: 2)),
        configuration: DeviceConfiguration(rateHz: 1000, channels: [
            ChannelDescriptor(kind: .force, adcBits: 24, unit: "N", name: "force", rawMin: -8_388_608, rawMax: 8_388_607),
            ChannelDescriptor(kind: .temperature, adcBits: 12, unit: "degC", name: "temp", rawMin: 0, rawMax: 4095),
            ChannelDescriptor(kind: ChannelKind(name: "made-up"), adcBits: 16, unit: "V", name: "x", rawMin: 0, rawMax: 65535),
        ]),
        pipeline: ["acquire 1000 Hz"],
        decimation: 1,
        calibration: [
            RecordedCalibration(channel: "temp", degree: 1, coefficients: [-12.5, 0.025], calibratedAt: 1_767_225_600,
                                        technician: "factory"),
        ])

    struct Host {
        var firmware: ReplayFirmware
        var encoder = FrameEncoder()
        var decoder = FrameDecoder()

        init() throws { firmware = ReplayFirmware(device: try ReplayDevice(ReplayFirmwareTests.recorded)) }

        /// Sends one request and returns every message the firmware answered with.
        mutating func send(_ message: Message, deviceNowUs: UInt64 = 7) throws -> [Message] {
            var wire: [UInt8] = []
            try encoder.encode(message, into: &wire)
            wire.withUnsafeBytes { firmware.receive($0, deviceNowUs: deviceNowUs) }
            return try drain()
        }

        mutating func drain() throws -> [Message] {
            decoder.append(firmware.output)
            firmware.output.removeAll()
            var messages: [Message] = []
            while case .frame(let frame) = decoder.next() { messages.append(try frame.message()) }
            return messages
        }
    }

    @Test func helloAnswersWithTheRecordedIdentity() throws {
        var host = try Host()
        guard case .identity(.ok, let identity?) = try host.send(.hello(hostVersion: MWP.version)).first else {
            Issue.record("no identity")
            return
        }
        #expect(identity.serial == "MQ-R-1")
        #expect(identity.design == "MQ-FORCE")
        #expect(identity.hardwareRevision == 2)
        #expect(identity.firmware == FirmwareVersion(major: 1, minor: 4, patch: 2))
        #expect(identity.maxRateHz == 1000)
        #expect(identity.channels.map(\.kind) == [.force, .temperature, .other])
        #expect(identity.channels.map(\.name) == ["force", "temp", "x"])
        #expect(identity.channels[0].rawMin == -8_388_608 && identity.channels[0].adcBits == 24)
    }

    @Test func calibrationIsTheRecordedOneOrIdentity() throws {
        var host = try Host()
        #expect(try host.send(.getCalibration(channel: 1)) == [.calibration(.ok, CalibrationRecord(
            channel: 1, degree: 1, coefficients: [-12.5, 0.025], calibratedAt: 1_767_225_600, technician: "factory"))])
        #expect(try host.send(.getCalibration(channel: 0)) == [.calibration(.ok, .identity(channel: 0))])
        #expect(try host.send(.getCalibration(channel: 3)) == [.calibration(.badArgument, nil)])
        #expect(try host.send(.setCalibration(.identity(channel: 1))) == [.setCalibrationReply(.storageFailed)])
    }

    @Test func configureAcceptsOnlyTheRecordedRateAndChannels() throws {
        var host = try Host()
        #expect(try host.send(.start) == [.startReply(.notConfigured)])
        #expect(try host.send(.configure(rateHz: 500, channelMask: 0b1)) == [.configureReply(.badArgument)])
        #expect(try host.send(.configure(rateHz: 1000, channelMask: 0b1000)) == [.configureReply(.badArgument)])
        #expect(try host.send(.configure(rateHz: 1000, channelMask: 0)) == [.configureReply(.badArgument)])
        #expect(try host.send(.configure(rateHz: 1000, channelMask: 0b101)) == [.configureReply(.ok)])
        #expect(try host.send(.start) == [.startReply(.ok)])
        #expect(host.firmware.isStreaming && host.firmware.starts == 1)
        #expect(try host.send(.configure(rateHz: 1000, channelMask: 0b1)) == [.configureReply(.busy)])
        #expect(try host.send(.ping(hostTimeNs: 42), deviceNowUs: 99) == [.pong(.ok, hostTimeNs: 42, deviceTimeUs: 99)])
        #expect(try host.send(.stop) == [.stopReply(.ok)])
        #expect(!host.firmware.isStreaming)
    }

    /// A host that says HELLO to a streaming replay (one that restarted) finds it stopped, as firmware does.
    @Test func helloStopsAStreamingReplay() throws {
        var host = try Host()
        _ = try host.send(.configure(rateHz: 1000, channelMask: 0b1))
        _ = try host.send(.start)
        #expect(host.firmware.isStreaming)
        #expect(try host.send(.hello(hostVersion: MWP.version)).count == 1)
        #expect(!host.firmware.isStreaming)
        #expect(try host.send(.start) == [.startReply(.ok)] && host.firmware.starts == 2)
    }

    @Test func samplesCarryTheConfiguredChannelsOfTheRecordedRows() throws {
        var host = try Host()
        _ = try host.send(.configure(rateHz: 1000, channelMask: 0b101))
        _ = try host.send(.start)
        // Two recorded rows of three channels.
        host.firmware.sendSamples(firstIndex: 40, deviceTimeUs: 5_040_000, raw: [1, 2, 3, 4, 5, 6][...], rows: 2)
        #expect(try host.drain() == [.samples(.init(
            firstIndex: 40, deviceTimeUs: 5_040_000, channelMask: 0b101, count: 2, values: [1, 3, 4, 6]))])
    }

    @Test func recordingsThatCannotBeAnInstrumentAreRefused() throws {
        var decimated = Self.recorded
        decimated.decimation = 10
        #expect(throws: ReplayError.unsupported("its values were decimated by 10; only undecimated recordings replay")) {
            try ReplayDevice(decimated)
        }
        var fractional = Self.recorded
        fractional.configuration.rateHz = 333.5
        #expect(throws: ReplayError.self) { try ReplayDevice(fractional) }
    }

    /// The typed factor decides; the pipeline's prose is read only for a file that has no factor (written before
    /// recordings carried one), so an archive's undecimated rows replay even when the edge's own file was decimated.
    @Test func decimationIsReadFromTheTypedFactorAndFromProseOnlyForLegacyFiles() throws {
        let step = "decimate by 10 (anti-alias Butterworth low-pass, order 8, cutoff 40 Hz)"
        var undecimatedRowsOfADecimatingEdge = Self.recorded
        undecimatedRowsOfADecimatingEdge.pipeline.append(step)
        #expect(try ReplayDevice(undecimatedRowsOfADecimatingEdge).rateHz == 1000)
        var legacy = undecimatedRowsOfADecimatingEdge
        legacy.decimation = nil
        #expect(throws: ReplayError.unsupported("its values were decimated (\(step)); only undecimated recordings replay")) {
            try ReplayDevice(legacy)
        }
        legacy.pipeline = ["acquire 1000 Hz"]
        #expect(try ReplayDevice(legacy).rateHz == 1000)
    }

    /// A recorded unit's firmware is typed, so text that no instrument could send is refused where it is read
    /// (the file, or JSON), before anything could try to replay it.
    @Test func firmwareThatIsNotMajorMinorPatchIsNoUnit() throws {
        #expect(FirmwareVersion("v1") == nil && FirmwareVersion("1.2") == nil && FirmwareVersion("1.2.300") == nil)
        #expect(FirmwareVersion("1.4.2") == FirmwareVersion(major: 1, minor: 4, patch: 2))
        let json = try JSONEncoder().encode(Self.recorded.identity)
        #expect(try JSONDecoder().decode(UnitIdentity.self, from: json) == Self.recorded.identity)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""hardwareRevision":"2""#) && text.contains(#""firmwareVersion":"1.4.2""#))
        let bad = Data(text.replacingOccurrences(of: #""1.4.2""#, with: #""v1""#).utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(UnitIdentity.self, from: bad) }
    }
}
