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
    /// One run of `record` onto 16 MiB (a tmpfs, else a file-size limit) and the disk's words for running out.
    struct FullDiskRun {
        let path: String
        let result: Mosquito.Result
        let cause: String
        /// Unmount once the file has been read back.
        let tmpfs: SmallTmpfs?
    }

    static func recordOntoAFullDisk(_ extra: [String] = []) throws -> FullDiskRun {
        let tmpfs = SmallTmpfs.mount(bytes: 16 << 20)
        let arguments = ["record", "--device", "sim?channels=16", "--rate", "10000", "--duration", "30"] + extra
        if let tmpfs {
            let path = tmpfs.directory + "/full.h5"
            let result = try Mosquito.run(arguments + ["--output", path], timeout: 120)
            return FullDiskRun(path: path, result: result, cause: "No space left on device", tmpfs: tmpfs)
        }
        let path = temporaryPath("limited.h5")
        // 16 MiB in 512-byte blocks.
        let result = try Self.runUnderFileSizeLimit(blocks: 32768, arguments + ["--output", path])
        return FullDiskRun(path: path, result: result, cause: "File too large", tmpfs: nil)
    }

    @Test func recordOntoAFullDiskStopsWithOneLineAndAFileOfRealRows() throws {
        let run = try Self.recordOntoAFullDisk()
        defer { run.tmpfs?.unmount() }
        let (path, result, cause) = (run.path, run.result, run.cause)

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

        // The summary (stdout) and the final status line (stderr) count as written the rows the file holds, and the
        // summary names what the failed write lost.
        #expect(result.stdout.contains(", written \(count), "), "\(result.stdout)")
        #expect(result.stdout.contains(", write failed "), "\(result.stdout)")
        let status = result.stderr.split(separator: "\n").last { $0.contains(" s  written ") }
        #expect(status?.contains(" written \(count) ") == true, "\(String(describing: status)), file: \(count) rows")
    }

    /// `--json` after the disk filled up says what the file holds, as h5py reads it back: written is the file's
    /// rows (not the rows handed to the writer, which the rollback to the last flush took back), and what the run
    /// received after that flush is lost as `writeFailed`, so every index is still counted once.
    @Test func theSummaryOfARunOntoAFullDiskIsWhatTheFileHolds() throws {
        let run = try Self.recordOntoAFullDisk(["--json"])
        defer { run.tmpfs?.unmount() }
        #expect(run.result.status != 0)
        #expect(run.result.errorLines.count == 1, "\(run.result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.result.stdout.utf8)) as? [String: Any])
        #expect((summary["recordingError"] as? String)?.contains(run.cause) == true, "\(summary)")
        let device = try #require((summary["devices"] as? [[String: Any]])?.first)
        let lost = try #require(device["lost"] as? [String: Int])
        let written = try #require(device["samplesWritten"] as? Int)
        let received = try #require(device["samplesReceived"] as? Int)
        let nextIndex = try #require(device["nextIndex"] as? Int)
        let total = try #require(lost["total"])

        let seen = try H5py.run(Self.rows, [run.path])
        let rows = try #require((seen["rows"] as? [String: Int])?["index"])
        let last = try #require(seen["last"] as? Int)
        #expect(written == rows, "summary says \(written) written, the file holds \(rows) rows")
        // No decimation and no trigger: each sample received is a row in the file.
        #expect(received == written, "\(received) received, \(written) written")
        #expect(received + total == nextIndex, "\(received) received + \(total) lost vs \(nextIndex) accounted for")
        let writeFailed = try #require(lost["writeFailed"], "\(lost)")
        #expect(writeFailed > 0)
        // What the failed write lost comes after the file's last row.
        #expect(writeFailed <= nextIndex - (last + 1), "\(writeFailed) lost after index \(last), next index \(nextIndex)")
    }

    /// `mosquito` under `/bin/sh -c 'ulimit -f BLOCKS; exec mosquito …'` (512-byte blocks), with the signal state a
    /// user's shell gives it: SIGXFSZ (and SIGPIPE) at their default, nothing blocked. The test runner's threads block
    /// signals and a child inherits that mask, which would hide a SIGXFSZ that kills; so a small Python step resets
    /// the mask and dispositions before the shell starts. `mosquito` itself must ignore SIGXFSZ so that the write
    /// fails with EFBIG. Output goes to files, as in `Mosquito.run`.
    static func runUnderFileSizeLimit(blocks: Int, _ arguments: [String]) throws -> Mosquito.Result {
        let outPath = temporaryPath("stdout"), errPath = temporaryPath("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        p.arguments = ["-c", Self.defaultSignalsThenExec, "/bin/sh", "-c", "ulimit -f \(blocks); exec \"$0\" \"$@\"",
                       Mosquito.binary.path] + arguments
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        p.waitUntilExit()
        return Mosquito.Result(status: p.terminationStatus,
                               stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                               stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Executes `argv[1:]` with no signal blocked and SIGXFSZ and SIGPIPE at their defaults (Python ignores both).
    static let defaultSignalsThenExec = """
        import os, signal, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.execv(sys.argv[1], sys.argv[1:])
        """

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
