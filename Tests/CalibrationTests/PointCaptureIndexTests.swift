import Acquisition
import Calibration
import MWP
import Testing

/// A calibration point is taken as a subscriber of the stream: each sample index counts once (a repeated frame
/// does not weigh twice in a reading, no index the wire sends traps the capture), and the samples a point misses,
/// lost by the link or by the capture reading too slowly, are counted in the point as the stream counts them.
@Suite struct PointCaptureIndexTests {
    /// Feeds one single-channel SAMPLES frame of `count` samples, all reading `raw`, from index `first`.
    func send(_ ingest: StreamIngest, _ first: UInt64, _ count: Int, raw: Int32) throws {
        var w = WireWriter(capacity: 22 + 4 * count)
        w.u64(first)
        w.u64(0)
        w.u32(1)
        w.u16(UInt16(count))
        for _ in 0..<count { w.i32(raw) }
        let refused: MessageError? = w.bytes.withUnsafeBytes { bytes in
            do throws(MessageError) { ingest.samples(try SamplesView(payload: bytes)) } catch { return error }
            return nil
        }
        if let refused { throw refused }
    }

    @Test func aRepeatedFrameDoesNotWeighTwiceInTheReading() throws {
        let (capture, ingest) = PointCapture.ownStream(channel: 0, rateHz: 1000, blockSize: 60)
        try send(ingest, 0, 20, raw: 1)
        try send(ingest, 20, 20, raw: 1)
        try send(ingest, 0, 20, raw: 1000)
        #expect(capture.live == nil)
        try send(ingest, 40, 20, raw: 1)
        #expect(capture.live?.meanRaw == 1)
    }

    @Test func indicesNear2To64AreTakenUntilTheFrameThatWouldWrap() throws {
        let (capture, ingest) = PointCapture.ownStream(channel: 0, rateHz: 1000, blockSize: 40)
        try send(ingest, .max - 40, 20, raw: 5)
        try send(ingest, .max - 20, 20, raw: 5)
        #expect(capture.live?.meanRaw == 5)
        try send(ingest, .max, 20, raw: 9)
        try send(ingest, 0, 20, raw: 9)
        try send(ingest, 20, 20, raw: 9)
        // Neither the refused frame nor the wrapped ones after it made a block of their own.
        #expect(capture.live?.meanRaw == 5)
    }

    @Test func samplesTheLinkLostInsideAPointAreCountedInItAsTheStreamCountsThem() throws {
        let (capture, ingest) = PointCapture.ownStream(channel: 0, rateHz: 1000, blockSize: 1000)
        try send(ingest, 0, 20, raw: 3)
        capture.arm(samples: 40)
        try send(ingest, 20, 20, raw: 7)
        try send(ingest, 60, 20, raw: 7)
        let point = try capture.awaitPoint(timeoutSeconds: 30)
        #expect(point.stats.count == 40 && point.stats.mean == 7, "the point holds only what came after arming")
        #expect(point.lost == 20)
        #expect(ingest.snapshot().loss.total == 20, "the same 20 the stream declared lost")
    }

    @Test func samplesTheCaptureFellBehindOnAreCountedAsLostInThePoint() throws {
        let (capture, ingest) = PointCapture.ownStream(channel: 0, rateHz: 1000, capacity: 32)
        try send(ingest, 0, 20, raw: 1)
        capture.arm(samples: 20)
        // Nobody reads while 60 more arrive: the capture's 32-sample ring keeps the newest (48…79).
        try send(ingest, 20, 20, raw: 2)
        try send(ingest, 40, 20, raw: 2)
        try send(ingest, 60, 20, raw: 2)
        let point = try capture.awaitPoint(timeoutSeconds: 30)
        #expect(point.stats.count == 20)
        #expect(point.lost == 28, "20…47 never reached the point")
        #expect(capture.droppedSamples == 28)
        #expect(ingest.snapshot().loss.total == 0, "the link lost nothing: the capture did")
    }
}
