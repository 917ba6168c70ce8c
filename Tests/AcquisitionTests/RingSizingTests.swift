import Acquisition
import Testing

@Suite struct RingSizingTests {
    @Test func oneSecondAtTheTopRateRoundsUpToAPowerOfTwo() {
        #expect(RingSizing.capacity(rateHz: 100_000, seconds: 1) == 131_072)
        #expect(RingSizing.capacity(rateHz: 100_000, seconds: 2) == 262_144)
        #expect(RingSizing.capacity(rateHz: 65_536, seconds: 1) == 65_536)
        #expect(RingSizing.capacity(rateHz: 65_537, seconds: 1) == 131_072)
    }

    @Test func lowRatesGetTheFloor() {
        #expect(RingSizing.capacity(rateHz: 1, seconds: 1) == RingSizing.minimumFrames)
        #expect(RingSizing.capacity(rateHz: 1000, seconds: 0) == RingSizing.minimumFrames)
        #expect(RingSizing.capacity(rateHz: 1000, seconds: 16.384) == RingSizing.minimumFrames)
        #expect(RingSizing.capacity(rateHz: 1000, seconds: 16.385) == 2 * RingSizing.minimumFrames)
    }

    @Test func hugeRequestsAreCapped() {
        #expect(RingSizing.capacity(rateHz: .max, seconds: 600) == RingSizing.maximumFrames)
        #expect(RingSizing.capacity(rateHz: 1000, seconds: .infinity) == RingSizing.maximumFrames)
    }

    @Test(arguments: [1, 999, 1000, 44_100, 100_000]) func alwaysAPowerOfTwoHoldingTheRequest(_ rate: UInt32) {
        for seconds in [0.01, 0.5, 1, 3.3, 60] {
            let c = RingSizing.capacity(rateHz: rate, seconds: seconds)
            #expect(c & (c - 1) == 0)
            #expect(Double(c) >= Double(rate) * seconds)
            #expect(c == RingSizing.minimumFrames || Double(c / 2) < Double(rate) * seconds)
        }
    }
}
