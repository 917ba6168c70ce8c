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
    func frameLength(in block: Recording.SampleBlock, from start: Int) -> Int {
        let first = block.index[start], firstTime = block.deviceTimeMicros[start]
        var count = 1
        while count < maxSamples, start + count < block.sampleCount {
            let row = start + count
            guard block.index[row] == first + UInt64(count),
                  block.deviceTimeMicros[row] == derivedMicros(firstTime, offset: count) else { break }
            count += 1
        }
        return count
    }

    /// The device time the host gives sample `offset` of a frame (Signal's `SampleClock`, truncated to µs
    /// as the recorder writes it).
    private func derivedMicros(_ frameMicros: UInt64, offset: Int) -> UInt64 {
        let rate = UInt64(rateHz)
        return (frameMicros * 1000 + (UInt64(offset) * 1_000_000_000 + rate / 2) / rate) / 1000
    }
}
