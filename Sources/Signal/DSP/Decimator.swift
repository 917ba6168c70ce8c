/// Integer-factor decimation with an anti-alias low-pass: a Butterworth order-8 low-pass at 0.8 × the
/// output Nyquist frequency (the band edge scipy's `decimate` uses; Butterworth rather than Chebyshev so
/// the pass band is flat), then every `factor`-th frame is kept, starting with the stream's first.
/// Which frames are kept depends only on the position in the stream, never on chunk boundaries.
public final class Decimator {
    public let factor: Int
    public let inputRate: Double
    public let antiAlias: BiquadCascade
    /// Frames to skip before the next kept one (carried across chunks).
    private var phase = 0

    public static let antiAliasOrder = 8
    public static let antiAliasFraction = 0.8

    public init(factor: Int, channelCount: Int, inputRate: Double) throws(FilterDesignError) {
        precondition(factor >= 1, "decimation factor must be at least 1")
        self.factor = factor
        self.inputRate = inputRate
        let sections = factor == 1 ? [] : try Butterworth.sections(
            order: Self.antiAliasOrder,
            response: .lowpass(cutoff: Self.antiAliasCutoff(inputRate: inputRate, factor: factor)),
            sampleRate: inputRate)
        antiAlias = BiquadCascade(sections: sections, channelCount: channelCount)
    }

    public static func antiAliasCutoff(inputRate: Double, factor: Int) -> Double {
        antiAliasFraction * inputRate / Double(factor) / 2
    }

    public var outputRate: Double { inputRate / Double(factor) }

    public func reset() {
        antiAlias.reset()
        phase = 0
    }

    /// Filters `frameCount` frames in place and moves the kept ones to the front.
    /// Returns how many frames were kept and the input offset of the first kept one (then every `factor`).
    public func process(_ samples: UnsafeMutablePointer<Double>, frameCount: Int) -> (kept: Int, firstKeptOffset: Int) {
        antiAlias.process(samples, frameCount: frameCount)
        let channels = antiAlias.channelCount
        let first = phase
        var kept = 0
        var input = first
        while input < frameCount {
            if input != kept {
                (samples + kept * channels).update(from: samples + input * channels, count: channels)
            }
            kept += 1
            input += factor
        }
        phase = input - frameCount
        return (kept, first)
    }
}
