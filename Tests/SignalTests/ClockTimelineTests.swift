import Testing
@testable import Signal

@Suite struct ClockTimelineTests {
    static func fit(offsetNs: Double) -> ClockMapping {
        ClockMapping(deviceReferenceUs: 0, hostReferenceNs: offsetNs, hostNsPerDeviceUs: 1000, clockOffsetUncertaintyNs: 50, exchangesUsed: 8)
    }

    /// The bug this exists for: a refit between a fast and a slow reader moved the slow reader's stamps (3.6 µs
    /// between a file and an LSL outlet in CI). Both readers must now agree on every sample.
    @Test func aRefitDoesNotMoveSamplesAFastReaderAlreadyStamped() throws {
        var timeline = ClockTimeline()
        timeline.adopt(Self.fit(offsetNs: 1_000), exchangeDeviceNs: 1_000_000)
        let fast = timeline.claim(throughDeviceNs: 5_000_000)
        timeline.adopt(Self.fit(offsetNs: 4_600), exchangeDeviceNs: 6_000_000)
        let slow = timeline.claim(throughDeviceNs: 9_000_000)
        for deviceNs: UInt64 in [0, 1_000, 4_999_999, 5_000_000] {
            #expect(fast.hostNs(deviceNs: deviceNs) == slow.hostNs(deviceNs: deviceNs))
            #expect(slow.hostNs(deviceNs: deviceNs) == Double(deviceNs) + 1_000)
        }
        // Past what anyone claimed, the new fit rules, for every reader from now on.
        #expect(slow.hostNs(deviceNs: 5_000_001) == 5_004_601.0)
        #expect(timeline.claim(throughDeviceNs: 1).hostNs(deviceNs: 8_000_000) == 8_004_600.0)
        #expect(timeline.current == Self.fit(offsetNs: 4_600))
    }

    @Test func refitsNobodyReadBetweenReplaceEachOther() {
        var timeline = ClockTimeline()
        for k in 0..<1_000 { timeline.adopt(Self.fit(offsetNs: Double(k)), exchangeDeviceNs: UInt64(k)) }
        let times = timeline.claim(throughDeviceNs: 10)
        #expect(times.epochs.count == 1)
        #expect(times.hostNs(deviceNs: 10) == 1_009.0)
    }

    /// Samples read before the first exchange have no host time for that reader (a file writes 0); the first fit
    /// then covers them for later readers, and LSL, which must stamp every sample, can ask for it.
    @Test func samplesBeforeTheFirstExchangeTakeTheFirstFitLater() {
        var timeline = ClockTimeline()
        let early = timeline.claim(throughDeviceNs: 2_000)
        #expect(early.hostNs(deviceNs: 1_000) == nil)
        #expect(early.hostTimeNs(deviceNs: 1_000, utcMinusMonotonicNs: 7) == 0)
        #expect(early.earliestKnown(atDeviceNs: 1_000) == nil)
        timeline.adopt(Self.fit(offsetNs: 100), exchangeDeviceNs: 3_000)
        let later = timeline.claim(throughDeviceNs: 3_000)
        #expect(later.hostNs(deviceNs: 1_000) == 1_100.0)
        #expect(later.hostTimeNs(deviceNs: 2_500, utcMinusMonotonicNs: 7) == 2_500 + 100 + 7)
        #expect(HostTimes.unknown.earliestKnown(atDeviceNs: 0) == nil)
    }

    /// A reconnected instrument's clock starts again (a new timeline) while a slow reader still drains the old
    /// device's samples, whose device times are far ahead: its claim must not push the new clock's fits past the
    /// new device's samples (they would have no host time until the new clock caught up with the old one).
    @Test func aReaderDrainingTheOldDeviceDoesNotHoldBackTheNewClock() {
        var timeline = ClockTimeline()
        _ = timeline.claim(throughDeviceNs: 3_600_000_000_000)
        timeline.adopt(Self.fit(offsetNs: 10), exchangeDeviceNs: 50_000_000)
        _ = timeline.claim(throughDeviceNs: 3_600_500_000_000)
        let times = timeline.claim(throughDeviceNs: 60_000_000)
        #expect(times.hostNs(deviceNs: 55_000_000) == 55_000_010.0)
        timeline.adopt(Self.fit(offsetNs: 20), exchangeDeviceNs: 70_000_000)
        // The new device's samples claimed so far keep their fit; later ones take the refit.
        let after = timeline.claim(throughDeviceNs: 80_000_000)
        #expect(after.hostNs(deviceNs: 60_000_000) == 60_000_010.0)
        #expect(after.hostNs(deviceNs: 60_000_001) == 60_000_021.0)
    }

    @Test func wireExtremesNeverTrap() {
        var timeline = ClockTimeline()
        timeline.adopt(Self.fit(offsetNs: 0), exchangeDeviceNs: .max - 10)
        let times = timeline.claim(throughDeviceNs: .max)
        timeline.adopt(Self.fit(offsetNs: 9), exchangeDeviceNs: .max)
        #expect(times.hostTimeNs(deviceNs: .max / 2, utcMinusMonotonicNs: .max) == 0)
        #expect(times.hostTimeNs(deviceNs: .max, utcMinusMonotonicNs: 0) == -1)
        // Nothing is left past UInt64.max to give the new fit: it takes the last device time on.
        let after = timeline.claim(throughDeviceNs: 0)
        #expect(after.hostNs(deviceNs: .max - 1) == -2)
        #expect(after.hostNs(deviceNs: .max) == 8.0)
    }

    @Test func aReaderFarBehindFallsBackToTheOldestFitKept() {
        var timeline = ClockTimeline()
        for k in 0..<(ClockTimeline.keptEpochs + 10) {
            timeline.adopt(Self.fit(offsetNs: Double(k)), exchangeDeviceNs: UInt64(k) * 1_000)
            _ = timeline.claim(throughDeviceNs: UInt64(k) * 1_000)
        }
        let times = timeline.claim(throughDeviceNs: 0)
        #expect(times.epochs.count == ClockTimeline.keptEpochs)
        #expect(times.hostNs(deviceNs: 0) == 10)
    }
}
