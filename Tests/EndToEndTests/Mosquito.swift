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
    static func run(_ arguments: [String], timeout: TimeInterval = 60) throws -> Result {
        let outPath = temporaryPath("stdout"), errPath = temporaryPath("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if p.isRunning { p.terminate() }
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
            let deadline = Date(timeIntervalSinceNow: 10)
            while !text.contains("\n") && process.isRunning && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
                text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
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
