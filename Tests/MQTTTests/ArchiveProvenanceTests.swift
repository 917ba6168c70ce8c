import Foundation
import Testing
import TestSupport

/// An archived file says what its rows are. `data` carries an edge's counts before its recording's pipeline
/// (docs/mqtt.md), so the archive of an edge that filters and decimates its own recording holds every sample at
/// the device's rate, calibrated from the meta: its `pipeline` and `decimation` say so, and the edge's own steps
/// are kept only as `edge_pipeline` events.
@Suite(.serialized) struct ArchiveProvenanceTests {
    @Test func archiveOfAFilteredDecimatedEdgeNamesItsOwnPipeline() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let directory = scratchPath("provenance-archive")
        let url = broker.url(site: "lab9")
        let archive = try broker.archive(site: "lab9", output: directory)
        let process = archive.process

        let edgeFile = scratchPath("EDGE-F.h5")
        let edge = try Processes.Running(TestEnvironment.mosquito.path, [
            "record", "--device", "sim?serial=EDGE-F", "--duration", "2", "--rate", "1000",
            "--filter", "lowpass:2:100", "--decimate", "10", "--output", edgeFile,
            "--publish", url, "--publish-password-file", broker.passwordFile,
        ]).finish()
        #expect(edge.status == 0, "\(edge.stderr)")
        #expect(waitFor { archive.stdout.contains("archived EDGE-F:") || !process.isRunning }, "\(archive.stdout)")
        process.interrupt()
        let result = archive.finish()
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("archived EDGE-F:") }, "\(result.stdout)")
        #expect(line.contains("(2000 samples, 0 network gaps)"), "\(line)")
        let path = try #require(line.split(separator: " ").first { $0.hasSuffix(".h5") }).description

        let read = try Processes.Running(TestEnvironment.python, ["-c", Self.attributes, path, edgeFile]).finish()
        let files = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: Any]], "\(read.stderr)")
        let (archived, edgeOwn) = (files[0], files[1])
        let edgePipeline = try #require(edgeOwn["pipeline"] as? [String])
        // The edge's own file is filtered and decimated: what the archive must not claim for itself.
        #expect(edgeOwn["decimation"] as? Int == 10 && edgePipeline.contains { $0.hasPrefix("decimate") }, "\(edgeOwn)")

        #expect(archived["pipeline"] as? [String] == ["acquire 1000 Hz"], "\(archived)")
        #expect(archived["decimation"] as? Int == 1, "\(archived)")
        #expect(archived["rate_hz"] as? Double == 1000, "\(archived)")
        // …and it is what the rows are: every index, values the meta's calibration of the counts.
        #expect(archived["rows"] as? Int == 2000 && archived["consecutive"] as? Bool == true, "\(archived)")
        #expect(archived["values_are_calibrated_counts"] as? Bool == true, "\(archived)")
        // The edge's recording pipeline survives only as labelled provenance, step for step, on the first sample.
        #expect(archived["edge_pipeline"] as? [String] == edgePipeline, "\(archived)")
        #expect(archived["edge_pipeline_at"] as? [Int] == edgePipeline.map { _ in 0 }, "\(archived)")

        let inspect = try Processes.mosquito(["inspect", path])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("  pipeline: acquire 1000 Hz\n") && !inspect.stdout.contains("decimate"), "\(inspect.stdout)")
        // Undecimated by its typed attribute, the archived file replays: every row again.
        let again = scratchPath("replayed.h5")
        let replay = try Processes.mosquito(["record", "--device", "replay:\(path):0", "--output", again])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try recordedRows(again) == 2000)
    }

    /// Per file (argv[1:]): its first device's pipeline, decimation, rate, rows, and its `edge_pipeline` events.
    static let attributes = """
        import h5py, json, sys
        import numpy as np
        def s(x): return x.decode() if isinstance(x, bytes) else str(x)
        out = []
        for path in sys.argv[1:]:
            with h5py.File(path, "r") as f:
                d = f["devices"][s(f.attrs["device_groups"][0])]
                index, raw, values = d["index"][()], d["raw"][()].astype(np.float64), d["values"][()]
                names = [s(c) for c in d.attrs["channel_names"]]
                coefficients = {s(c): k for c, k in zip(d["calibration/channel"][()], d["calibration/coefficients"][()])}
                calibrated = np.stack([c0 + r * (c1 + r * (c2 + r * c3)) for r, (c0, c1, c2, c3)
                                       in zip(raw.T, (coefficients[n] for n in names))], axis=1)
                kinds = [s(k) for k in d["events/kind"][()]]
                edge = [i for i, k in enumerate(kinds) if k == "edge_pipeline"]
                out.append({
                    "pipeline": [s(p) for p in d.attrs["pipeline"]],
                    "decimation": int(d.attrs["decimation"]) if "decimation" in d.attrs else None,
                    "rate_hz": float(d.attrs["rate_hz"]),
                    "rows": int(len(index)),
                    "consecutive": bool((np.diff(index) == 1).all()),
                    "values_are_calibrated_counts": bool(np.allclose(values, calibrated, rtol=1e-9, atol=1e-9)),
                    "edge_pipeline": [s(d["events/detail"][i]) for i in edge],
                    "edge_pipeline_at": [int(d["events/sample_index"][i]) for i in edge],
                })
        print(json.dumps(out))
        """
}
