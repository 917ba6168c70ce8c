import TestSupport
import Foundation
import MosquitoModel
import Testing
@testable import Signal

@Suite struct TimeTests {
    @Test func sampleTimesComeFromTheBlockTimeAndRate() {
        let clock = SampleClock(rateHz: 3000)
        #expect(clock.deviceTimeNs(blockDeviceTimeUs: 1_000, offsetInBlock: 0) == 1_000_000)
        #expect(clock.deviceTimeNs(blockDeviceTimeUs: 1_000, offsetInBlock: 1) == 1_333_333)
        #expect(clock.deviceTimeNs(blockDeviceTimeUs: 1_000, offsetInBlock: 2) == 1_666_667)
        #expect(clock.deviceTimeNs(blockDeviceTimeUs: 1_000, offsetInBlock: 3000) == 1_001_000_000)
    }

    @Test func frameBufferStampsEverySampleOfABlock() {
        let buffer = FrameBuffer(capacity: 8, channelCount: 2)
        let raw: [Int32] = [1, 2, 3, 4, 5, 6]
        raw.withUnsafeBufferPointer {
            buffer.appendBlock(firstIndex: 640, clock: SampleClock(rateHz: 1000), blockDeviceTimeUs: 5_000_000, raw: $0)
        }
        buffer.withSpan { span in
            #expect(Array(span.indices) == [640, 641, 642])
            #expect(Array(span.deviceTimesNs) == [5_000_000_000, 5_001_000_000, 5_002_000_000])
            #expect(Array(span.values(ofFrame: 2)) == [5, 6])
        }
    }

    /// A device clock `offset` ns ahead-of-zero and running `driftPPM` slow, pinged through a link whose
    /// delays are random and asymmetric; the mapper must recover the truth within its own uncertainty.
    struct SyntheticLink {
        var offsetNs: Double = 1.234_567e12
        var driftPPM: Double = 37
        var rng = SplitMix64(seed: 7)

        /// Device µs at true host time `hostNs`.
        func deviceUs(atHost hostNs: Double) -> Double {
            (hostNs - offsetNs) / (1 + driftPPM * 1e-6) / 1000
        }

        mutating func ping(at hostNs: Double) -> ClockExchange {
            // Minimum 40 µs each way plus exponential queueing jitter of mean 200 µs.
            let outbound = 40_000 + -200_000 * log(Double.random(in: 1e-12...1, using: &rng))
            let inbound = 40_000 + -200_000 * log(Double.random(in: 1e-12...1, using: &rng))
            let readAt = hostNs + outbound
            return ClockExchange(
                hostSendNs: UInt64(hostNs), hostReceiveNs: UInt64(readAt + inbound),
                deviceTimeUs: UInt64(deviceUs(atHost: readAt).rounded()))
        }
    }

    @Test func mapperRecoversOffsetAndDrift() {
        var link = SyntheticLink()
        var mapper = ClockMapper(roundSize: 8, windowCapacity: 512)
        // One burst of 8 pings every second for a minute.
        for second in 0..<60 {
            for k in 0..<8 {
                mapper.add(link.ping(at: 5e12 + Double(second) * 1e9 + Double(k) * 2e6))
            }
        }
        let mapping = mapper.mapping!
        #expect(mapping.exchangesUsed == 60)
        #expect(abs(mapping.driftPPM - 37) < 1, "drift \(mapping.driftPPM) ppm")
        // Uncertainty is reported, and bounded by what the link allows.
        #expect(mapping.clockOffsetUncertaintyNs > 0 && mapping.clockOffsetUncertaintyNs < 100_000)
        for host in stride(from: 5e12, through: 5e12 + 60e9, by: 7.5e9) {
            let device = link.deviceUs(atHost: host)
            let mapped = mapping.hostNs(deviceNs: UInt64((device * 1000).rounded()))
            // Lowest-round-trip selection keeps the error near the 40 µs symmetric floor, far below the 200 µs jitter.
            #expect(abs(mapped - host) < 4 * mapping.clockOffsetUncertaintyNs + 1000, "error \(mapped - host) ns")
            #expect(abs(mapped - host) < 60_000)
        }
    }

    @Test func mapperFollowsDriftChangesThroughItsWindow() {
        var link = SyntheticLink()
        var mapper = ClockMapper(roundSize: 4, windowCapacity: 80)
        for second in 0..<40 {
            for k in 0..<4 { mapper.add(link.ping(at: 5e12 + Double(second) * 1e9 + Double(k) * 1e6)) }
        }
        #expect(abs(mapper.mapping!.driftPPM - 37) < 3)
        // Warm up: the device now runs 12 ppm fast relative to its old rate, re-anchored at t = 40 s.
        let anchorHost = 5e12 + 40e9
        let anchorDevice = link.deviceUs(atHost: anchorHost)
        link.driftPPM = 25
        link.offsetNs = anchorHost - anchorDevice * 1000 * (1 + 25e-6)
        for second in 40..<100 {
            for k in 0..<4 { mapper.add(link.ping(at: 5e12 + Double(second) * 1e9 + Double(k) * 1e6)) }
        }
        #expect(mapper.window.count == 80)
        #expect(abs(mapper.mapping!.driftPPM - 25) < 3, "drift \(mapper.mapping!.driftPPM)")
    }

    @Test func singleExchangeGivesOffsetAtNominalRate() {
        var mapper = ClockMapper()
        mapper.add(ClockExchange(hostSendNs: 1_000_000, hostReceiveNs: 1_200_000, deviceTimeUs: 50))
        let m = mapper.mapping!
        #expect(m.hostNsPerDeviceUs == 1000)
        #expect(m.hostNs(deviceUs: 50) == 1_100_000)
        #expect(m.hostNs(deviceUs: 60) == 1_110_000)
        #expect(abs(m.clockOffsetUncertaintyNs - 100_000 / 3.0.squareRoot()) < 1e-6)
    }

    @Test func mappingRoundTripsThroughJSON() throws {
        let mapping = ClockMapping(
            deviceReferenceUs: 123_456_789, hostReferenceNs: 9.87654321e15, hostNsPerDeviceUs: 1000.000037,
            clockOffsetUncertaintyNs: 12_345.5, exchangesUsed: 42)
        let decoded = try JSONDecoder().decode(ClockMapping.self, from: JSONEncoder().encode(mapping))
        #expect(decoded == mapping)
        #expect(abs(decoded.driftPPM - 0.037) < 1e-6)
    }
}
