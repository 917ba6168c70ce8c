import Foundation
import TestSupport
import Testing

/// Runs the built `mosquito` binary as a user would.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

func runMosquito(_ arguments: [String], in directory: URL) throws -> CLIRun {
    let p = Process()
    p.executableURL = TestEnvironment.mosquito
    p.arguments = arguments
    p.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["XDG_DATA_HOME"] = directory.appendingPathComponent("xdg").path  // never the real user's history
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    // Drain both pipes before waiting, so a chatty child cannot block on a full pipe.
    let errData = Thread.detachedRead(err.fileHandleForReading)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CLIRun(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData(), as: UTF8.self))
}

extension Thread {
    static func detachedRead(_ handle: FileHandle) -> () -> Data {
        let box = DataBox()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.data = handle.readDataToEndOfFile()
            done.signal()
        }
        return { done.wait(); return box.data }
    }
}

final class DataBox: @unchecked Sendable { var data = Data() }

func scratchDirectory() throws -> URL {
    let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mosquito-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite(.serialized) struct CLITests {
    let fast = ["--samples", "400", "--rate", "20000"]

    @Test func scriptedCalibrationCertificateVerifyAndHistory() throws {
        let dir = try scratchDirectory()
        let script = #"{"format":"mosquito-calibration-script/1","steps":[{"reference":0},{"reference":10},{"reference":20},{"reference":50},{"reference":100},{"reference":50},{"reference":20},{"reference":10},{"reference":0}]}"#
        try script.write(to: dir.appendingPathComponent("points.json"), atomically: true, encoding: .utf8)
        let cal = try runMosquito(
            ["calibrate", "--device", "sim?serial=MQ-CLI-1", "--channel", "0", "--reference", "DWT-0042:0.01",
             "--points", "0,10,20,50,100", "--unit", "N", "--technician", "cli.tech", "--script", "points.json",
             "--history", "h.jsonl"] + fast, in: dir)
        #expect(cal.status == 0, "\(cal.stderr)")
        #expect(cal.stdout.contains("degree 2: lowest degree"))
        #expect(cal.stdout.contains("Uncertainty budget (GUM)") && cal.stdout.contains("As-found vs as-left"))
        #expect(cal.stdout.contains("Hysteresis"))
        let id = try #require(cal.stdout.split(separator: " ").first { $0.hasPrefix("MQC-") }.map(String.init))
        let lines = try String(contentsOf: dir.appendingPathComponent("h.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(id) && lines[0].contains("\"kind\":\"calibration\""))

        let cert = try runMosquito(["certificate", id, "--output", "cert.html", "--history", "h.jsonl"], in: dir)
        #expect(cert.status == 0, "\(cert.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("cert.html"), encoding: .utf8)
        #expect(html.contains(id) && html.contains("MQ-CLI-1") && html.contains("cli.tech") && html.contains("<svg"))

        // Channel 1 is linear and its factory calibration is right: the as-found check passes…
        let verifyArgs = ["verify", "--device", "sim?serial=MQ-CLI-1", "--channel", "1", "--reference", "GB-7:0.5",
                          "--points", "0,400,800", "--tolerance", "0.1%", "--history", "h.jsonl"] + fast
        let noTerminal = try runMosquito(verifyArgs, in: dir)
        #expect(noTerminal.status != 0 && noTerminal.stderr.contains("needs a terminal"))  // refused, nothing filed
        try #"{"format":"mosquito-calibration-script/1"}"#.write(to: dir.appendingPathComponent("v.json"), atomically: true, encoding: .utf8)
        let pass = try runMosquito(verifyArgs + ["--script", "v.json"], in: dir)
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("Result: PASS"))
        // …and fails when the gauge block is really 2 µm longer than the technician believes (the unit reads true).
        try #"{"format":"mosquito-calibration-script/1","steps":[{"reference":0},{"reference":400},{"reference":800,"physical":802}]}"#
            .write(to: dir.appendingPathComponent("off.json"), atomically: true, encoding: .utf8)
        let fail = try runMosquito(verifyArgs + ["--script", "off.json"], in: dir)
        #expect(fail.status == 2)
        #expect(fail.stdout.contains("Result: FAIL") && fail.stderrLines.last!.contains("verification FAILED"))

        let hist = try runMosquito(["calibration", "history", "--serial", "MQ-CLI-1", "--history", "h.jsonl", "--chart", "drift.svg"], in: dir)
        #expect(hist.status == 0, "\(hist.stderr)")
        #expect(hist.stdout.contains(id) && hist.stdout.contains("verification") && hist.stdout.contains("FAIL"))
        let svg = try String(contentsOf: dir.appendingPathComponent("drift.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("channel 0") && svg.contains("channel 1"))
        let all = try String(contentsOf: dir.appendingPathComponent("h.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(all.count == 3)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("xdg").path))
    }

    @Test(arguments: [
        (["--reference", "DWT-0042"], "--reference must be ID:UNCERTAINTY"),
        (["--reference", "DWT-0042:-1"], "must be a positive number"),
        (["--points", "0,ten,20"], "'ten' is not a number"),
        (["--channel", "7"], "channel 7 does not exist"),
        (["--degree", "5"], "--degree must be auto, 1, 2 or 3"),
        (["--unit", "kg"], "--unit kg does not match channel 0's unit 'N'"),
        (["--technician", "a-very-long-technician-name"], "at most 16 ASCII characters"),
        (["--tolerance", "abc%"], "--tolerance must be a positive number"),
        (["--script", "missing.json"], "cannot read script missing.json"),
        (["--script", "broken.json"], "broken.json is not valid JSON"),
        (["--script", "wrongpoints.json"], "differ"),
        (["--device", "sim?calibration_storage=refuses"], "refused to store the calibration for channel 0"),
        (["--device", "sim?calibration_storage=corrupts"], "read-back mismatch on channel 0"),
        (["--device", "bogus"], "bad device URI 'bogus'"),
        (["--rate", "999999999"], "--rate 999999999 Hz is outside"),
        (["--points", "0,100"], "--degree auto needs at least 3 distinct reference points"),
    ] as [([String], String)])
    func badInputGivesOneClearLineAndWritesNothing(_ change: [String], _ message: String) throws {
        let dir = try scratchDirectory()
        try "{ not json".write(to: dir.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
        try #"{"format":"mosquito-calibration-script/1","steps":[{"reference":0},{"reference":5}]}"#
            .write(to: dir.appendingPathComponent("wrongpoints.json"), atomically: true, encoding: .utf8)
        try #"{"format":"mosquito-calibration-script/1"}"#.write(to: dir.appendingPathComponent("ok.json"), atomically: true, encoding: .utf8)
        var options: [String: String] = [
            "--device": "sim", "--channel": "0", "--reference": "DWT-0042:0.01", "--points": "0,50,100",
            "--script": "ok.json", "--history": "h.jsonl", "--samples": "400", "--rate": "20000", "--technician": "t",
        ]
        options[change[0]] = change[1]
        let run = try runMosquito(["calibrate"] + options.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }, in: dir)
        #expect(run.status != 0)
        let errorLines = run.stderrLines.filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1 && errorLines[0].contains(message), "\(run.stderr)")
        let deviceTouched = change[0] == "--device" && change[1].hasPrefix("sim?")
        if !deviceTouched {
            #expect(run.stderrLines.count == 1, "bad input is one line: \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("h.jsonl").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("xdg").path))
    }

    /// Three reference values: `auto` fits only the line, which leaves a residual to judge it by (the old rule
    /// tried the parabola through the three points too, and chose it on its zero residuals).
    @Test func threeDistinctPointsAreFittedByALine() throws {
        let dir = try scratchDirectory()
        try #"{"format":"mosquito-calibration-script/1"}"#.write(to: dir.appendingPathComponent("ok.json"), atomically: true, encoding: .utf8)
        let run = try runMosquito(
            ["calibrate", "--device", "sim", "--channel", "0", "--reference", "DWT-0042:0.01", "--points", "0,50,100",
             "--unit", "N", "--technician", "t", "--script", "ok.json", "--ascending-only", "--history", "h.jsonl",
             "--dry-run", "--json"] + fast, in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        struct Result: Decodable {
            struct Candidate: Decodable { var degree: Int }
            struct Budget: Decodable { var components: [Component] }
            struct Component: Decodable { var source: String; var note: String }
            var degree: Int
            var degreeReason: String
            var candidates: [Candidate]
            var budget: Budget
        }
        let result = try JSONDecoder().decode(Result.self, from: Data(run.stdout.utf8))
        #expect(result.degree == 1 && result.candidates.map(\.degree) == [1], "\(result.degreeReason)")
        #expect(result.budget.components.first { $0.source == "Fit residuals" }?.note.hasSuffix("ν=1") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("h.jsonl").path))
    }

    @Test func certificateForAnUnknownIDIsOneLine() throws {
        let dir = try scratchDirectory()
        let run = try runMosquito(["certificate", "MQC-19700101-00000000", "--output", "c.html", "--history", "h.jsonl"], in: dir)
        #expect(run.status != 0)
        #expect(run.stderrLines.count == 1 && run.stderr.contains("no entry MQC-19700101-00000000"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.html").path))
    }
}
