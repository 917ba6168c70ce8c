@testable import Calibration
import Testing

/// The rules of a calibration point, on the value a capture keeps, fed sample by sample with no stream.
@Suite struct ChannelReadingTests {
    func reading(blockSize: Int = 4) -> ChannelReading {
        ChannelReading(blockSize: blockSize, detector: StabilityDetector())
    }

    @Test func aPointCountsTheIndicesMissingSinceTheLastSampleReadBeforeArming() {
        var r = reading()
        for i in 0..<10 { r.take(index: UInt64(i), raw: 0) }
        r.arm(samples: 3)
        r.take(index: 12, raw: 5)  // 10 and 11 missed after arming
        r.take(index: 13, raw: 7)
        #expect(!r.isPointFull)
        r.take(index: 20, raw: 9)  // 14 … 19 missed
        #expect(r.isPointFull)
        let (stats, lost) = r.takePoint()
        #expect(stats.count == 3)
        #expect(stats.mean == 7)
        #expect(lost == 2 + 6)
    }

    @Test func aJumpAfterThePointIsFullIsNotThePointsLoss() {
        var r = reading()
        r.take(index: 0, raw: 0)
        r.arm(samples: 2)
        r.take(index: 1, raw: 1)
        r.take(index: 2, raw: 1)
        r.take(index: 100, raw: 50)
        let (stats, lost) = r.takePoint()
        #expect(stats.count == 2)
        #expect(stats.mean == 1)
        #expect(lost == 0)
    }

    @Test func takingThePointDisarms() {
        var r = reading()
        r.arm(samples: 1)
        r.take(index: 0, raw: 1)
        _ = r.takePoint()
        r.take(index: 1, raw: 1)
        #expect(r.armedFor == 0)
        #expect(r.point.count == 1)
    }

    @Test func theLastIndexOfAStreamDoesNotTrapAndHasNoSuccessorToMiss() {
        var r = reading()
        r.arm(samples: 2)
        r.take(index: .max - 1, raw: 1)
        r.take(index: .max, raw: 1)
        #expect(r.takePoint().lost == 0)
        r.arm(samples: 1)
        r.take(index: 0, raw: 1)  // a restarted stream after the last index: nothing known to be missed
        #expect(r.takePoint().lost == 0)
    }

    @Test func blocksFeedTheLiveViewAndAResetForgetsThem() {
        var r = reading(blockSize: 4)
        for i in 0..<3 { r.take(index: UInt64(i), raw: 10) }
        #expect(r.lastBlock == nil)
        r.take(index: 3, raw: 10)
        #expect(r.lastBlock?.count == 4)
        #expect(r.lastBlock?.mean == 10)
        r.resetStability()
        #expect(r.lastBlock == nil)
        for i in 4..<7 { r.take(index: UInt64(i), raw: 20) }
        #expect(r.lastBlock == nil, "a reset also drops the partial block, so the next block is all after it")
        r.take(index: 7, raw: 20)
        #expect(r.lastBlock?.mean == 20)
    }

    @Test func aBlockSizeBelowOneIsOne() {
        var r = reading(blockSize: 0)
        r.take(index: 0, raw: 3)
        #expect(r.lastBlock?.mean == 3)
    }
}
