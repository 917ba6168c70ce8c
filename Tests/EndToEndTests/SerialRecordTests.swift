import Foundation
import MWP
import Simulator
import Testing

/// `mosquito simulate --pty` in one process, `mosquito record` against its tty in another: the serial path
/// end to end, with the simulator's known truth to compare every sample to.
@Suite(.serialized) struct SerialRecordTests {
    /// What the simulator process computes for `index`, recomputed here from the same options.
    func truth(_ options: [String: String]) throws -> SimulatedInstrument {
        SimulatedInstrument(config: try SimulatorConfig(options: options))
    }

    func summary(_ r: Mosquito.Result) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    func device(_ s: [String: Any]) -> [String: Any] { (s["devices"] as! [[String: Any]])[0] }

    @Test func recordsExactRawValuesOverAPseudoTerminal() throws {
        let sim = try Mosquito.Simulator(["--seed", "5", "--channels", "3", "--serial", "MQ-E2E-1"])
        let out = temporaryPath("exact.csv")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--duration", "1", "--rate", "2000",
                                  "--channels", "0,2", "--raw", "--output", out, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try readCSV(out)
        #expect(csv.header == ["index", "device_time_us", "force", "temperature"])
        #expect(csv.rows.count == 2000)
        let instrument = try truth(["seed": "5", "channels": "3"])
        var previousTime: UInt64 = 0
        for (i, row) in csv.rows.enumerated() {
            #expect(UInt64(row[0]) == UInt64(i))
            let t = UInt64(row[1])!
            // Device time advances by exactly one sample period (500 µs) per sample.
            if i > 0 { #expect(t - previousTime == 500) }
            previousTime = t
            #expect(Int32(row[2]) == instrument.rawSample(channel: 0, index: UInt64(i), rateHz: 2000))
            #expect(Int32(row[3]) == instrument.rawSample(channel: 2, index: UInt64(i), rateHz: 2000))
        }
        let d = device(try summary(r))
        #expect(d["serial"] as? String == "MQ-E2E-1")
        #expect((d["lost"] as! [String: Any])["total"] as? Int == 0)
    }

    @Test func calibratedValuesFollowTheDeviceCalibration() throws {
        let sim = try Mosquito.Simulator(["--seed", "9", "--channels", "1"])
        let out = temporaryPath("values.csv")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--duration", "0.5", "--rate", "1000", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let instrument = try truth(["seed": "9", "channels": "1"])
        let cal = instrument.calibrations[0]
        let rows = try readCSV(out).rows
        #expect(rows.count == 500)
        for (i, row) in rows.enumerated() {
            let want = cal.value(raw: instrument.rawSample(channel: 0, index: UInt64(i), rateHz: 1000))
            #expect(Double(row[2]) == want)
        }
    }

    @Test func droppedFramesAreExactGapsAndFailTheRun() throws {
        // 2000 Hz → 4 samples per frame; every 10th frame never leaves the device.
        let sim = try Mosquito.Simulator(["--drop-every", "10", "--channels", "2"])
        let out = temporaryPath("drops.csv")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--duration", "1", "--rate", "2000", "--raw", "--output", out, "--json"])
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: 200 samples lost (transport gap 200, CRC error 0, device overrun 0, host overrun 0)"])
        let lost = device(try summary(r))["lost"] as! [String: Any]
        #expect(lost["transportGap"] as? Int == 200)
        let indices = try readCSV(out).rows.map { UInt64($0[0])! }
        #expect(indices.count == 1800)
        // Exactly the samples of frames 10, 20, … (indices 36…39, 76…79, …) are missing.
        let missing = Set(0..<2000).subtracting(indices.map { Int($0) })
        #expect(missing == Set((0..<2000).filter { ($0 / 4 + 1) % 10 == 0 }))
    }

    @Test func corruptedFramesAreCountedAsCRCErrors() throws {
        let sim = try Mosquito.Simulator(["--corrupt-every", "25", "--channels", "1"])
        let out = temporaryPath("crc.csv")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--duration", "1", "--rate", "1000", "--output", out, "--json"])
        #expect(r.status != 0)
        let d = device(try summary(r))
        // 2 samples per frame, 500 frames in the run; frames 25, 50, … 500 are corrupted: exactly 20 frames,
        // 40 samples (the device streams on until STOP, so more corrupted frames may arrive past the run's end:
        // they are counted as CRC errors but lose nothing of the run).
        let lost = d["lost"] as! [String: Any]
        #expect((d["crcErrors"] as! Int) >= 20)
        #expect(lost["crcError"] as? Int == 40)
        #expect(lost["transportGap"] as? Int == 0)
        #expect(try readCSV(out).rows.count == 960)
    }

    @Test func deviceOverrunIsAttributedToTheDevice() throws {
        let sim = try Mosquito.Simulator(["--overrun-every", "50", "--overrun-samples", "7", "--channels", "1"])
        let out = temporaryPath("overrun.h5.csv")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--duration", "1", "--rate", "1000", "--output", out, "--json"])
        #expect(r.status != 0)
        let lost = device(try summary(r))["lost"] as! [String: Any]
        let overrun = lost["deviceOverrun"] as! Int
        #expect(overrun > 0 && overrun % 7 == 0)
        #expect(lost["total"] as? Int == overrun)
    }

    @Test func disconnectEndsTheRunCleanlyWithEverythingReceived() throws {
        let sim = try Mosquito.Simulator(["--disconnect-after", "100", "--channels", "1"])
        let out = temporaryPath("unplug.csv")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--duration", "5", "--rate", "1000", "--output", out, "--json"])
        #expect(r.status != 0)
        #expect(r.errorLines.count == 1)
        #expect(r.errorLines.first?.contains("disconnected") == true)
        // 100 frames of 2 samples left the simulator before it hung up; all of them are in the file.
        #expect(try readCSV(out).rows.count == 200)
    }

    @Test func interruptStopsCleanlyWithACompleteFile() throws {
        let sim = try Mosquito.Simulator(["--channels", "2"])
        let out = temporaryPath("interrupt.csv")
        let p = Process()
        p.executableURL = Mosquito.binary
        p.arguments = ["record", "--device", "serial:" + sim.path, "--rate", "1000", "--output", out]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Interrupted once more than 500 rows are on disk, however long a loaded machine took to get there.
        #expect(eventually { ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count > 501 })
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let rows = try readCSV(out).rows
        #expect(rows.count > 500)
        #expect(rows.enumerated().allSatisfy { UInt64($0.element[0]) == UInt64($0.offset) })
        #expect(rows.last?.count == 4)
    }
}
