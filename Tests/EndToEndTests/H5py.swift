import Foundation
import TestSupport

/// h5py (Debian's python3-h5py, through the test environment's Python): the reader lab users judge our files with.
enum H5py {
    /// Runs `script` with `arguments` (in `sys.argv[1:]`) and parses the JSON it prints.
    static func run(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let scriptPath = temporaryPath("h5py.py"), outPath = temporaryPath("h5py.out"), errPath = temporaryPath("h5py.err")
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        p.arguments = [scriptPath] + arguments
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        p.waitUntilExit()
        let out = try Data(contentsOf: URL(fileURLWithPath: outPath))
        guard p.terminationStatus == 0, let json = try JSONSerialization.jsonObject(with: out) as? [String: Any] else {
            throw Failed(stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        }
        return json
    }

    struct Failed: Error { let stderr: String }

    /// Everything in one device group (the first, or position `argv[2]`), opened in SWMR mode (works on live and killed recordings).
    /// Floats travel as hex (`float.hex()`), so they arrive bit-exact.
    static let dump = """
        import h5py, json, sys
        with h5py.File(sys.argv[1], "r", swmr=True) as f:
            def s(x): return x.decode() if isinstance(x, bytes) else str(x)
            name = s(f.attrs["device_groups"][int(sys.argv[2]) if len(sys.argv) > 2 else 0])
            d = f["devices"][name]
            n = min(d[k].shape[0] for k in ("index", "device_time_us", "host_time_ns", "raw", "values"))
            out = {
                "root": {k: s(f.attrs[k]) for k in ("format", "software_version", "host", "start_time", "command_line")},
                "format_version": int(f.attrs["format_version"]),
                "has_stop_time": "stop_time" in f.attrs,
                "device_uris": [s(u) for u in f.attrs["device_uris"]],
                "device": {k: s(d.attrs[k]) for k in ("serial", "design", "hardware_revision", "firmware_version", "uri")},
                "rate_hz": float(d.attrs["rate_hz"]),
                "decimation": int(d.attrs["decimation"]) if "decimation" in d.attrs else None,
                "channel_names": [s(c) for c in d.attrs["channel_names"]],
                "value_units": [s(c) for c in d["values"].attrs["channel_units"]],
                "raw_shape": list(d["raw"].shape), "raw_dtype": str(d["raw"].dtype), "values_dtype": str(d["values"].dtype),
                "index": [int(i) for i in d["index"][:n]],
                "device_time_us": [int(t) for t in d["device_time_us"][:n]],
                "raw": [[int(v) for v in row] for row in d["raw"][:n]],
                "values": [[float(v).hex() for v in row] for row in d["values"][:n]],
                "gaps": [[int(a), int(b), s(c)] for a, b, c in zip(d["gaps/first_missing_index"][()], d["gaps/count"][()], d["gaps/cause"][()])],
                "calibration": [[float(c).hex() for c in row] for row in d["calibration/coefficients"][()]],
            }
        print(json.dumps(out))
        """

    /// Opens a live recording in SWMR mode once it can be (the writer may not have switched to SWMR yet), waits for
    /// at least `argv[2]` rows, then for more rows than it first saw; `argv[3]` seconds is only the last guard.
    /// Prints the first row count it saw at or above `argv[2]` and the later, larger one.
    static let growth = """
        import h5py, json, sys, time
        path, least, deadline = sys.argv[1], int(sys.argv[2]), time.monotonic() + float(sys.argv[3])
        def rows():
            while True:
                try:
                    f = h5py.File(path, "r", swmr=True)
                    g = f.attrs["device_groups"][0]
                    return f, f["devices"][g.decode() if isinstance(g, bytes) else g]["index"]
                except (OSError, KeyError, IndexError):
                    if time.monotonic() > deadline: raise
                    time.sleep(0.05)
        f, d = rows()
        def wait_for(n):
            while True:
                d.refresh()
                if d.shape[0] >= n or time.monotonic() > deadline: return d.shape[0]
                time.sleep(0.05)
        first = wait_for(least)
        second = wait_for(first + 1)
        f.close()
        print(json.dumps({"first": first, "second": second}))
        """

    static func doubles(_ hex: Any?) -> [[Double]] {
        (hex as? [[String]] ?? []).map { $0.map { Double($0)! } }
    }
}

/// A `mosquito` process left running (for kill -9 and live-reading tests).
final class RunningMosquito {
    let process = Process()

    init(_ arguments: [String]) throws {
        process.executableURL = Mosquito.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Ctrl-C: the recorder stops cleanly.
    func interrupt() { kill(process.processIdentifier, SIGINT) }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The exit status; `timeout` is only the last guard against a hang (nil: it had to be killed).
    func wait(timeout: TimeInterval = 60) -> Int32? {
        if !eventually(seconds: timeout, { !process.isRunning }) { kill9(); return nil }
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill9() } }
}

/// Waits until `path` exists (the recorder has created its file); `timeout` is only the last guard.
func waitForFile(_ path: String, timeout: TimeInterval = 60) -> Bool {
    eventually(seconds: timeout) { FileManager.default.fileExists(atPath: path) }
}
