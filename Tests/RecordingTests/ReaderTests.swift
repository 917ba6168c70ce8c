import Foundation
import MosquitoModel
import Testing
@testable import Recording

@Suite struct ReaderTests {
    /// Writes a two-device run and returns its path plus the blocks written to device 0.
    static func writeRun(compress: Bool = false) throws -> (path: String, devices: [RecordedDevice], blocks: [SampleBlock]) {
        let path = Fixtures.temporaryPath("run.h5")
        let devices = [Fixtures.device(serial: "MQ-10", channels: 4, rate: 250), Fixtures.device(serial: "MQ-2", channels: 1)]
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header(devices), options: .init(compress: compress))
        let blocks = [try Fixtures.block(first: 0, count: 300, channels: 4), try Fixtures.block(first: 310, count: 390, channels: 4)]
        try writer.append(blocks[0], device: 0)
        try writer.record(Gap(firstMissingIndex: 300, count: 10, cause: .hostOverrun), device: 0)
        try writer.append(blocks[1], device: 0)
        try writer.append(try Fixtures.block(first: 0, count: 3, channels: 1), device: 1)
        try writer.record(RecordingEvent(sampleIndex: 5, hostTimeNs: 99, kind: "reconnect", detail: "usb"), device: 0)
        for k in 0..<5 {
            let send = Int64(k) * 1_000_000_000
            try writer.record(ClockExchange(hostSendNs: send, hostReceiveNs: send + 40_000,
                                            deviceTimeUs: UInt64(k) * 1_000_010, roundTripNs: 40_000 + Int64(k)), device: 0)
        }
        try writer.close(stopTime: Date(timeIntervalSince1970: 1_790_000_100))
        return (path, devices, blocks)
    }

    @Test func roundTripEqualsWhatWasWritten() throws {
        let run = try Self.writeRun(compress: true)
        let reader = try HDF5RecordingReader(path: run.path)
        #expect(reader.devices.map(\.device) == run.devices)
        #expect(reader.devices.map(\.group) == ["MQ-10", "MQ-2"])
        #expect(reader.metadata.stopTime == "2026-09-21T14:15:00.000Z")
        #expect(reader.metadata.commandLine == "mosquito record --output 'run 1.h5'")
        #expect(try reader.sampleCount(device: 0) == 690)
        #expect(try reader.sampleCount(device: 1) == 3)
        let all = try reader.readSamples(device: 0, rows: 0 ..< 690)
        let expected = run.blocks
        #expect(all.index == expected[0].index + expected[1].index)
        #expect(all.values == expected[0].values + expected[1].values)
        #expect(all.raw == expected[0].raw + expected[1].raw)
        #expect(all.deviceTimeUs == expected[0].deviceTimeUs + expected[1].deviceTimeUs)
        #expect(all.hostTimeNs == expected[0].hostTimeNs + expected[1].hostTimeNs)
        var streamed: [Double] = []
        var blockSizes: [Int] = []
        try reader.forEachBlock(device: 0, rows: 100 ..< 650, maxRows: 128) { block in
            streamed += block.values
            blockSizes.append(block.sampleCount)
        }
        #expect(streamed == Array(all.values[400 ..< 2600]))
        #expect(blockSizes == [128, 128, 128, 128, 38])
        #expect(try reader.gaps(device: 0) == [Gap(firstMissingIndex: 300, count: 10, cause: .hostOverrun)])
        #expect(try reader.events(device: 0) == [RecordingEvent(sampleIndex: 5, hostTimeNs: 99, kind: "reconnect", detail: "usb")])
        #expect(try reader.clockExchanges(device: 0).count == 5)
        #expect(try reader.firstRow(device: 0, atOrAfterDeviceTimeUs: 310_000) == 300)
    }

    @Test func summaryReportsCountsGapsAndClock() throws {
        let run = try Self.writeRun()
        let summary = try RecordingSummary(reading: HDF5RecordingReader(path: run.path))
        #expect(summary.closedCleanly)
        let first = try #require(summary.devices.first)
        #expect(first.sampleCount == 690 && first.firstIndex == 0 && first.lastIndex == 699)
        #expect(first.durationSeconds == 0.699)
        #expect(first.gapCount == 1 && first.missingSamples == 10 && first.missingByCause == ["host_overrun": 10])
        #expect(first.eventCount == 1)
        #expect(first.clock.exchanges == 5 && first.clock.roundTripMinNs == 40_000 && first.clock.roundTripMaxNs == 40_004)
        let drift = try #require(first.clock.driftPPM)
        #expect(abs(drift - 10) < 0.01)
        let text = summary.text.split(separator: "\n").map(String.init)
        #expect(text.contains("  rate 250 Hz, 690 samples, 0.699 s, indices 0…699"))
        #expect(text.contains("  gaps: 1 (10 samples missing: host_overrun 10)"))
        #expect(text.contains("  clock: 5 exchanges, round trip min/median/max 40.0/40.0/40.0 µs, drift 10.00 ppm"))
        #expect(text.contains("  calibration ch0: degree 1 [0.5, 0.0001], 2026-05-28T20:26:40.000Z by Ada, certificate CERT-17"))
        #expect(text[1].hasPrefix("started 2026-09-21T14:13:20.250Z, stopped "))
        let json = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(RecordingSummary.self, from: json) == summary)
    }

    @Test func csvExportEqualsHDF5ContentAsH5pySeesIt() throws {
        let run = try Self.writeRun()
        let reader = try HDF5RecordingReader(path: run.path)
        let out = Fixtures.temporaryPath("export.csv")
        try exportCSV(from: reader, selection: CSVExportSelection(channels: ["ch3", "ch1"], fromSeconds: 0.1, toSeconds: 0.5),
                      toPath: out)
        let script = """
        import h5py, csv, sys, numpy as np
        f = h5py.File(sys.argv[1], "r"); d = f["devices/MQ-10"]
        t = d["device_time_us"][()]; sel = (t >= t[0] + 100000) & (t < t[0] + 500000)
        rows = list(csv.reader(open(sys.argv[2])))
        assert rows[0] == ["index", "device_time_us", "ch3", "ch1"], rows[0]
        body = rows[1:]
        assert len(body) == int(sel.sum()), (len(body), int(sel.sum()))
        assert [int(r[0]) for r in body] == d["index"][()][sel].tolist()
        assert [int(r[1]) for r in body] == t[sel].tolist()
        v = d["values"][()][sel]
        assert np.array_equal(np.array([[float(r[2]), float(r[3])] for r in body]), v[:, [3, 1]])
        print(len(body))
        """
        let rows = try Python.run(script, arguments: [run.path, out])
        #expect(rows.trimmingCharacters(in: .whitespacesAndNewlines) == "390")
    }

    @Test func exportRejectsUnknownChannel() throws {
        let run = try Self.writeRun()
        let reader = try HDF5RecordingReader(path: run.path)
        #expect(throws: RecordingError.self) {
            try exportCSV(from: reader, selection: CSVExportSelection(channels: ["nope"])) { _ in }
        }
    }

    @Test func notARecordingIsTyped() throws {
        let path = Fixtures.temporaryPath("other.h5")
        _ = try Python.run("import h5py, sys; h5py.File(sys.argv[1], 'w').create_dataset('x', data=[1])", arguments: [path])
        #expect {
            _ = try HDF5RecordingReader(path: path)
        } throws: { error in
            guard case .notARecording = error as? RecordingError else { return false }
            return true
        }
        #expect {
            _ = try HDF5RecordingReader(path: path + ".missing")
        } throws: { error in
            guard case .cannotOpen(_, let reason) = error as? RecordingError else { return false }
            return reason.contains("No such file")
        }
    }
}

@Suite struct EmptyMetadataTests {
    @Test func deviceWithoutPipelineCalibrationOrSamplesRoundTrips() throws {
        let path = Fixtures.temporaryPath("empty.h5")
        var device = Fixtures.device(serial: "MQ-0", channels: 2)
        device.pipeline = []
        device.calibration = []
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([device]))
        try writer.close(stopTime: Date())
        let reader = try HDF5RecordingReader(path: path)
        #expect(reader.devices.map(\.device) == [device])
        #expect(try reader.sampleCount(device: 0) == 0)
        let summary = try RecordingSummary(reading: reader)
        #expect(summary.devices.first?.firstIndex == nil && summary.devices.first?.durationSeconds == 0)
        let seen = try Python.run("""
            import h5py, sys
            d = h5py.File(sys.argv[1], "r")["devices/MQ-0"]
            print(list(d.attrs["pipeline"]), d["calibration/channel"].shape, d["values"].shape)
            """, arguments: [path])
        #expect(seen.trimmingCharacters(in: .whitespacesAndNewlines) == "[] (0,) (0, 2)")
    }

    /// A device whose decimation is unknown (a file from before the attribute) is written without one, read back
    /// as unknown, and a file whose attribute is no factor is refused rather than read as some decimation.
    @Test func unknownDecimationStaysUnknownAndAFactorBelowOneIsRefused() throws {
        let path = Fixtures.temporaryPath("legacy.h5")
        var device = Fixtures.device(serial: "MQ-0", channels: 1)
        device.decimation = nil
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([device]))
        try writer.close(stopTime: Date())
        #expect(try HDF5RecordingReader(path: path).devices.map(\.device.decimation) == [nil])
        let seen = try Python.run("""
            import h5py, sys
            with h5py.File(sys.argv[1], "r+") as f:
                d = f["devices/MQ-0"]
                print("decimation" in d.attrs)
                d.attrs["decimation"] = 0
            """, arguments: [path])
        #expect(seen.trimmingCharacters(in: .whitespacesAndNewlines) == "False")
        #expect(throws: RecordingError.self) { try HDF5RecordingReader(path: path) }
    }
}
