import Foundation
import Testing

/// `--device replay:run.h5[:speed]`: a recording played back through the whole acquisition path.
@Suite(.serialized) struct ReplayEndToEndTests {
    func record(_ options: [String: String], seconds: String = "1") throws -> (path: String, result: Mosquito.Result) {
        let path = temporaryPath("source.h5")
        let r = try Mosquito.run(["record", "--device", HDF5RecordTests.uri(options), "--duration", seconds,
                                  "--rate", "1000", "--output", path])
        return (path, r)
    }

    @Test func replayReproducesRawValuesAndDeviceTimesExactly() throws {
        let source = try record(HDF5RecordTests.clean)
        #expect(source.result.status == 0, "\(source.result.stderr)")
        let again = temporaryPath("again.csv")
        let r = try Mosquito.run(["record", "--device", "replay:\(source.path):0", "--raw", "--output", again, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let f = try H5py.run(H5py.dump, [source.path])
        let index = f["index"] as! [Int], times = f["device_time_us"] as! [Int], raw = f["raw"] as! [[Int]]
        let csv = try readCSV(again)
        #expect(csv.header == ["index", "device_time_us"] + (f["channel_names"] as! [String]))
        #expect(csv.rows == index.indices.map { [String(index[$0]), String(times[$0])] + raw[$0].map(String.init) })
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let device = (summary["devices"] as! [[String: Any]])[0]
        #expect(device["serial"] as? String == (f["device"] as! [String: String])["serial"])
        #expect((device["lost"] as! [String: Any])["total"] as? Int == 0)
        #expect(device["linkError"] == nil)
    }

    @Test func replayedValuesEqualTheRecordedOnesWithTheirGaps() throws {
        let source = try record(HDF5RecordTests.dropping)
        #expect(source.result.status != 0)
        let exported = temporaryPath("exported.csv"), replayed = temporaryPath("replayed.csv")
        #expect(try Mosquito.run(["export", source.path, "--format", "csv", "--output", exported]).status == 0)
        let r = try Mosquito.run(["record", "--device", "replay:\(source.path):0", "--output", replayed, "--json"])
        // The recorded gaps reappear as gaps, and are reported as loss again; the trailing gap (frame 500,
        // indices 998-999) does not: no later sample proves it.
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: 98 samples lost (transport gap 98, CRC error 0, device overrun 0, host overrun 0)"])
        #expect(try String(contentsOfFile: replayed, encoding: .utf8) == String(contentsOfFile: exported, encoding: .utf8))
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((summary["devices"] as! [[String: Any]])[0]["linkError"] == nil)
    }

    @Test func replayToHDF5KeepsIdentityCalibrationAndGaps() throws {
        let source = try record(HDF5RecordTests.dropping)
        let again = temporaryPath("again.h5")
        _ = try Mosquito.run(["record", "--device", "replay:\(source.path):0", "--output", again])
        let a = try H5py.run(H5py.dump, [source.path]), b = try H5py.run(H5py.dump, [again])
        for key in ["index", "device_time_us", "raw", "values", "channel_names", "value_units", "calibration", "rate_hz", "decimation"] {
            #expect("\(a[key]!)" == "\(b[key]!)", "\(key) differs")
        }
        let (da, db) = (a["device"] as! [String: String], b["device"] as! [String: String])
        for key in ["serial", "design", "hardware_revision", "firmware_version"] { #expect(da[key] == db[key]) }
        #expect(db["uri"] == "replay:\(source.path):0")
        #expect(b["decimation"] as? Int == 1)
        #expect((b["gaps"] as! [[Any]]).count == (a["gaps"] as! [[Any]]).count - 1)
    }

    @Test func replayReenactsDeviceOverrunsAndCRCErrors() throws {
        let source = try record(["channels": "1", "seed": "6", "corrupt_every": "25", "overrun_every": "40", "overrun_samples": "3"])
        #expect(source.result.status != 0)
        let again = temporaryPath("causes.h5")
        _ = try Mosquito.run(["record", "--device", "replay:\(source.path):0", "--output", again])
        let a = try H5py.run(H5py.dump, [source.path]), b = try H5py.run(H5py.dump, [again])
        let last = (a["index"] as! [Int]).last!
        // Gaps before the last recorded row come back with the same place, size and cause.
        let recorded = (a["gaps"] as! [[Any]]).filter { ($0[0] as! Int) < last }.map { "\($0)" }
        #expect((a["gaps"] as! [[Any]]).contains { $0[2] as? String == "device_overrun" })
        #expect((a["gaps"] as! [[Any]]).contains { $0[2] as? String == "crc_error" })
        #expect((b["gaps"] as! [[Any]]).map { "\($0)" } == recorded)
        #expect("\(a["raw"]!)" == "\(b["raw"]!)")
    }

    @Test func realTimeReplayTakesTheRecordedTime() throws {
        let source = try record(HDF5RecordTests.clean)
        let again = temporaryPath("paced.csv")
        let started = Date()
        let r = try Mosquito.run(["record", "--device", "replay:\(source.path):2", "--output", again])
        #expect(r.status == 0, "\(r.stderr)")
        // 1 s of recording at twice real time cannot end in less than half a second.
        #expect(Date().timeIntervalSince(started) >= 0.45)
        #expect(try readCSV(again).rows.count == 1000)
    }

    @Test func replayRefusesARateOrChannelItDoesNotHave() throws {
        let source = try record(HDF5RecordTests.clean)
        let out = temporaryPath("refused.csv")
        let rate = try Mosquito.run(["record", "--device", "replay:\(source.path):0", "--rate", "500", "--output", out])
        #expect(rate.status != 0)
        #expect(rate.errorLines.count == 1)
        #expect(rate.errorLines.first?.contains("BAD_ARGUMENT") == true)
        let channel = try Mosquito.run(["record", "--device", "replay:\(source.path):0", "--channels", "5", "--output", out])
        #expect(channel.status != 0)
        #expect(channel.errorLines.count == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func replayOfATwoDeviceRecordingPlaysTheFirstOrTheOneNamed() throws {
        let source = temporaryPath("two.h5")
        let recorded = try Mosquito.run([
            "record", "--device", "sim?serial=MQ-A&channels=1&seed=1", "--device", "sim?serial=MQ-B&channels=2&seed=2",
            "--duration", "0.5", "--rate", "1000", "--output", source,
        ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        for (position, selector) in [(0, ""), (1, "#MQ-B")] {
            let out = temporaryPath("device\(position).csv")
            let r = try Mosquito.run(["record", "--device", "replay:\(source)\(selector):0", "--raw", "--output", out])
            #expect(r.status == 0, "\(r.stderr)")
            let f = try H5py.run(H5py.dump, [source, String(position)])
            #expect((f["device"] as! [String: String])["serial"] == ["MQ-A", "MQ-B"][position])
            let index = f["index"] as! [Int], times = f["device_time_us"] as! [Int], raw = f["raw"] as! [[Int]]
            #expect(index.count == 500)
            #expect(try readCSV(out).rows == index.indices.map { [String(index[$0]), String(times[$0])] + raw[$0].map(String.init) })
        }
    }

    @Test func replayChoosesADeviceBySerial() throws {
        let source = try record(HDF5RecordTests.clean)
        let serial = (try H5py.run(H5py.dump, [source.path])["device"] as! [String: String])["serial"]!
        let out = temporaryPath("by-serial.csv")
        let r = try Mosquito.run(["record", "--device", "replay:\(source.path)#\(serial):0", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try readCSV(out).rows.count == 1000)
        let missing = try Mosquito.run(["record", "--device", "replay:\(source.path)#NOPE:0", "--output", temporaryPath("nope.csv")])
        #expect(missing.status != 0)
        #expect(missing.errorLines.count == 1)
        #expect(missing.errorLines.first?.contains("no device NOPE") == true)
    }

    /// `record --decimate` says so in the typed `decimation` attribute, and replay refuses the file by it: with the
    /// pipeline's prose rewritten to say nothing of decimation, still refused. A file without the attribute (written
    /// before it existed) is refused by its prose.
    @Test func replayRefusesADecimatedRecordingByItsDecimationAttribute() throws {
        let source = temporaryPath("decimated.h5")
        let recorded = try Mosquito.run(["record", "--device", HDF5RecordTests.uri(HDF5RecordTests.clean), "--duration", "1",
                                         "--rate", "1000", "--decimate", "10", "--output", source])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(try H5py.run(H5py.dump, [source])["decimation"] as? Int == 10)
        func replay() throws -> Mosquito.Result {
            try Mosquito.run(["record", "--device", "replay:\(source):0", "--output", temporaryPath("replayed.csv")])
        }
        _ = try H5py.run(Self.rewritePipeline, [source, "acquire 1000 Hz"])
        let typed = try replay()
        #expect(typed.status != 0)
        #expect(typed.errorLines.count == 1)
        #expect(typed.errorLines.first?.contains("its values were decimated by 10") == true, "\(typed.errorLines)")

        _ = try H5py.run(Self.rewritePipeline, [source, "acquire 1000 Hz", "decimate 10", "--legacy"])
        #expect(try H5py.run(H5py.dump, [source])["decimation"] is NSNull)
        let legacy = try replay()
        #expect(legacy.status != 0)
        #expect(legacy.errorLines.count == 1)
        #expect(legacy.errorLines.first?.contains("its values were decimated (decimate 10)") == true, "\(legacy.errorLines)")
    }

    /// Sets the first device's `pipeline` to `argv[2:]` (less a trailing `--legacy`, which also removes `decimation`,
    /// as in a file written before the attribute existed).
    static let rewritePipeline = """
        import h5py, json, sys
        steps = [s for s in sys.argv[2:] if s != "--legacy"]
        with h5py.File(sys.argv[1], "r+") as f:
            d = f["devices"][f.attrs["device_groups"][0]]
            d.attrs.create("pipeline", steps, dtype=h5py.string_dtype())
            if "--legacy" in sys.argv:
                del d.attrs["decimation"]
        print(json.dumps({}))
        """
}
