import MosquitoModel
import Foundation
@testable import Recording

/// One short recording driven step by step — appends that cross chunk boundaries, a gap, an event, explicit
/// flushes, close — remembering what the file must hold after the last step that committed. Fault tests run it
/// against a failing disk and compare the file with that state.
enum ScriptedRecording {
    static let serial = "MQ-1"
    static let channels = 4

    enum Step: Equatable {
        case append(rows: Int), gap, event, flush, close

        var name: String {
            switch self {
            case .append: "append"
            case .gap: "gap"
            case .event: "event"
            case .flush: "flush"
            case .close: "close"
            }
        }
    }

    /// At 1000 Hz a chunk holds 1000 rows, and the writer hands HDF5 a chunk's worth at a time, so the appends
    /// grow extents (and the 2600-row one several chunks) between flushes. Every step before `close` that adds
    /// rows is followed by a flush, so a failing close has nothing of its own to lose.
    static let steps: [Step] = [
        .append(rows: 600), .append(rows: 600), .gap, .flush,
        .append(rows: 600), .event, .append(rows: 2600), .flush,
        .append(rows: 900), .append(rows: 300), .gap, .flush,
        .close,
    ]

    /// What the file holds at a commit point.
    struct FileState: Codable, Equatable {
        var rows = 0, gaps = 0, events = 0
        var stopTime = false
    }

    struct Outcome {
        var created = true
        /// The step (or "create") where the first failure surfaced; nil when the run went through.
        var failedAt: String?
        var error: RecordingError?
        /// What the last successful flush (or close) committed: what the file must read back as.
        var expected = FileState()
        /// Writes the disk was asked for during each kind of step (with a `FailingDisk`, which counts them).
        var writesDuring: [String: Int] = [:]
        /// The file's size after each step that went through, in order.
        var sizes: [Int] = []
        /// The rows the writer says the file holds once the run ended (`durableSampleCount`): must be `expected`'s.
        var durableRows: UInt64 = 0
    }

    /// Runs the script into `path` through `disk`. The flush clock never moves: only the script's flushes flush.
    static func run(path: String, disk: any RecordingDisk) -> Outcome {
        var outcome = Outcome()
        let frozen = ContinuousClock.now
        let writer: HDF5RecordingWriter
        do {
            writer = try HDF5RecordingWriter(
                path: path, header: Fixtures.header([Fixtures.device(serial: serial, channels: channels)]),
                options: RecordingOptions(), clock: { frozen }, disk: disk)
        } catch {
            return Outcome(created: false, failedAt: "create", error: error)
        }
        var handedOver = FileState()
        let counter = disk as? FailingDisk
        for step in steps {
            let writesBefore = counter?.writes ?? 0
            defer { outcome.writesDuring[step.name, default: 0] += (counter?.writes ?? 0) - writesBefore }
            do throws(RecordingError) {
                switch step {
                case let .append(rows):
                    try writer.append(try Fixtures.block(first: UInt64(handedOver.rows), count: rows, channels: channels), device: 0)
                    handedOver.rows += rows
                case .gap:
                    try writer.record(Gap(firstMissingIndex: UInt64(handedOver.rows), count: 5, cause: .transportGap), device: 0)
                    handedOver.gaps += 1
                case .event:
                    try writer.record(RecordingEvent(sampleIndex: UInt64(handedOver.rows), hostTimeNs: 42, kind: "marker",
                                                     detail: "step"), device: 0)
                    handedOver.events += 1
                case .flush:
                    try writer.flush()
                    outcome.expected = handedOver
                case .close:
                    try writer.close(stopTime: Date(timeIntervalSince1970: 1_790_000_100))
                    handedOver.stopTime = true
                    outcome.expected = handedOver
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
                outcome.sizes.append(size ?? -1)
            } catch {
                outcome.failedAt = step.name
                outcome.error = error
                // As the recorder does: after a failure, close has nothing left to do and must not fail again.
                do throws(RecordingError) { try writer.close(stopTime: Date()) } catch { outcome.error = error }
                outcome.durableRows = writer.durableSampleCount(device: 0)
                return outcome
            }
        }
        outcome.durableRows = writer.durableSampleCount(device: 0)
        return outcome
    }
}

/// Reads recordings back with h5py — one interpreter for many files — and lists, for each, how it differs from the
/// state it must hold: the five sample datasets all that many rows, each row exactly the row written (so no row of
/// zeros, no row without data), `index` strictly increasing, the gap and event tables whole, `stop_time` as expected.
enum H5Check {
    struct Expectation: Encodable {
        let path: String
        let state: ScriptedRecording.FileState
    }

    /// The files that differ from what they must hold, with how. Files that pass are deleted (the sweeps write a few
    /// hundred); those that fail stay for inspection.
    static func failures(_ expectations: [Expectation]) throws -> [String: [String]] {
        let list = Fixtures.temporaryPath("expectations.json")
        try JSONEncoder().encode(expectations).write(to: URL(fileURLWithPath: list))
        let problems = try Python.json([String: [String]].self, script,
                                       arguments: [list, ScriptedRecording.serial, String(ScriptedRecording.channels)])
        for expectation in expectations where problems[expectation.path] == [] {
            Fixtures.remove(expectation.path)
        }
        Fixtures.remove(list)
        return problems.filter { !$0.value.isEmpty }
    }

    static let script = """
        import h5py, json, sys
        import numpy as np

        def check(d, want, channels):
            problems = []
            names = ("raw", "values", "index", "device_time_us", "host_time_ns")
            counts = {k: int(d[k].shape[0]) for k in names}
            if set(counts.values()) != {want["rows"]}:
                problems.append(f"rows {counts}, expected {want['rows']} everywhere")
            n = min(counts.values())
            i = np.arange(n, dtype=np.int64)
            c = np.arange(channels, dtype=np.int64)
            if n > 1 and not np.all(np.diff(d["index"][:n].astype(np.int64)) > 0):
                problems.append("index is not strictly increasing")
            raw = (i[:, None] * 7 + c[None, :] * 1000 - 30000).astype(np.int32)
            values = 0.1 * raw.astype(np.float64) + 1.0 / (c[None, :] + 3) + i[:, None].astype(np.float64) * 1e-9
            written = {"index": i, "device_time_us": i * 1000 + 17,
                       "host_time_ns": 1790000000000000000 + i * 1000000, "raw": raw, "values": values}
            for k, rows in written.items():
                if n == 0:
                    break
                got = d[k][:n].reshape(n, -1)
                same = np.all(got == np.asarray(rows).reshape(n, -1), axis=1)
                if not np.all(same):
                    bad = np.flatnonzero(~same)
                    zeros = int(np.sum(np.all(got[bad] == 0, axis=1)))
                    problems.append(f"{k}: {bad.size} rows differ from what was written ({zeros} all zero), first {int(bad[0])}")
            for table, columns, count in (("gaps", ("first_missing_index", "count", "cause"), want["gaps"]),
                                          ("events", ("sample_index", "host_time_ns", "kind", "detail"), want["events"])):
                lengths = {k: int(d[table][k].shape[0]) for k in columns}
                if set(lengths.values()) != {count}:
                    problems.append(f"{table} {lengths}, expected {count} everywhere")
            return problems

        todo = json.load(open(sys.argv[1]))
        serial, channels = sys.argv[2], int(sys.argv[3])
        out = {}
        for item in todo:
            path, want = item["path"], item["state"]
            try:
                with h5py.File(path, "r", swmr=True) as f:
                    problems = check(f["devices"][serial], want, channels)
                    if ("stop_time" in f.attrs) != want["stopTime"]:
                        problems.append(f"stop_time present: {'stop_time' in f.attrs}, expected {want['stopTime']}")
            except Exception as e:
                problems = [f"h5py cannot read it: {e}"]
            out[path] = problems
        print(json.dumps(out))
        """
}
