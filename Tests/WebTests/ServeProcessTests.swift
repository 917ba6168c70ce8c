import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Recording
import Testing

/// `mosquito serve` as a user runs it: a separate process, stopped with SIGTERM.
@Suite("mosquito serve process", .serialized)
struct ServeProcessTests {
    static let binary = TestEnvironment.mosquito

    /// Output to files, not pipes: a pipe inherited by another test's child would hold EOF back.
    static func start(_ arguments: [String], in folder: String) throws -> (Process, String, String) {
        let out = folder + "/stdout-\(UUID().uuidString)", err = folder + "/stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: err)
        try p.run()
        return (p, out, err)
    }

    /// A last guard for anything these tests wait on: far beyond what an idle machine needs, so a loaded 2-core CI
    /// machine only makes them slower, never failing.
    static let lastGuardSeconds: Double = 180

    /// Waits for `p` to exit (the exit itself wakes the wait); false only if it is still running after `seconds`.
    static func wait(_ p: Process, seconds: Double = lastGuardSeconds) -> Bool {
        let exited = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            p.waitUntilExit()
            exited.signal()
        }
        return exited.wait(timeout: .now() + seconds) == .success
    }

    /// The port `serve` prints in its URL line on stdout (`out`), once printed; nil if it exits first or says
    /// nothing for `seconds`.
    static func listeningPort(_ p: Process, stdout out: String, seconds: Double = lastGuardSeconds) -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if let port = text.firstMatch(of: /127\.0\.0\.1:(\d+)\//).flatMap({ Int($0.1) }) { return port }
            guard p.isRunning else { return nil }
            usleep(20_000)
        }
        return nil
    }

    @Test("SIGTERM while recording: the file is closed cleanly, the process exits 0")
    func gracefulShutdown() async throws {
        let folder = NSTemporaryDirectory() + "mosquito-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (tp, tout, _) = try Self.start(["serve", "token", "create", "--agent", "ben", "--role", "operator", "--tokens", "t.json"], in: folder)
        #expect(Self.wait(tp) && tp.terminationStatus == 0)
        let token = try String(contentsOfFile: tout, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("mq_"))
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/t.json")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let (p, out, _) = try Self.start(
            ["serve", "--device", "sim?serial=MQ-PROC", "--bind", "127.0.0.1:0", "--recordings", "rec", "--tokens", "t.json"], in: folder)
        defer { if p.isRunning { p.terminate() } }
        let port = Self.listeningPort(p, stdout: out)
        let base = "http://127.0.0.1:\(try #require(port, "serve printed its URL"))"
        var request = URLRequest(url: URL(string: base + "/api/recordings")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.httpBody = Data(#"{"device":"MQ-PROC","name":"term.h5"}"#.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        // SIGTERM once the recording holds samples (the recorder says so), however slowly they came.
        let received = try await Self.samplesReceived(base + "/api/devices/MQ-PROC/status", atLeast: 400)
        #expect(received >= 400, "the recording received samples before SIGTERM")
        p.terminate()  // SIGTERM
        #expect(Self.wait(p), "serve exits after SIGTERM")
        #expect(p.terminationStatus == 0)
        let summary = try RecordingSummary(reading: try HDF5RecordingReader(path: folder + "/rec/term.h5"))
        #expect(summary.closedCleanly)
        #expect((summary.devices.first?.sampleCount ?? 0) >= 400, "every sample received before SIGTERM is in the file")
    }

    /// Polls the device's status until it has received `atLeast` samples; gives up only at the last guard.
    static func samplesReceived(_ url: String, atLeast wanted: Int) async throws -> Int {
        let deadline = Date().addingTimeInterval(lastGuardSeconds)
        var received = 0
        while received < wanted && Date() < deadline {
            let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
            received = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["samplesReceived"] as? Int ?? 0
            if received < wanted { try await Task.sleep(for: .milliseconds(50)) }
        }
        return received
    }

    @Test("beyond loopback without tokens: one error line, non-zero exit")
    func nonLoopbackNeedsTokens() throws {
        let folder = NSTemporaryDirectory() + "mosquito-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (p, _, err) = try Self.start(["serve", "--bind", "0.0.0.0:0", "--tokens", "none.json"], in: folder)
        #expect(Self.wait(p))
        #expect(p.terminationStatus != 0)
        let text = try String(contentsOfFile: err, encoding: .utf8)
        #expect(text.contains("warning: serving on 0.0.0.0"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("Error:") }.count == 1)
    }

    @Test("--require-tokens without tokens: one error line naming the flag, non-zero exit")
    func requireTokensNeedsTokens() throws {
        let folder = NSTemporaryDirectory() + "mosquito-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (p, _, err) = try Self.start(["serve", "--bind", "127.0.0.1:0", "--require-tokens", "--tokens", "none.json"], in: folder)
        #expect(Self.wait(p))
        #expect(p.terminationStatus != 0)
        let lines = try String(contentsOfFile: err, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("Error: --require-tokens needs tokens") == true, "\(lines)")
    }
}
