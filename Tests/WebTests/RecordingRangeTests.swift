import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Recording
import TestSupport
import Testing
@testable import Web

/// `GET /api/recordings/{name}/range`: the server's min/max per bucket, checked against numpy on the same file.
@Suite("recording range endpoint", .serialized)
struct RecordingRangeTests {
    /// Recomputes each response from the file with h5py and numpy: the window's rows by device time, bucket
    /// k = ⌊(t − from)·N / (to − from)⌋ in integers, min and max per bucket and channel; equality is exact.
    static let numpyCheck = #"""
import json, sys
import h5py
import numpy as np
path, cases = sys.argv[1], json.load(open(sys.argv[2]))
f = h5py.File(path, "r", swmr=True)
d = f["devices"][f.attrs["device_groups"][0]]
t = d["device_time_us"][()].astype(np.int64)
v = d["values"][()]
origin = int(t[0])
failures = 0
for case in cases:
    r = case["response"]
    lo = origin + round(case["from"] * 1e6) if case.get("from") is not None else origin
    hi = origin + round(case["to"] * 1e6) if case.get("to") is not None else int(t[-1]) + 1
    mask = (t >= lo) & (t < hi)
    tt, vv = t[mask], v[mask]
    problems = []
    if r["rows"] != len(tt): problems.append(f"rows {r['rows']} != {len(tt)}")
    if len(tt) <= case["points"]:
        mode, times, mins, maxs = "samples", (tt - origin) / 1e6, vv.T, vv.T
        if list(r["time"]) != list(times): problems.append("sample times differ")
    else:
        mode = "buckets"
        k = (tt - lo) * case["points"] // (hi - lo)
        ks = np.unique(k)
        mins = np.array([vv[k == b].min(axis=0) for b in ks]).T
        maxs = np.array([vv[k == b].max(axis=0) for b in ks]).T
        got = np.round((np.array(r["time"]) - r["fromSeconds"]) / r["bucketSeconds"]).astype(np.int64)
        if not np.array_equal(got, ks): problems.append(f"buckets differ: {got[:8]} vs {ks[:8]}")
    if r["mode"] != mode: problems.append(f"mode {r['mode']} != {mode}")
    if len(r["time"]) > case["points"]: problems.append("more points than asked for")
    if not problems:
        if not np.array_equal(np.array(r["min"], dtype=float), mins): problems.append("min differs")
        if not np.array_equal(np.array(r["max"], dtype=float), maxs): problems.append("max differs")
    failures += bool(problems)
    print(f"{case['name']}: {len(tt)} rows, {mode}, {len(r['time'])} points: {'; '.join(problems) or 'equal'}")
sys.exit(1 if failures else 0)
"""#

    struct Case: Encodable {
        var name: String
        var from: Double?
        var to: Double?
        var points: Int
        var response: JSONValue
    }

    @Test("min and max per bucket (and per sample in small windows) equal numpy's on the same file")
    func minMaxEqualNumpy() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        try KnownRecording.write(f.server.recordings.directory + "/known.h5")
        let windows: [(String, Double?, Double?, Int?)] = [
            ("whole file, default points", nil, nil, nil), ("whole file, 7 points", nil, nil, 7),
            ("0.25–1.75 s, 300 points", 0.25, 1.75, 300), ("across the gap, 0.9–1.3 s (samples)", 0.9, 1.3, nil),
            ("2.5 s to the end, 50 points", 2.5, nil, 50), ("whole file, 10000 points (samples)", nil, nil, 10_000),
            ("two samples", 0.0005, 0.0025, 10), ("inside the gap", 1.05, 1.15, 100),
        ]
        let cases = try await f.server.makeApplication().test(.router) { client in
            var cases: [Case] = []
            for (name, from, to, points) in windows {
                var query: [String] = []
                if let from { query.append("from=\(from)") }
                if let to { query.append("to=\(to)") }
                if let points { query.append("points=\(points)") }
                let r = try await client.execute(uri: "/api/recordings/known.h5/range?" + query.joined(separator: "&"), method: .get)
                #expect(r.status == .ok, "\(name): \(String(buffer: r.body))")
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(r.body.readableBytesView))
                cases.append(Case(name: name, from: from, to: to, points: points ?? 1000, response: value))
            }
            return cases
        }
        let casesFile = f.folder + "/cases.json"
        try JSONEncoder().encode(cases).write(to: URL(fileURLWithPath: casesFile))
        let check = try runPythonScript(Self.numpyCheck, [f.server.recordings.directory + "/known.h5", casesFile])
        print(check.output)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.components(separatedBy: ": ").count > windows.count, "every window was compared")
        await f.tearDown()
    }

    @Test("gaps and events are placed at their times; the identity and UTC come with the points")
    func marksAndIdentity() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        try KnownRecording.write(f.server.recordings.directory + "/known.h5")
        try await f.server.makeApplication().test(.router) { client in
            let whole = try #require(try await client.execute(uri: "/api/recordings/known.h5/range", method: .get).json as? [String: Any])
            #expect(whole["device"] as? String == KnownRecording.serial)
            let channels = try #require(whole["channels"] as? [[String: String]])
            #expect(channels.map { $0["name"] ?? "" } == ["force", "displacement", "temperature"])
            #expect(channels.map { $0["unit"] ?? "" } == ["N", "um", "degC"])
            #expect(whole["closedCleanly"] as? Bool == true)
            #expect(whole["mode"] as? String == "buckets")
            let gaps = try #require(whole["gaps"] as? [[String: Any]])
            #expect(gaps.count == 2, "\(gaps)")
            #expect(gaps.first?["cause"] as? String == "transport_gap")
            #expect(abs((gaps.first?["fromSeconds"] as? Double ?? 0) - 1.0) < 1e-9, "\(gaps)")
            #expect(abs((gaps.first?["toSeconds"] as? Double ?? 0) - 1.2) < 1e-9, "\(gaps)")
            #expect(gaps.first?["count"] as? Int == 200)
            // The run ended in a gap: it is there when the window is open-ended.
            #expect(gaps.last?["cause"] as? String == "crc_error")
            #expect(abs((gaps.last?["fromSeconds"] as? Double ?? 0) - 3.0) < 1e-9, "\(gaps)")
            let events = try #require(whole["events"] as? [[String: Any]])
            #expect(events.map { $0["kind"] as? String ?? "" } == ["marker", "reconnect"])
            #expect(abs((events.first?["seconds"] as? Double ?? 0) - 0.5) < 1e-9)
            #expect(abs((events.last?["seconds"] as? Double ?? 0) - 1.2) < 1e-9)
            let utc = try #require(whole["utc"] as? [[String: Any]])
            #expect(utc.first?["utcNanos"] as? Int64 == KnownRecording.hostNs(0))
            #expect(utc.last?["utcNanos"] as? Int64 == KnownRecording.hostNs(2999))

            // A window that starts inside the gap still shows it, from its own start; one after it does not.
            let inside = try #require(try await client.execute(uri: "/api/recordings/known.h5/range?from=1.1&to=1.5", method: .get).json as? [String: Any])
            let shown = try #require(inside["gaps"] as? [[String: Any]])
            #expect(shown.count == 1 && abs((shown.first?["fromSeconds"] as? Double ?? 0) - 1.0) < 1e-9, "\(shown)")
            let after = try #require(try await client.execute(uri: "/api/recordings/known.h5/range?from=1.5&to=2.5", method: .get).json as? [String: Any])
            #expect((after["gaps"] as? [Any])?.isEmpty == true)
            #expect((after["events"] as? [Any])?.isEmpty == true)
        }
        await f.tearDown()
    }

    @Test("bad ranges, unknown devices and files that are not recordings get a 4xx with a clear message")
    func refusals() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        let folder = f.server.recordings.directory
        try KnownRecording.write(folder + "/known.h5")
        try Data("not HDF5 at all".utf8).write(to: URL(fileURLWithPath: folder + "/junk.h5"))
        let made = try runPythonScript("import h5py, sys\nh5py.File(sys.argv[1], 'w')['x'] = [1, 2, 3]", [folder + "/other.h5"])
        #expect(made.status == 0, "\(made.output)")
        try Data("index,device_time_us\n".utf8).write(to: URL(fileURLWithPath: folder + "/run.csv"))
        let cases: [(String, HTTPResponse.Status, String)] = [
            ("known.h5/range?from=2&to=1", .badRequest, "must be after from"),
            ("known.h5/range?from=1&to=1", .badRequest, "must be after from"),
            ("known.h5/range?from=-1", .badRequest, "from must be seconds"),
            ("known.h5/range?to=nan", .badRequest, "to must be seconds"),
            ("known.h5/range?from=abc", .badRequest, "from must be seconds"),
            ("known.h5/range?to=inf", .badRequest, "to must be seconds"),
            ("known.h5/range?points=0", .badRequest, "points must be a whole number from 1 to 10000"),
            ("known.h5/range?points=10001", .badRequest, "points must be"),
            ("known.h5/range?points=many", .badRequest, "points must be"),
            ("known.h5/range?form=1", .badRequest, "unknown query parameter 'form'"),
            ("known.h5/range?from=1&from=2", .badRequest, "given twice"),
            ("known.h5/range?device=MQ-NOPE", .notFound, "no device 'MQ-NOPE' in known.h5 (devices: MQ-VIEW-1)"),
            ("known.h5/range?device=1", .notFound, "no device '1'"),
            ("missing.h5/range", .notFound, "no recording 'missing.h5'"),
            ("junk.h5/range", .badRequest, "junk.h5"),
            ("other.h5/range", .badRequest, "other.h5 is not a mosquito recording"),
            ("run.csv/range", .badRequest, "only .h5 recordings can be browsed"),
            ("known.h5/export?format=xml", .badRequest, "format must be csv or h5"),
            ("known.h5/export?format=h5&channels=force", .badRequest, "channels and raw are for CSV"),
            ("known.h5/export?raw=maybe", .badRequest, "raw must be true or false"),
            ("known.h5/export?channels=torque", .badRequest, "no channel torque"),
            ("known.h5/export?device=MQ-NOPE", .notFound, "no device 'MQ-NOPE'"),
            ("known.h5/export?from=3&to=2", .badRequest, "must be after from"),
            ("other.h5/export", .badRequest, "other.h5 is not a mosquito recording"),
        ]
        let captured = try await f.server.makeApplication().test(.router) { client in
            var captured: [OpenAPIConformanceTests.Captured] = []
            for (path, status, message) in cases {
                let r = try await client.execute(uri: "/api/recordings/\(path)", method: .get)
                let body = try #require(r.json as? [String: String], "\(path): \(String(buffer: r.body))")
                #expect(r.status == status, "\(path): \(r.status) \(body)")
                #expect(body["message"]?.contains(message) == true, "\(path): \(body)")
                #expect(body["message"]?.contains(folder) == false, "\(path): the server's path stays private: \(body)")
                let template = path.contains("/range") ? "/api/recordings/{name}/range" : "/api/recordings/{name}/export"
                captured.append(.init(method: "GET", path: template, status: Int(r.status.code),
                                      body: try JSONDecoder().decode(JSONValue.self, from: Data(r.body.readableBytesView))))
            }
            let ok = try await client.execute(uri: "/api/recordings/known.h5/range?from=0.5&to=2&points=100&device=MQ-VIEW-1", method: .get)
            #expect(ok.status == .ok)
            captured.append(.init(method: "GET", path: "/api/recordings/{name}/range", status: 200,
                                  body: try JSONDecoder().decode(JSONValue.self, from: Data(ok.body.readableBytesView))))
            return captured
        }
        let out = f.folder + "/captured.json"
        try JSONEncoder().encode(captured).write(to: URL(fileURLWithPath: out))
        let (status, output) = try runPython(["Tests/WebTests/Support/validate_responses.py", "Sources/Web/openapi.json", out])
        #expect(status == 0, "\(output)")
        await f.tearDown()
    }
}
