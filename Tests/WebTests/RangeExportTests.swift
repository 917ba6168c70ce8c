import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Recording
import TestSupport
import Testing
@testable import Web

/// `GET /api/recordings/{name}/export`: a window as CSV (what `mosquito export --from --to` writes, byte for
/// byte) or as an HDF5 recording of its own (checked with h5py against the source).
@Suite("range export", .serialized)
struct RangeExportTests {
    @Test("the CSV of a window is what `mosquito export --from --to` writes", arguments: [
        ("", [String]()), ("?from=0.25&to=1.75", ["--from", "0.25", "--to", "1.75"]), ("?from=2.5", ["--from", "2.5"]),
        ("?to=0.003&channels=temperature,force", ["--to", "0.003", "--channels", "temperature,force"]),
        ("?from=0.9&to=1.3&raw=true", ["--from", "0.9", "--to", "1.3", "--raw"]), ("?from=1.05&to=1.15", ["--from", "1.05", "--to", "1.15"]),
    ])
    func csvEqualsTheCommand(_ query: String, _ arguments: [String]) async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        let path = f.server.recordings.directory + "/known.h5"
        try KnownRecording.write(path)
        let command = try TokenRevocationProcessTests.mosquito(["export", path] + arguments + ["--output", f.folder + "/cli.csv"], in: f.folder)
        #expect(command.status == 0, "\(command.stderr)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: f.folder + "/cli.csv"))
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.execute(uri: "/api/recordings/known.h5/export" + query, method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(r.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"known") == true)
            let body = Data(r.body.readableBytesView)
            #expect(body == expected, "\(query): \(body.count) bytes served, \(expected.count) from the command")
            #expect(String(decoding: body, as: UTF8.self).split(separator: "\n").count > 1 || query.contains("1.05"), "rows came")
        }
        await f.tearDown()
    }

    /// Compares the exported slice with the source's rows in the window, its gaps and events among them, and its
    /// description; prints what it checked.
    static let sliceCheck = #"""
import sys
import h5py
import numpy as np
source, sliced, lo, hi = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
a = h5py.File(source, "r", swmr=True); b = h5py.File(sliced, "r")
da = a["devices"][a.attrs["device_groups"][0]]; db = b["devices"][b.attrs["device_groups"][0]]
t = da["device_time_us"][()].astype(np.int64)
mask = (t >= t[0] + round(lo * 1e6)) & (t < t[0] + round(hi * 1e6))
for column in ["index", "device_time_us", "host_time_ns", "raw", "values"]:
    assert np.array_equal(da[column][()][mask], db[column][()]), column
first, last = da["index"][()][mask][[0, -1]]
gaps = [(g, n) for g, n in zip(da["gaps/first_missing_index"][()], da["gaps/count"][()]) if first < g <= last]
assert [tuple(x) for x in zip(db["gaps/first_missing_index"][()], db["gaps/count"][()])] == gaps, "gaps"
kinds = list(db["events/kind"].asstr()[()])
assert kinds[0] == "export" and "slice of known.h5" in db["events/detail"].asstr()[0], kinds
assert kinds[1:] == [k for k, i in zip(da["events/kind"].asstr()[()], da["events/sample_index"][()]) if first <= i <= last], kinds
for name in ["serial", "design", "firmware_version", "rate_hz"]:
    assert da.attrs[name] == db.attrs[name], name
for name in ["channel_names", "channel_units", "channel_kinds"]:
    assert list(da.attrs[name]) == list(db.attrs[name]), name
assert list(da["calibration/coefficients"][()].ravel()) == list(db["calibration/coefficients"][()].ravel())
assert "stop_time" in b.attrs and b.attrs["host"] == a.attrs["host"]
assert "export" in b.attrs["command_line"] and "from=0.9" in b.attrs["command_line"], b.attrs["command_line"]
print(f"{mask.sum()} rows, {len(gaps)} gaps, events {kinds}: equal")
"""#

    @Test("an HDF5 window is a recording of its own: the source's rows, gaps, events and description")
    func hdf5Slice() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        let path = f.server.recordings.directory + "/known.h5"
        try KnownRecording.write(path)
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.execute(uri: "/api/recordings/known.h5/export?format=h5&from=0.9&to=2.5", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/x-hdf5")
            #expect(r.headers[.contentDisposition] == "attachment; filename=\"known_0.9-2.5s.h5\"")
            let body = Data(r.body.readableBytesView)
            #expect(r.headers[.contentLength] == "\(body.count)")
            try body.write(to: URL(fileURLWithPath: f.folder + "/slice.h5"))
        }
        let check = try runPythonScript(Self.sliceCheck, [path, f.folder + "/slice.h5", "0.9", "2.5"])
        #expect(check.status == 0, "\(check.output)")
        // The slice reads back like any recording here too, and says it is complete.
        let summary = try RecordingSummary(reading: try HDF5RecordingReader(path: f.folder + "/slice.h5"))
        #expect(summary.closedCleanly)
        #expect(summary.devices.first?.sampleCount == 1400, "0.9–1.0 s and 1.2–2.5 s: 100 + 1300 samples")
        #expect(summary.devices.first?.missingByCause == ["transport_gap": 200])
        // Nothing is left behind in the temporary folder.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("mosquito-export-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        await f.tearDown()
    }
}
