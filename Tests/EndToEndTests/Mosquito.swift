import Foundation
import TestSupport

/// Runs the built `mosquito` binary as a separate process, the way a user or a script does.
enum Mosquito {
    static let binary = TestEnvironment.mosquito

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// stderr without the live status lines.
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Error:") } }
    }

    /// Output goes to files, not pipes: a pipe's write end inherited by another test's long-lived child
    /// (tests run in parallel) would keep EOF from ever arriving.
    /// `timeout` is a last guard against a hang, not a measure of how long a run should take.
    /// `environment`: added to the test runner's own.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> Result {
        let outPath = temporaryPath("stdout"), errPath = temporaryPath("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        if !eventually(seconds: timeout, { !p.isRunning }) { p.terminate() }
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// `mosquito simulate --pty …` in its own process; `path` is the tty it serves on.
    final class Simulator {
        let process = Process()
        let path: String

        init(_ arguments: [String]) throws {
            let outPath = temporaryPath("sim-stdout")
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            process.executableURL = Mosquito.binary
            process.arguments = ["simulate", "--pty"] + arguments
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let child = process
            _ = eventually {
                text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
                return text.contains("\n") || !child.isRunning
            }
            path = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard path.hasPrefix("/dev/") else { throw SimulatorDidNotStart(output: path) }
        }

        deinit { stop() }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    struct SimulatorDidNotStart: Error { let output: String }
}

/// Waits until `condition` holds (a file appeared, a line was printed, a process exited), looking every 20 ms;
/// `seconds` is only the last guard against a hang, far beyond what a loaded machine needs. Whether it held.
func eventually(seconds: Double = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while !condition() {
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return true
}

func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosquito-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(UUID().uuidString + "-" + name).path
}

/// Rows of a recorded CSV: header names and numeric rows.
func readCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    return (lines.first ?? [], Array(lines.dropFirst()))
}
