import Foundation
import MWP
import Simulator
import Testing

/// `mosquito record --output run.h5` from the built-in simulator, then the file read by h5py, `inspect` and
/// `export`, each compared with what the simulator sent.
@Suite(.serialized) struct HDF5RecordTests {
    static let clean = ["channels": "2", "seed": "3"]
    static let dropping = ["channels": "2", "seed": "4", "drop_every": "10"]

    static func uri(_ options: [String: String]) -> String {
        "sim?" + options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    static func truth(_ options: [String: String]) throws -> SimulatedInstrument {
        SimulatedInstrument(config: try SimulatorConfig(options: options))
    }

    /// One second at 1000 Hz: 2 samples per frame, so with drop_every=10 frames 10, 20, … (indices 18-19,
    /// 38-39, …) never arrive.
    static func record(_ options: [String: String], to path: String) throws -> Mosquito.Result {
        try Mosquito.run(["record", "--device", uri(options), "--duration", "1", "--rate", "1000", "--output", path, "--json"])
    }

    static let droppedIndices = Set((0..<1000).filter { ($0 / 2 + 1) % 10 == 0 })

    @Test func h5pyReadsExactlyWhatTheSimulatorSent() throws {
        let path = temporaryPath("clean.h5")
        let r = try Self.record(Self.clean, to: path)
        #expect(r.status == 0, "\(r.stderr)")
        let f = try H5py.run(H5py.dump, [path])
        let root = f["root"] as! [String: String]
        #expect(root["format"] == "mosquito-recording")
        #expect(f["format_version"] as? Int == 1)
        #expect(f["has_stop_time"] as? Bool == true)
        #expect(root["command_line"]?.contains("--rate 1000") == true)
        #expect(f["device_uris"] as? [String] == [Self.uri(Self.clean)])
        let instrument = try Self.truth(Self.clean)
        let device = f["device"] as! [String: String]
        #expect(device["serial"] == instrument.config.unit.serial)
        #expect(device["firmware_version"] == instrument.config.identity.firmware.description)
        #expect(f["rate_hz"] as? Double == 1000)
        #expect(f["channel_names"] as? [String] == instrument.config.identity.channels.map(\.name))
        #expect(f["value_units"] as? [String] == instrument.config.identity.channels.map(\.unit))
        #expect(f["raw_dtype"] as? String == "int32")
        #expect(f["values_dtype"] as? String == "float64")
        let index = f["index"] as! [Int]
        #expect(index == Array(0..<1000))
        let times = f["device_time_us"] as! [Int]
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == 1000 })
        let raw = f["raw"] as! [[Int]]
        let values = H5py.doubles(f["values"])
        for i in 0..<1000 {
            for c in 0..<2 {
                let truth = instrument.rawSample(channel: c, index: UInt64(i), rateHz: 1000)
                #expect(raw[i][c] == Int(truth))
                #expect(values[i][c] == instrument.calibrations[c].value(raw: truth))
            }
        }
        #expect((f["gaps"] as! [Any]).isEmpty)
        #expect(H5py.doubles(f["calibration"]) == instrument.calibrations.map(\.coefficients))
    }

    @Test func droppedFramesAreTheGapsTable() throws {
        let path = temporaryPath("drops.h5")
        let r = try Self.record(Self.dropping, to: path)
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: 100 samples lost (transport gap 100, CRC error 0, device overrun 0, host overrun 0)"])
        let f = try H5py.run(H5py.dump, [path])
        let index = f["index"] as! [Int]
        #expect(Set(index) == Set(0..<1000).subtracting(Self.droppedIndices))
        #expect(index == index.sorted())
        let gaps = f["gaps"] as! [[Any]]
        #expect(gaps.map { $0[0] as! Int } == Array(stride(from: 18, to: 1000, by: 20)))
        #expect(gaps.allSatisfy { $0[1] as? Int == 2 && $0[2] as? String == "transport_gap" })
        let instrument = try Self.truth(Self.dropping)
        let raw = f["raw"] as! [[Int]]
        for (row, i) in index.enumerated() {
            #expect(raw[row] == (0..<2).map { Int(instrument.rawSample(channel: $0, index: UInt64(i), rateHz: 1000)) })
        }
    }

    @Test func inspectJSONMatchesTheFile() throws {
        let path = temporaryPath("inspect.h5")
        _ = try Self.record(Self.dropping, to: path)
        let r = try Mosquito.run(["inspect", path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(s["path"] as? String == path)
        #expect(s["closedCleanly"] as? Bool == true)
        let d = (s["devices"] as! [[String: Any]])[0]
        #expect(d["sampleCount"] as? Int == 900)
        #expect(d["firstIndex"] as? Int == 0)
        #expect(d["lastIndex"] as? Int == 997)
        #expect(d["durationSeconds"] as? Double == 0.997)
        #expect(d["gapCount"] as? Int == 50)
        #expect(d["missingSamples"] as? Int == 100)
        #expect(d["missingByCause"] as? [String: Int] == ["transport_gap": 100])
        let device = d["device"] as! [String: Any]
        let instrument = try Self.truth(Self.dropping)
        #expect((device["identity"] as! [String: Any])["serial"] as? String == instrument.config.unit.serial)
        let channels = (device["configuration"] as! [String: Any])["channels"] as! [[String: Any]]
        #expect(channels.map { $0["name"] as? String } == instrument.config.identity.channels.map(\.name))
        let calibration = device["calibration"] as! [[String: Any]]
        #expect(calibration.map { $0["coefficients"] as? [Double] } == instrument.calibrations.map(\.coefficients))
        #expect(((d["clock"] as! [String: Any])["exchanges"] as? Int ?? 0) >= 8)
        let text = try Mosquito.run(["inspect", path])
        #expect(text.status == 0)
        #expect(text.stdout.contains("900 samples"))
        #expect(text.stdout.contains("gaps: 50 (100 samples missing: transport_gap 100)"))
    }

    @Test func exportedCSVIsTheHDF5ContentAndACSVRecordingOfTheSameRun() throws {
        let h5 = temporaryPath("export.h5"), csv = temporaryPath("export.csv"), direct = temporaryPath("direct.csv")
        _ = try Self.record(Self.dropping, to: h5)
        let r = try Mosquito.run(["export", h5, "--format", "csv", "--output", csv])
        #expect(r.status == 0, "\(r.stderr)")
        let exported = try readCSV(csv)
        let f = try H5py.run(H5py.dump, [h5])
        #expect(exported.header == ["index", "device_time_us"] + (f["channel_names"] as! [String]))
        let index = f["index"] as! [Int], times = f["device_time_us"] as! [Int], values = H5py.doubles(f["values"])
        #expect(exported.rows.count == index.count)
        for (row, fields) in exported.rows.enumerated() {
            #expect(fields == [String(index[row]), String(times[row])] + values[row].map(\.description))
        }
        // The simulator is deterministic: the same run recorded straight to CSV has the same samples
        // (device times differ: each run's device clock starts when it connects).
        _ = try Mosquito.run(["record", "--device", Self.uri(Self.dropping), "--duration", "1", "--rate", "1000", "--output", direct])
        let recorded = try readCSV(direct)
        #expect(recorded.header == exported.header)
        #expect(recorded.rows.map { [$0[0]] + $0.dropFirst(2) } == exported.rows.map { [$0[0]] + $0.dropFirst(2) })
    }

    @Test func exportSelectsChannelsAndATimeRange() throws {
        let h5 = temporaryPath("range.h5")
        _ = try Self.record(Self.dropping, to: h5)
        let names = try Self.truth(Self.dropping).config.identity.channels.map(\.name)
        let r = try Mosquito.run(["export", h5, "--format", "csv", "--channels", names[1], "--from", "0.2", "--to", "0.5", "--raw"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(lines.first == ["index", "device_time_us", names[1]])
        let instrument = try Self.truth(Self.dropping)
        let rows = lines.dropFirst()
        #expect(rows.map { Int($0[0])! } == (200..<500).filter { !Self.droppedIndices.contains($0) })
        for row in rows {
            #expect(Int32(row[2]) == instrument.rawSample(channel: 1, index: UInt64(row[0])!, rateHz: 1000))
        }
    }

    @Test func killedRecorderLeavesAReadableFileUpToItsLastFlush() throws {
        let path = temporaryPath("killed.h5")
        let recorder = try RunningMosquito(["record", "--device", Self.uri(Self.clean), "--rate", "1000", "--output", path])
        #expect(waitForFile(path))
        // Killed once a reader has seen a second of samples on disk, however long a loaded machine took to get there.
        let seen = try H5py.run(H5py.growth, [path, "1000", "60"])
        #expect(seen["first"] as! Int >= 1000)
        recorder.kill9()
        let f = try H5py.run(H5py.dump, [path])
        #expect(f["has_stop_time"] as? Bool == false)
        let index = f["index"] as! [Int]
        // Everything a reader saw before the kill is still there, and every row is whole.
        #expect(index.count >= seen["second"] as! Int)
        #expect(index == Array(0..<index.count))
        let instrument = try Self.truth(Self.clean)
        let raw = f["raw"] as! [[Int]], values = H5py.doubles(f["values"])
        for i in index {
            for c in 0..<2 {
                let truth = instrument.rawSample(channel: c, index: UInt64(i), rateHz: 1000)
                #expect(raw[i][c] == Int(truth))
                #expect(values[i][c] == instrument.calibrations[c].value(raw: truth))
            }
        }
        let inspect = try Mosquito.run(["inspect", path, "--json"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("\"closedCleanly\" : false"))
    }

    @Test func h5pyInSWMRModeSeesALiveRecordingGrow() throws {
        let path = temporaryPath("live.h5")
        // No --duration: the run lasts until the reader has seen it grow, then Ctrl-C ends it cleanly.
        let recorder = try RunningMosquito(["record", "--device", Self.uri(Self.clean), "--rate", "1000", "--output", path])
        #expect(waitForFile(path))
        let seen = try H5py.run(H5py.growth, [path, "1", "60"])
        let first = seen["first"] as! Int, second = seen["second"] as! Int
        #expect(first >= 1 && second > first, "rows \(first) then \(second)")
        recorder.interrupt()
        #expect(recorder.wait() == 0)
    }
}
