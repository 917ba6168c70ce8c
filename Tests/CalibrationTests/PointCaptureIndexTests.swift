import Calibration
import MWP
import Testing

/// A calibration point counts each sample index once: a repeated frame does not weigh twice in a reading, and
/// no index the wire sends traps the capture.
@Suite struct PointCaptureIndexTests {
    /// Feeds one single-channel SAMPLES frame of `count` samples, all reading `raw`, from index `first`.
    func send(_ capture: PointCapture, _ first: UInt64, _ count: Int, raw: Int32) throws {
        var w = WireWriter(capacity: 22 + 4 * count)
        w.u64(first)
        w.u64(0)
        w.u32(1)
        w.u16(UInt16(count))
        for _ in 0..<count { w.i32(raw) }
        let refused: MessageError? = w.bytes.withUnsafeBytes { bytes in
            do throws(MessageError) { capture.samples(try SamplesView(payload: bytes)) } catch { return error }
            return nil
        }
        if let refused { throw refused }
    }

    @Test func aRepeatedFrameDoesNotWeighTwiceInTheReading() throws {
        let capture = PointCapture(blockSize: 60)
        try send(capture, 0, 20, raw: 1)
        try send(capture, 20, 20, raw: 1)
        try send(capture, 0, 20, raw: 1000)
        #expect(capture.live == nil)
        try send(capture, 40, 20, raw: 1)
        #expect(capture.live?.meanRaw == 1)
    }

    @Test func indicesNear2To64AreTakenUntilTheFrameThatWouldWrap() throws {
        let capture = PointCapture(blockSize: 40)
        try send(capture, .max - 40, 20, raw: 5)
        try send(capture, .max - 20, 20, raw: 5)
        #expect(capture.live?.meanRaw == 5)
        try send(capture, .max, 20, raw: 9)
        try send(capture, 0, 20, raw: 9)
        try send(capture, 20, 20, raw: 9)
        // Neither the refused frame nor the wrapped ones after it made a block of their own.
        #expect(capture.live?.meanRaw == 5)
    }
}
