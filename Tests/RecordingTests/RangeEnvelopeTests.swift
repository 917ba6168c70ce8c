import Foundation
import MosquitoModel
import Testing
@testable import Recording

/// The envelope a viewer reads from a recording, and the time windows export and the viewer share.
@Suite struct RangeEnvelopeTests {
    /// Samples 0..<100 and 150..<300 at 1 kHz (a 50-sample transport gap at 0.1 s), device time from 17 µs.
    static func gappy(_ name: String) throws -> (String, HDF5RecordingWriter) {
        let path = Fixtures.temporaryPath(name)
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 2)]))
        try writer.append(try Fixtures.block(first: 0, count: 100, channels: 2), device: 0)
        try writer.record(Gap(firstMissingIndex: 100, count: 50, cause: .transportGap), device: 0)
        try writer.append(try Fixtures.block(first: 150, count: 150, channels: 2), device: 0)
        try writer.record(RecordingEvent(sampleIndex: 200, hostTimeNs: 1, kind: "marker", detail: "m"), device: 0)
        return (path, writer)
    }

    @Test func bucketsHoldTheMinimumAndMaximumOfTheirSamples() throws {
        let (path, writer) = try Self.gappy("buckets.h5")
        try writer.close(stopTime: Date())
        let reader = try HDF5RecordingReader(path: path)
        let e = try reader.envelope(device: 0, fromSeconds: nil, toSeconds: nil, points: 10)
        #expect(e.mode == .buckets)
        #expect(e.rows == 250)
        // 300 µs·10³ wide window (to is just past the last sample) in 10 buckets; two fall in the gap.
        #expect(e.time.count == 9 || e.time.count == 8, "\(e.time)")
        let all = try reader.readSamples(device: 0, rows: 0 ..< 250)
        for (k, start) in e.time.enumerated() {
            let rows = all.deviceTimeUs.indices.filter {
                let t = Double(all.deviceTimeUs[$0] - 17) / 1e6
                return t >= start - 1e-12 && t < start + e.bucketSeconds - 1e-12
            }
            for c in 0..<2 {
                let values = rows.map { all.values[$0 * 2 + c] }
                #expect(e.min[c][k] == values.min() && e.max[c][k] == values.max(), "bucket \(k) channel \(c)")
            }
        }
        #expect(e.gaps == [.init(fromSeconds: 0.1, toSeconds: 0.15, firstMissingIndex: 100, count: 50, cause: "transport_gap", merged: 1)])
        #expect(e.events.map(\.seconds) == [0.2])
        #expect(e.utc.count == 2)
    }

    @Test func aSmallWindowGivesEverySample() throws {
        let (path, writer) = try Self.gappy("samples.h5")
        try writer.close(stopTime: Date())
        let e = try HDF5RecordingReader(path: path).envelope(device: 0, fromSeconds: 0.095, toSeconds: 0.155, points: 100)
        #expect(e.mode == .samples)
        #expect(e.time == [0.095, 0.096, 0.097, 0.098, 0.099, 0.15, 0.151, 0.152, 0.153, 0.154])
        #expect(e.min == e.max)
        #expect(e.gaps.map(\.fromSeconds) == [0.1])
    }

    /// Rows are read block by block; where the blocks end changes nothing (gaps and events at a block's edge
    /// are placed between rows of two blocks).
    @Test func blockSizeChangesNothing() throws {
        let (path, writer) = try Self.gappy("blocks.h5")
        try writer.close(stopTime: Date())
        let reader = try HDF5RecordingReader(path: path)
        for (from, to, points) in [(nil, nil, 10), (nil, nil, 1000), (0.05, 0.2, 30), (0.099, 0.151, 5), (0.2, nil, 1000)] as [(Double?, Double?, Int)] {
            let whole = try reader.envelope(device: 0, fromSeconds: from, toSeconds: to, points: points)
            for rows in [1, 7, 100, 151] {
                #expect(try reader.envelope(device: 0, fromSeconds: from, toSeconds: to, points: points, maxRowsPerRead: rows) == whole,
                        "\(String(describing: from))–\(String(describing: to)) s, \(points) points, \(rows) rows a read")
            }
        }
    }

    /// A viewer in the server reads the file its own recorder is writing: it sees each flush, and the recorder
    /// still closes the file cleanly with the viewer's reader open.
    @Test func readsBesideItsWriterInOneProcess() throws {
        let (path, writer) = try Self.gappy("beside.h5")
        try writer.flush()
        // HDF5 shares one open file among the readers of a process: a reader opened while this one is still
        // open would see the root header as this one first read it. The server opens a reader per request.
        do {
            let reader = try HDF5RecordingReader(path: path)
            #expect(try reader.envelope(device: 0, fromSeconds: nil, toSeconds: nil, points: 1000).rows == 250)
            try writer.append(try Fixtures.block(first: 300, count: 100, channels: 2), device: 0)
            try writer.flush()
            #expect(try reader.envelope(device: 0, fromSeconds: nil, toSeconds: nil, points: 1000).rows == 350)
        }
        try writer.close(stopTime: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(try HDF5RecordingReader(path: path).metadata.stopTime == "2026-09-21T14:13:20.000Z")
    }

    /// Seconds far beyond any clock land past the end instead of trapping (`mosquito export --from 1e30` crashed).
    @Test func hugeSecondsDoNotTrap() throws {
        let (path, writer) = try Self.gappy("huge.h5")
        try writer.close(stopTime: Date())
        let reader = try HDF5RecordingReader(path: path)
        var text = ""
        try exportCSV(from: reader, selection: CSVExportSelection(fromSeconds: 1e30)) { (piece) throws(RecordingError) in text += piece }
        #expect(text == "index,device_time_us,ch0,ch1\n")
        #expect(try reader.window(device: 0, fromSeconds: 1e300, toSeconds: nil)?.rows.isEmpty == true)
        #expect(try reader.envelope(device: 0, fromSeconds: 0, toSeconds: 1e20, points: 5).rows == 250)
    }

    @Test func pointsOutsideTheLimitsAreRefused() throws {
        let (path, writer) = try Self.gappy("limits.h5")
        try writer.close(stopTime: Date())
        let reader = try HDF5RecordingReader(path: path)
        #expect(throws: RecordingError.self) { try reader.envelope(device: 0, fromSeconds: nil, toSeconds: nil, points: 0) }
        #expect(throws: RecordingError.self) { try reader.envelope(device: 1, fromSeconds: nil, toSeconds: nil, points: 10) }
    }
}
