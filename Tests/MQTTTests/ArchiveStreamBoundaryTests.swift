import Foundation
import Testing
import TestSupport

/// A `serve` edge that streams and then records on the same device: its hub restarts indices at 0 for the
/// recording, and its `status` naming the recording reaches the archive before the recording's `meta` and data.
/// Back-fill must tie the recording to the recording's run only, never fill the streaming run with its rows.
@Suite(.serialized) struct ArchiveStreamBoundaryTests {
    /// Streaming, then a 5 s recording, archived with the edges' token: the streaming run's file holds only its
    /// own rows (contiguous, no jump in host time, no sample of the recording), the recording's run equals the
    /// edge's file sample for sample, and is named by its first sample's host time (not by when the archive
    /// got to it). The streaming run's first rows may have no host time yet, so its name is not checked.
    @Test func aRecordingNeverFillsTheStreamingRunBeforeIt() throws {
        let lab = try Lab(site: "lab20")
        let archive = try lab.archive()
        let serial = "SRV-1", dir = lab.folder + "/" + serial
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let token = try Processes.mosquito([
            "serve", "token", "create", "--agent", "ops", "--role", "operator", "--tokens", dir + "/tokens.json",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Not --idle: the device streams from the start.
        let serve = try Processes.Running(TestEnvironment.mosquito.path, [
            "serve", "--device", "sim?channels=2&serial=\(serial)", "--bind", "127.0.0.1:0", "--recordings", dir + "/rec",
            "--tokens", dir + "/tokens.json", "--archive-token-file", lab.secretFile,
            "--publish", lab.url, "--publish-password-file", lab.broker.passwordFile,
        ])
        #expect(waitFor { serve.stdout.contains("mosquito serve: http") || !serve.process.isRunning }, "\(serve.stderrText)")
        let base = try #require(serve.stdout.split(separator: " ").first { $0.hasPrefix("http://") }).trimmingCharacters(in: .init(charactersIn: "/"))
        let edge = Edge(serial: serial, serve: serve, base: base, operatorToken: token, recording: dir + "/rec/edge-\(serial).h5")

        // The streaming run is open; the recording starts well before the stream reaches the recording's length,
        // so the recording has rows at indices past the streaming run's end.
        #expect(waitFor { archive.stdout.contains("archiving \(serial):") || !archive.process.isRunning }, "\(archive.stderrText)")
        #expect(try edge.startRecording(seconds: 5) == 201)
        #expect(edge.waitForRecordingToEnd())
        // The streaming run, then the recording's (closed by the stream that follows it).
        let archived = { archive.stdout.split(separator: "\n").filter { $0.hasPrefix("archived \(serial):") } }
        #expect(waitFor(seconds: 120) { archived().count >= 2 || !archive.process.isRunning }, "\(archive.stdout) \(archive.stderrText)")
        try edge.stop()
        archive.process.interrupt()
        let result = archive.finish()
        #expect(result.status == 0, "\(result.stderr)")

        let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("archived \(serial):") }
        try #require(lines.count >= 2, "\(result.stdout)")
        let path = { (line: Substring) in String(line.dropFirst("archived \(serial): ".count).prefix { $0 != " " }) }
        let streaming = path(lines[0]), recorded = path(lines[1])
        #expect(!lines[0].contains("back-filled"), "the streaming run took nothing from the edge: \(lines[0])")

        let script = TestEnvironment.packageRoot + "/Tests/MQTTTests/Support/stream_rows.py"
        let checked = try Processes.Running(TestEnvironment.python, [script, streaming, edge.recording]).finish()
        let s = try #require((try? JSONSerialization.jsonObject(with: Data(checked.stdout.utf8))) as? [String: Any], "\(checked.stderr)")
        #expect(s["rows_of_other_stream"] as? Int == 0, "the streaming run holds rows of the recording: \(s) \(result.stderr)")
        #expect(s["contiguous"] as? Bool == true, "\(s)")
        #expect((s["max_host_step_ms"] as? Double ?? .infinity) < 500, "a jump in host time: \(s)")

        let compare = TestEnvironment.packageRoot + "/Tests/MQTTTests/Support/compare_archive.py"
        let compared = try Processes.Running(TestEnvironment.python, [compare, recorded, edge.recording]).finish()
        let verdict = try #require((try? JSONSerialization.jsonObject(with: Data(compared.stdout.utf8))) as? [String: [String: Any]], "\(compared.stderr)")
        let v = try #require(verdict[serial], "\(verdict)")
        #expect(v["equal"] as? Bool == true && v["gaps_equal"] as? Bool == true, "the recording's run is the edge's file: \(v)")
        let r = try Processes.Running(TestEnvironment.python, [script, recorded, streaming]).finish()
        let named = try #require((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any], "\(r.stderr)")
        #expect(named["named_by_first_sample"] as? Bool == true, "\(recorded): \(named)")
    }
}
