import MWP
import Recording

/// Where the next SAMPLES frame ends in a run of recorded rows.
///
/// A frame carries one device time (its first sample's) and consecutive indices; the host derives every
/// other sample's time from the rate. So a frame ends where the recorded indices jump (a gap, which must
/// reappear as one) or where the recorded time of a row differs from what the host would derive, so
/// the replayed `device_time_us` equals the recorded one exactly.
struct FrameCutter: Sendable {
    let rateHz: UInt32
    let maxSamples: Int

    init(rateHz: UInt32, channels: Int) {
        self.rateHz = rateHz
        // About 2 ms per frame, as the firmware sends, never more than a frame holds.
        maxSamples = max(1, min(SamplesHeader.maxCount(channels: channels), Int(rateHz / 500)))
    }

    /// How many rows from `start` go into one frame (at least one when `start` is in the block).
    func frameLength(in block: SampleBlock, from start: Int) -> Int {
        let first = block.index[start], firstTime = block.deviceTimeUs[start]
        var count = 1
        while count < maxSamples, start + count < block.sampleCount {
            let row = start + count
            // A file is outside input: an index or a time that cannot follow without overflowing ends the frame.
            let (next, pastMax) = first.addingReportingOverflow(UInt64(count))
            guard !pastMax, block.index[row] == next,
                  let time = derivedUs(firstTime, offset: count), block.deviceTimeUs[row] == time else { break }
            count += 1
        }
        return count
    }

    /// The device time the host gives sample `offset` of a frame (Signal's `SampleClock`, truncated to µs
    /// as the recorder writes it).
    /// nil when the recorded time is too large for the host's nanosecond arithmetic.
    private func derivedUs(_ frameUs: UInt64, offset: Int) -> UInt64? {
        let rate = UInt64(rateHz)
        let (nanos, tooLarge) = frameUs.multipliedReportingOverflow(by: 1000)
        // `offset` is below a frame's sample count, so its share is under 2^46 ns.
        let (sum, pastMax) = nanos.addingReportingOverflow((UInt64(offset) * 1_000_000_000 + rate / 2) / rate)
        return tooLarge || pastMax ? nil : sum / 1000
    }
}
