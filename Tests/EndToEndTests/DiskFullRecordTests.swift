import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `mosquito record` running out of disk, as a user meets it (issue 13: the file declared thousands of rows of
/// zeros and `inspect` said "indices 0…0"). Exit non-zero with one short `Error:` line naming the cause, and a file
/// that h5py and `inspect` read alike: every row real, `index` strictly increasing.
///
/// On a small tmpfs (root, as in CI); elsewhere the same run under a file-size limit (`ulimit -f`), where the
/// kernel refuses the write with "File too large" instead.
@Suite struct DiskFullRecordTests {
    @Test func recordOntoAFullDiskStopsWithOneLineAndAFileOfRealRows() throws {
        let tmpfs = SmallTmpfs.mount(bytes: 16 << 20)
        defer { tmpfs?.unmount() }
        let arguments = ["record", "--device", "sim?channels=16", "--rate", "10000", "--duration", "30"]
        let path: String
        let result: Mosquito.Result
        let cause: String
        if let tmpfs {
            path = tmpfs.directory + "/full.h5"
            result = try Mosquito.run(arguments + ["--output", path], timeout: 120)
            cause = "No space left on device"
        } else {
            path = temporaryPath("limited.h5")
            // 16 MiB in 512-byte blocks; SIGXFSZ ignored so the write fails with EFBIG instead of killing the run.
            result = try Self.runUnderFileSizeLimit(blocks: 32768, arguments + ["--output", path])
            cause = "File too large"
        }

        #expect(result.status != 0)
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        let line = try #require(result.errorLines.first)
        #expect(line.contains(cause), "\(line)")
        #expect(line.count <= 200, "\(line.count) characters: \(line)")
        #expect(!result.stderr.contains("H5"), "HDF5's error stack reached the user:\n\(result.stderr)")

        let seen = try H5py.run(Self.rows, [path])
        let rows = try #require(seen["rows"] as? [String: Int])
        let count = try #require(rows["index"])
        #expect(Set(rows.values).count == 1, "datasets disagree: \(rows)")
        #expect(count > 0, "16 MiB hold several flushes of this run")
        #expect(seen["zero_rows"] as? Int == 0)
        #expect(seen["increasing"] as? Bool == true)
        #expect(seen["stop_time"] as? Bool == false)

        let inspected = try Mosquito.run(["inspect", path, "--json"])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any])
        let device = try #require((summary["devices"] as? [[String: Any]])?.first)
        #expect(device["sampleCount"] as? Int == count)
        #expect(device["firstIndex"] as? Int == seen["first"] as? Int)
        #expect(device["lastIndex"] as? Int == seen["last"] as? Int)
        #expect(summary["closedCleanly"] as? Bool == false)
    }

    /// `mosquito` with a file-size limit of `blocks` × 512 bytes, SIGXFSZ ignored so the write fails with EFBIG
    /// instead of killing the process. Output goes to files, as in `Mosquito.run`.
    static func runUnderFileSizeLimit(blocks: Int, _ arguments: [String]) throws -> Mosquito.Result {
        let outPath = temporaryPath("stdout"), errPath = temporaryPath("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "trap '' XFSZ; ulimit -f \(blocks); exec \"$0\" \"$@\"", Mosquito.binary.path] + arguments
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        p.waitUntilExit()
        return Mosquito.Result(status: p.terminationStatus,
                               stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                               stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Row counts of the five sample datasets, rows that are all zero in `raw` or `values` (never written), whether
    /// `index` strictly increases, its first and last value.
    static let rows = """
        import h5py, json, sys
        import numpy as np
        with h5py.File(sys.argv[1], "r", swmr=True) as f:
            g = f.attrs["device_groups"][0]
            d = f["devices"][g.decode() if isinstance(g, bytes) else g]
            rows = {k: int(d[k].shape[0]) for k in ("raw", "values", "index", "device_time_us", "host_time_ns")}
            n = min(rows.values())
            index = d["index"][:n].astype(np.int64)
            zero = int(np.sum(np.all(d["raw"][:n] == 0, axis=1) | np.all(d["values"][:n] == 0, axis=1)))
            print(json.dumps({"rows": rows, "zero_rows": zero, "increasing": bool(np.all(np.diff(index) > 0)),
                              "first": int(index[0]) if n else None, "last": int(index[-1]) if n else None,
                              "stop_time": "stop_time" in f.attrs}))
        """
}
