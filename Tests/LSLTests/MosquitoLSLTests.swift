import Foundation
import Testing
import TestSupport

extension LSLProcessSuites {
    /// The real `mosquito` binary publishing on LSL while it records, judged by liblsl 1.18 (pylsl) and h5py: what an
    /// inlet pulls is what the file holds, value for value, with the file's host times as stamps; gaps are announced
    /// on the Markers stream; an inlet that never reads loses its own samples, counted, and the file none.
    /// Serialized: the runs share the discovery port and one machine's two cores.
    @Suite struct MosquitoLSLTests {
        static let script = TestEnvironment.packageRoot + "/Tests/LSLTests/Support/mosquito_peer.py"

        /// A serial no other test (or other process on this network) publishes: LSL discovery sees the whole host.
        static func serial() -> String { "L" + UUID().uuidString.prefix(8) }

        @Test func recordPublishesWhatItRecords() async throws {
            let serial = Self.serial(), output = Self.temporary("lsl.h5")
            let peer = try PythonPeer(["record", "Mosquito \(serial)", serial, "mixed"], script: Self.script)
            let run = try MosquitoProcess([
                "record", "--device", "sim?serial=\(serial)", "--duration", "1.5", "--output", output, "--lsl",
                "--lsl-format", "double64", "--lsl-wait-inlet", "60",
            ])
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            let status = await run.exit()
            peer.send("done \(output)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            #expect(status == 0, "\(run.stderr)")
            #expect(r["by_type"] as? Bool == true && r["by_source"] as? Bool == true)
            // The devices started once the inlet was there (--lsl-wait-inlet): it has the file from its first row on
            // (its tail may be cut: liblsl's inlet drops what it holds once it sees the outlet close).
            #expect(r["first_index"] as? Int == 0 && r["compared"] as? Int == r["pulled"] as? Int, "\(r)")
            #expect((r["compared"] as? Int ?? 0) * 2 >= (r["file_rows"] as? Int ?? .max), "\(r)")
            #expect(r["values_equal"] as? Bool == true)
            #expect((r["stamp_spread_ns"] as? Int ?? .max) <= 1000, "stamps vs host_time_ns: \(r["stamp_spread_ns"] ?? "none")")
            #expect((r["clock_offset_error_ns"] as? Int ?? .max) < 50_000_000)
            let channels = r["channels"] as? [[String: String]] ?? []
            #expect(channels.map { $0["label"] } == ["force", "displacement", "temperature", "ain3"])
            #expect(channels.map { $0["unit"] } == ["N", "um", "degC", "V"])
            let acquisition = r["acquisition"] as? [String: String] ?? [:]
            #expect(acquisition["serial_number"] == serial && acquisition["manufacturer"] == "Mosquito" && acquisition["model"] == "MQ-FORCE")
            #expect((r["calibrations"] as? [String])?.count == 4 && r["software"] as? String == "0.1.0")
            #expect(r["nominal_srate"] as? Double == 1000 && r["channel_format"] as? Int == 2 && r["type"] as? String == "mixed")
            let start = (r["markers"] as? [[String: Any]] ?? []).first { $0["event"] as? String == "recording_start" }
            #expect(start?["file"] as? String == output, "\(r["markers"] ?? "")")
            let stop = (r["markers"] as? [[String: Any]] ?? []).first { $0["event"] as? String == "recording_stop" }
            #expect(stop?["file"] as? String == output && stop?["samples_written"] as? Int == r["file_rows"] as? Int, "\(r["markers"] ?? "")")
        }

        /// A transport gap (the simulator drops every 50th frame): the inlet's samples still match the file's across
        /// it, stamps included (the sample after a gap carries its own), and each gap is a Markers entry with the
        /// file's first missing index, count and cause.
        @Test func gapsAreMarkersAndStampsStayExact() async throws {
            let serial = Self.serial(), output = Self.temporary("lsl-gaps.h5")
            let peer = try PythonPeer(["record", "Mosquito \(serial)", serial, "mixed"], script: Self.script)
            let run = try MosquitoProcess([
                "record", "--device", "sim?serial=\(serial)&drop_every=50", "--duration", "1.5", "--output", output,
                "--lsl", "--lsl-format", "double64", "--lsl-wait-inlet", "60",
            ])
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            let status = await run.exit()
            peer.send("done \(output)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            #expect(status != 0 && run.stderr.contains("samples lost"), "record reports the loss: \(run.stderr)")
            #expect(r["values_equal"] as? Bool == true && (r["stamp_spread_ns"] as? Int ?? .max) <= 1000, "\(r)")
            let first = try #require(r["first_index"] as? Int), last = try #require(r["last_index"] as? Int)
            let fileGaps = (r["file_gaps"] as? [[Any]] ?? []).filter {
                let start = $0[0] as? Int ?? 0
                return start > first && start + ($0[1] as? Int ?? 0) <= last
            }
            let markerGaps = (r["markers"] as? [[String: Any]] ?? []).filter { $0["event"] as? String == "gap" }
            #expect(fileGaps.count >= 5, "\(r["file_gaps"] ?? "")")
            for gap in fileGaps {
                #expect(markerGaps.contains {
                    $0["first_missing_index"] as? Int == gap[0] as? Int && $0["count"] as? Int == gap[1] as? Int
                        && $0["cause"] as? String == "transport_gap"
                }, "gap \(gap) not announced: \(markerGaps)")
            }
            #expect(r["gap_marker_stamps_ok"] as? Bool == true)
        }

        /// `record --trigger`: the Markers stream announces the sample the recording starts at, stamped at that
        /// sample's host time, and the file's trigger event names the same index.
        @Test func aTriggerIsAMarkerAtItsSample() async throws {
            let serial = Self.serial(), output = Self.temporary("lsl-trigger.h5")
            let peer = try PythonPeer(["record", "Mosquito \(serial)", serial, "mixed"], script: Self.script)
            let run = try MosquitoProcess([
                "record", "--device", "sim?serial=\(serial)&signal0=step:10:0.5:0", "--trigger", "0:rising:5",
                "--duration", "0.5", "--output", output, "--lsl", "--lsl-wait-inlet", "60",
            ])
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            let status = await run.exit()
            peer.send("done \(output)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            #expect(status == 0, "\(run.stderr)")
            let fired = (r["file_events"] as? [[Any]] ?? []).first { $0[0] as? String == "trigger" }?[1] as? Int
            let markers = (r["markers"] as? [[String: Any]] ?? []).filter { $0["event"] as? String == "trigger" }
            #expect(fired != nil && markers.count == 1 && markers.first?["index"] as? Int == fired, "file \(r["file_events"] ?? ""), markers \(markers)")
            let errors = r["trigger_errors_ns"] as? [Int] ?? []
            #expect(errors.count == 1 && errors.allSatisfy { $0 < 1_000_000 }, "\(errors)")
        }

        /// An inlet that connects and never reads: its queue drops its oldest samples, counted and reported, while
        /// the recording loses nothing and exits 0.
        @Test func slowInletLosesItsOwnSamplesNotTheFiles() async throws {
            let serial = Self.serial(), output = Self.temporary("lsl-slow.h5")
            let peer = try PythonPeer(["slow", "Mosquito \(serial)"], script: Self.script)
            let run = try MosquitoProcess([
                "record", "--device", "sim?serial=\(serial)&channels=16&max_rate=20000", "--rate", "20000",
                "--duration", "5", "--output", output, "--lsl", "--lsl-format", "double64",
            ])
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            let status = await run.exit()
            peer.send("done")
            peer.finish()
            #expect(status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("samples received 100000 of 100000, written 100000"), "\(run.stdout)")
            let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("slow-reader): sent") }, "\(run.stderr)")
            let dropped = Int(line.split(separator: " ").last ?? "") ?? 0
            #expect(dropped > 0, "\(line)")
        }

        /// `stream` publishes without recording, through the pipeline (here decimation: 1000 Hz in, 250 Hz out), with
        /// the raw counts as a second stream, until Ctrl-C; it exits 0 with nothing lost.
        @Test func streamPublishesDecimatedValuesAndRawCountsUntilInterrupted() async throws {
            let serial = Self.serial()
            let peer = try PythonPeer(["stream", "Mosquito \(serial)", serial], script: Self.script)
            let run = try MosquitoProcess([
                "stream", "--device", "sim?serial=\(serial)", "--rate", "1000", "--decimate", "4", "--lsl", "--lsl-raw",
                "--lsl-type", "T\(serial)",
            ])
            _ = try #require(await peer.line("enough"), "\(peer.stderr)")
            run.interrupt()
            let status = await run.exit()
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            #expect(status == 0, "\(run.stderr)")
            #expect(r["nominal_srate"] as? Double == 250 && r["raw_srate"] as? Double == 250 && r["type"] as? String == "T\(serial)")
            #expect(r["raw_format"] as? Int == 4, "int32")
            #expect((r["values"] as? Int ?? 0) >= 250 && (r["raw"] as? Int ?? 0) >= 200, "\(r)")
            // Every fourth sample's host time: 4 ms apart to the nanosecond while the clock mapping holds; a new
            // mapping (pings every 2 s) may move a step by microseconds, never by the milliseconds of arrival jitter.
            #expect((r["step_error"] as? Double ?? 1) < 1e-4 && (r["steps_within_1us"] as? Double ?? 0) >= 0.9, "\(r)")
            #expect(r["raw_stamps_shared"] as? Bool == true)
            // desc/filters (the XDF convention MNE-LSL reads): decimation's anti-alias low-pass, below 125 Hz.
            #expect(Double(r["lowpass"] as? String ?? "").map { $0 > 50 && $0 < 125 } == true, "\(r["lowpass"] ?? "none")")
        }

        /// `record --lsl-markers`: a liblsl marker outlet's samples land in the recording's events at their own stamps
        /// (sent a second late, so arrival time would be off by a second), on this host's clock, with a note of the
        /// stream they came from.
        @Test func markersFromAnotherProgramLandInTheEventsAtTheirStamps() async throws {
            let name = "Psycho-" + UUID().uuidString.prefix(8), output = Self.temporary("lsl-markers.h5")
            let peer = try PythonPeer(["markers", name], script: Self.script)
            let run = try MosquitoProcess([
                "record", "--device", "sim?serial=\(Self.serial())", "--output", output, "--lsl-markers", "name='\(name)'",
            ])
            _ = try #require(await peer.line("pushed"), "\(peer.stderr)")
            #expect(await run.stderrEventually { $0.contains("5 markers recorded from \"\(name)\"") }, "\(run.stderr)")
            run.interrupt()
            let status = await run.exit()
            peer.send("done \(output)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            #expect(status == 0, "\(run.stderr)")
            let errors = r["errors_ns"] as? [Double?] ?? []
            #expect(errors.count == 5 && errors.allSatisfy { ($0 ?? .infinity) < 1_000_000 }, "marker time errors (ns): \(errors)")
            let sources = r["sources"] as? [String] ?? []
            #expect(sources.count == 1 && sources[0].contains("name=\(name) ") && sources[0].contains("uid=\(r["uid"] as? String ?? "?")"), "\(sources)")
        }

        /// `--lsl-markers` with no such stream yet: one warning, the recording goes on, and the stream is picked up
        /// when its program starts; its markers land in the events at their stamps.
        @Test func aMarkerStreamThatAppearsLaterIsPickedUp() async throws {
            let name = "Late-" + UUID().uuidString.prefix(8), output = Self.temporary("lsl-late-markers.h5")
            let run = try MosquitoProcess([
                "record", "--device", "sim?serial=\(Self.serial())", "--output", output, "--lsl-markers", "name='\(name)'",
            ])
            #expect(await run.stderrEventually { $0.contains("no LSL stream matches name='\(name)' yet; recording goes on") }, "\(run.stderr)")
            let peer = try PythonPeer(["markers", name], script: Self.script)
            _ = try #require(await peer.line("pushed"), "\(peer.stderr)")
            #expect(await run.stderrEventually { $0.contains("5 markers recorded from \"\(name)\"") }, "\(run.stderr)")
            run.interrupt()
            let status = await run.exit()
            peer.send("done \(output)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            #expect(status == 0, "\(run.stderr)")
            let errors = r["errors_ns"] as? [Double?] ?? []
            #expect(errors.count == 5 && errors.allSatisfy { ($0 ?? .infinity) < 1_000_000 }, "marker time errors (ns): \(errors)")
        }

        /// MNE-LSL (with its own liblsl 1.17) connects by source_id: channel names and the unit it understands as
        /// published, the rate, and half a second of data equal to the file's, stamps included.
        @Test func mneLslReadsTheStreamAsRecorded() async throws {
            let serial = Self.serial(), output = Self.temporary("lsl-mne.h5")
            let peer = try PythonPeer(["mne", serial], script: Self.script)
            let run = try MosquitoProcess([
                "record", "--device", "sim?serial=\(serial)", "--output", output, "--lsl", "--lsl-format", "double64",
            ])
            _ = try #require(await peer.line("got"), "\(peer.stderr)")
            run.interrupt()
            let status = await run.exit()
            peer.send("done \(output)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            #expect(status == 0, "\(run.stderr)")
            #expect(r["names"] as? [String] == ["force", "displacement", "temperature", "ain3"])
            #expect((r["types"] as? [String])?[2] == "temperature" && (r["units"] as? [String])?[2].contains("FIFF_UNIT_CEL") == true, "\(r)")
            #expect(r["sfreq"] as? Double == 1000 && r["samples"] as? Int == 500)
            #expect(r["values_equal"] as? Bool == true)
            #expect((r["stamp_error_ns"] as? Int ?? .max) < 1_000_000, "\(r)")
        }

        /// Bad LSL set-ups are one `Error:` line and no recording: an unparsable lsl_api.cfg (file and line named), a
        /// port range another outlet already holds (the range named), Ctrl-C before the awaited inlet came.
        @Test func badLSLSetUpIsOneLineAndNoFile() async throws {
            let config = Self.temporary("lsl_api.cfg")
            try "[ports]\nBasePort = many\n".write(toFile: config, atomically: true, encoding: .utf8)
            let output = Self.temporary("never.h5")
            let bad = try MosquitoProcess(["record", "--device", "sim", "--duration", "1", "--output", output, "--lsl"], environment: ["LSLAPICFG": config])
            #expect(await bad.exit() == 1)
            #expect(bad.stderr.hasPrefix("Error: \(config):2: "), "\(bad.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))

            // Two ports in the range (a device's values and Markers streams), held by a stream that waits for an inlet
            // that never comes. A random pair may be taken by something else on the machine (it lies in the
            // kernel's ephemeral range): then the holder says so, and another pair is tried.
            var port = 0
            var found: MosquitoProcess?
            for _ in 0..<20 where found == nil {
                port = 40_000 + Int.random(in: 0..<20_000)
                try "[ports]\nBasePort = \(port)\nPortRange = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
                let candidate = try MosquitoProcess(
                    ["stream", "--device", "sim?serial=\(Self.serial())", "--lsl", "--lsl-wait-inlet", "600"], environment: ["LSLAPICFG": config])
                if await candidate.stderrEventually({ $0.contains("lsl: waiting up to") }) {
                    found = candidate
                } else {
                    _ = await candidate.exit()
                    #expect(candidate.stderr.contains("no free LSL port"), "\(candidate.stderr)")
                }
            }
            let holder = try #require(found, "no free pair of ports in 20 tries")
            let taken = try MosquitoProcess(["record", "--device", "sim", "--duration", "1", "--output", output, "--lsl"], environment: ["LSLAPICFG": config])
            #expect(await taken.exit() == 1)
            holder.interrupt()
            _ = await holder.exit()
            #expect(taken.stderr.contains("Error: no free LSL port: every port in \(port)..\(port + 1)"), "\(taken.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))

            // Ctrl-C while `record` waits for its first inlet: nothing was recorded, so nothing is left.
            let waiting = try MosquitoProcess([
                "record", "--device", "sim?serial=\(Self.serial())", "--duration", "1", "--output", output, "--lsl",
                "--lsl-wait-inlet", "600",
            ])
            #expect(await waiting.stderrEventually { $0.contains("lsl: waiting up to") }, "\(waiting.stderr)")
            waiting.interrupt()
            #expect(await waiting.exit() == 1)
            #expect(waiting.stderr.contains("Error: interrupted while waiting for an LSL inlet; nothing recorded"), "\(waiting.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }

        /// Garbage on the data port (an HTTP request, 70 kB without a line end, binary noise, a feed for another
        /// uid): each client gets at most a status line and a closed connection, each is one warning line, and the
        /// stream goes on: a liblsl inlet then reads evenly spaced samples and `stream` ends with nothing lost.
        @Test func garbageOnTheDataPortLeavesTheStreamAlone() async throws {
            let serial = Self.serial()
            let run = try MosquitoProcess(["stream", "--device", "sim?serial=\(serial)", "--lsl"])
            let peer = try PythonPeer(["garbage", serial], script: Self.script)
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            run.interrupt()
            #expect(await run.exit() == 0, "\(run.stderr)")
            #expect(r["replies"] as? [String] == ["", "", "", "LSL/110 404 Not found"], "\(r)")
            #expect((r["samples"] as? Int ?? 0) >= 1000 && r["steps_ok"] as? Bool == true, "\(r)")
            let warnings = run.stderr.split(separator: "\n").filter { $0.contains("data-port connection from") || $0.contains("refused a stream feed") }
            #expect(warnings.count == 4, "\(run.stderr)")
        }

        /// An inlet opened with recovery (as LabRecorder opens one) finds the stream again when `mosquito` restarts:
        /// same source_id, a new outlet, samples stamped after the restart.
        @Test func inletRecoversAcrossARestartBySourceID() async throws {
            let serial = Self.serial()
            let arguments = ["stream", "--device", "sim?serial=\(serial)", "--lsl"]
            let first = try MosquitoProcess(arguments)
            let peer = try PythonPeer(["recover", serial], script: Self.script)
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            _ = try #require(await peer.line("got "), "\(peer.stderr)")
            first.interrupt()
            #expect(await first.exit() == 0, "\(first.stderr)")
            let restarted = Self.monotonicSeconds()
            let second = try MosquitoProcess(arguments)
            var after: [Substring] = []
            while let line = await peer.line("got ") {
                after = line.split(separator: " ")
                if let stamp = Double(after[0]), stamp > restarted { break }
            }
            peer.finish()
            second.interrupt()
            #expect(await second.exit() == 0, "\(second.stderr)")
            #expect(after.count == 2 && (Double(after[0]) ?? 0) > restarted, "\(after)")
        }

        static func monotonicSeconds() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }

        static func temporary(_ name: String) -> String {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosquito-lsl-tests-\(getpid())")
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return dir.appendingPathComponent(UUID().uuidString.prefix(8) + "-" + name).path
        }
    }
}

/// The `mosquito` binary running in its own process; output goes to files (a pipe inherited by another test's
/// child would keep EOF away), read once it has exited.
final class MosquitoProcess: @unchecked Sendable {
    // Invariant: `process` is started in init and only waited on afterwards; the paths never change.
    private let process = Process()
    private let outPath = LSLProcessSuites.MosquitoLSLTests.temporary("stdout"), errPath = LSLProcessSuites.MosquitoLSLTests.temporary("stderr")

    /// `launcher`: a command `mosquito` runs under (`ip netns exec NS`), if any.
    init(_ arguments: [String], environment: [String: String] = [:], launcher: [String] = []) throws {
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let command = launcher + [TestEnvironment.mosquito.path] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
    }

    /// The exit status, once the process has ended (a hung one is killed after two minutes, the last guard).
    func exit() async -> Int32 {
        let p = process
        return await withCheckedContinuation { c in
            DispatchQueue.global().async {
                let guardTimer = DispatchWorkItem { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
                DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: guardTimer)
                p.waitUntilExit()
                guardTimer.cancel()
                c.resume(returning: p.terminationStatus)
            }
        }
    }

    /// Whether stderr came to satisfy `condition` (looked at every 20 ms; two minutes is only the last guard).
    func stderrEventually(_ condition: (String) -> Bool) async -> Bool {
        for _ in 0..<6000 {
            if condition(stderr) { return true }
            if !process.isRunning { return condition(stderr) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Whether stdout came to satisfy `condition` (as ``stderrEventually(_:)``).
    func stdoutEventually(_ condition: (String) -> Bool) async -> Bool {
        for _ in 0..<6000 {
            if condition(stdout) { return true }
            if !process.isRunning { return condition(stdout) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Ctrl-C.
    func interrupt() { kill(process.processIdentifier, SIGINT) }

    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
