import Foundation
import TestSupport

/// The built `mosquito` and the Python subscriber as separate processes, output to files (a pipe inherited by
/// another test's long-lived child would keep EOF from arriving).
enum Processes {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Error:") } }
    }

    final class Running: @unchecked Sendable {
        let process = Process()
        let outPath = scratchPath("stdout"), errPath = scratchPath("stderr")

        init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            try process.run()
        }

        /// What it printed so far.
        var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
        var stderrText: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

        /// Waits for the exit; `seconds` is only the last guard against a hang.
        func finish(seconds: Double = 180) -> Result {
            let p = process
            if !waitFor(seconds: seconds, { !p.isRunning }) { p.terminate() }
            p.waitUntilExit()
            return Result(
                status: p.terminationStatus, stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        }

        deinit {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    static func mosquito(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try Running(TestEnvironment.mosquito.path, arguments, environment: environment).finish()
    }

    /// Support/subscriber.py connected to `broker` as the test user; returns once the broker acknowledged its
    /// subscription. `ready` is the file it creates on every acknowledged subscription (after each reconnection).
    static func subscriber(
        _ broker: TestBroker, site: String, devices: Int = 1, h5: [String], dataMarker: String? = nil, ready: String = scratchPath("ready")
    ) throws -> Running {
        let script = TestEnvironment.packageRoot + "/Tests/MQTTTests/Support/subscriber.py"
        let running = try Running(TestEnvironment.python, [
            script, "--port", "\(broker.port)", "--user", TestBroker.user, "--password-file", broker.passwordFile,
            "--site", site, "--devices", "\(devices)", "--ready", ready,
        ] + (dataMarker.map { ["--data-marker", $0] } ?? []) + ["--h5"] + h5)
        let p = running.process
        _ = waitFor { FileManager.default.fileExists(atPath: ready) || !p.isRunning }
        return running
    }
}

func scratchPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosquito-mqtt-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(UUID().uuidString + "-" + name).path
}

/// h5py's count of rows in the first device group of a recording (-1 if it cannot be read).
func recordedRows(_ path: String) throws -> Int {
    let script = "import h5py, sys\nwith h5py.File(sys.argv[1], 'r') as f:\n    print(min(d['index'].shape[0] for d in f['devices'].values()))\n"
    let r = try Processes.Running(TestEnvironment.python, ["-c", script, path]).finish()
    return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
}
