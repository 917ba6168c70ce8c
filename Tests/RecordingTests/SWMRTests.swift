import Foundation
import MosquitoModel
import Synchronization
import Testing
@testable import Recording

/// A monotonic clock the test advances by hand, so flushes happen exactly when the test says.
final class ManualClock: Sendable {
    private let current = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { current.withLock { $0 } }
    func advance(by duration: Duration) { current.withLock { $0 += duration } }
}

@Suite struct SWMRTests {
    static let countScript = """
    import h5py, sys, json
    f = h5py.File(sys.argv[1], "r", swmr=True)
    d = f["devices/MQ-1"]
    print(json.dumps([int(d["index"].shape[0]), int(d["values"].shape[0]),
                      float(d["values"][-1, 1]) if d["values"].shape[0] else None, "stop_time" in f.attrs]))
    """

    struct Seen: Decodable, Equatable {
        let rows: Int, valueRows: Int, lastValue: Double?, stopped: Bool
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            rows = try c.decode(Int.self)
            valueRows = try c.decode(Int.self)
            lastValue = try c.decodeIfPresent(Double.self)
            stopped = try c.decode(Bool.self)
        }
    }

    @Test func h5pySeesFlushedSamplesWhileRecording() throws {
        let path = Fixtures.temporaryPath("live.h5")
        let clock = ManualClock()
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 2)]),
                                             options: .init(), clock: { clock.now })
        let first = try Fixtures.block(first: 0, count: 100, channels: 2)
        try writer.append(first, device: 0)
        // Not yet due: the samples wait in the writer, a reader sees none.
        #expect(try Python.json(Seen.self, Self.countScript, arguments: [path]).rows == 0)

        clock.advance(by: .seconds(1))
        try writer.flushIfDue(now: clock.now)
        let afterFirst = try Python.json(Seen.self, Self.countScript, arguments: [path])
        #expect(afterFirst.rows == 100 && afterFirst.valueRows == 100 && afterFirst.lastValue == first.values[199])
        #expect(!afterFirst.stopped)

        let second = try Fixtures.block(first: 100, count: 50, channels: 2)
        try writer.append(second, device: 0)
        clock.advance(by: .milliseconds(500))
        try writer.flushIfDue(now: clock.now)
        #expect(try Python.json(Seen.self, Self.countScript, arguments: [path]).rows == 100)
        clock.advance(by: .milliseconds(500))
        // Appends flush by themselves once the interval has passed.
        try writer.append(try Fixtures.block(first: 150, count: 1, channels: 2), device: 0)
        let afterSecond = try Python.json(Seen.self, Self.countScript, arguments: [path])
        #expect(afterSecond.rows == 151)

        // Our own reader follows a live file too.
        let reader = try HDF5RecordingReader(path: path)
        #expect(try reader.sampleCount(device: 0) == 151)
        #expect(reader.metadata.stopTime == nil)

        try writer.close(stopTime: Date())
        let closed = try Python.json(Seen.self, Self.countScript, arguments: [path])
        #expect(closed.rows == 151 && closed.stopped)
    }

    /// A copy of the file taken right after a flush, while the writer still has it open, is exactly what a
    /// `kill -9` at that moment leaves on disk (the writer is mid-session, SWMR flag set, no stop time).
    @Test func snapshotOfOpenWriterReadsLikeAKilledRecorder() throws {
        let path = Fixtures.temporaryPath("killed.h5")
        let clock = ManualClock()
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 2)]),
                                             options: .init(compress: true), clock: { clock.now })
        let block = try Fixtures.block(first: 0, count: 2500, channels: 2)
        try writer.append(block, device: 0)
        try writer.record(Gap(firstMissingIndex: 2500, count: 3, cause: .transportGap), device: 0)
        try writer.flush()
        try writer.append(try Fixtures.block(first: 2503, count: 10, channels: 2), device: 0)  // unflushed: lost
        let snapshot = path + ".snapshot.h5"
        try FileManager.default.copyItem(atPath: path, toPath: snapshot)
        defer { try? writer.close(stopTime: Date()) }

        let seen = try Python.json(Seen.self, Self.countScript, arguments: [snapshot])
        #expect(seen.rows == 2500 && seen.lastValue == block.values[4999] && !seen.stopped)
        // Without swmr=True h5py refuses the file (still flagged open for writing): documented for users.
        #expect(throws: Python.Failure.self) {
            try Python.run("import h5py, sys; h5py.File(sys.argv[1], 'r')", arguments: [snapshot])
        }
        let reader = try HDF5RecordingReader(path: snapshot)
        #expect(try reader.readSamples(device: 0, rows: 0 ..< 2500) == block)
        #expect(try reader.gaps(device: 0) == [Gap(firstMissingIndex: 2500, count: 3, cause: .transportGap)])
        #expect(try RecordingSummary(reading: reader).closedCleanly == false)
    }
}
