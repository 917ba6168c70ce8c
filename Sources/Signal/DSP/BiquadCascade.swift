/// Streaming cascade of second-order sections over interleaved multi-channel samples
/// (frame-major: `samples[frame * channelCount + channel]`), filtering in place.
///
/// Each section runs in transposed direct form II with two state words per channel, computed in exactly
/// the order scipy's `sosfilt` uses, so outputs match it and are bit-identical however the stream is
/// chunked: the state carried between calls is all the history the recurrence needs.
/// State is allocated once; `process` never allocates.
public final class BiquadCascade {
    public let sections: [SecondOrderSection]
    public let channelCount: Int
    private let coefficients: UnsafeMutablePointer<Double>  // 5 per section: b0 b1 b2 a1 a2
    private let state: UnsafeMutablePointer<Double>  // per section: z1[channelCount] then z2[channelCount]

    public init(sections: [SecondOrderSection], channelCount: Int) {
        precondition(channelCount > 0, "filter at least one channel")
        self.sections = sections
        self.channelCount = channelCount
        coefficients = .allocate(capacity: max(1, sections.count * 5))
        for (i, s) in sections.enumerated() {
            (coefficients + i * 5).initialize(from: [s.b0, s.b1, s.b2, s.a1, s.a2], count: 5)
        }
        state = .allocate(capacity: max(1, sections.count * 2 * channelCount))
        state.initialize(repeating: 0, count: max(1, sections.count * 2 * channelCount))
    }

    deinit {
        coefficients.deallocate()
        state.deallocate()
    }

    /// Forgets the history, as if the stream started again (e.g. after a gap).
    public func reset() {
        state.update(repeating: 0, count: max(1, sections.count * 2 * channelCount))
    }

    /// Filters `frameCount` frames of `samples` in place.
    public func process(_ samples: UnsafeMutablePointer<Double>, frameCount: Int) {
        let channels = channelCount
        for s in 0..<sections.count {
            let c = coefficients + s * 5
            let b0 = c[0], b1 = c[1], b2 = c[2], a1 = c[3], a2 = c[4]
            let z1 = state + s * 2 * channels
            let z2 = z1 + channels
            var frame = samples
            for _ in 0..<frameCount {
                // Channels are independent: this inner loop vectorises across them.
                for ch in 0..<channels {
                    let x = frame[ch]
                    let y = b0 * x + z1[ch]
                    z1[ch] = b1 * x - a1 * y + z2[ch]
                    z2[ch] = b2 * x - a2 * y
                    frame[ch] = y
                }
                frame += channels
            }
        }
    }

    public func process(_ samples: UnsafeMutableBufferPointer<Double>) {
        precondition(samples.count % channelCount == 0, "whole frames only")
        guard let base = samples.baseAddress else { return }
        process(base, frameCount: samples.count / channelCount)
    }
}
