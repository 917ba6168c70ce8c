/// Statistics of one channel over one window.
public struct ChannelStatistics: Sendable, Hashable, Codable {
    public var mean: Double
    public var rms: Double
    public var minimum: Double
    public var maximum: Double
    /// Population standard deviation (divides by the window length, like RMS).
    public var standardDeviation: Double
}

/// Per-channel statistics over consecutive, non-overlapping windows of `windowLength` frames (e.g. one
/// second of samples for the live status line). Mean and variance use Welford's update (no catastrophic
/// cancellation at large offsets). A window's result depends only on its samples, in order, so chunking
/// never changes it. Storage is allocated once.
public final class RunningStatistics {
    public let windowLength: Int
    public let channelCount: Int
    private var filled = 0
    private let mean: UnsafeMutablePointer<Double>
    private let m2: UnsafeMutablePointer<Double>
    private let sumSquares: UnsafeMutablePointer<Double>
    private let minimum: UnsafeMutablePointer<Double>
    private let maximum: UnsafeMutablePointer<Double>
    private let result: UnsafeMutablePointer<ChannelStatistics>

    public init(windowLength: Int, channelCount: Int) {
        precondition(windowLength > 0 && channelCount > 0, "a window holds at least one frame of one channel")
        self.windowLength = windowLength
        self.channelCount = channelCount
        mean = .allocate(capacity: channelCount)
        m2 = .allocate(capacity: channelCount)
        sumSquares = .allocate(capacity: channelCount)
        minimum = .allocate(capacity: channelCount)
        maximum = .allocate(capacity: channelCount)
        result = .allocate(capacity: channelCount)
        result.initialize(
            repeating: ChannelStatistics(mean: 0, rms: 0, minimum: 0, maximum: 0, standardDeviation: 0),
            count: channelCount)
        startWindow()
    }

    deinit {
        for p in [mean, m2, sumSquares, minimum, maximum] { p.deallocate() }
        result.deallocate()
    }

    private func startWindow() {
        filled = 0
        mean.initialize(repeating: 0, count: channelCount)
        m2.initialize(repeating: 0, count: channelCount)
        sumSquares.initialize(repeating: 0, count: channelCount)
        minimum.initialize(repeating: .infinity, count: channelCount)
        maximum.initialize(repeating: -.infinity, count: channelCount)
    }

    /// Adds `frameCount` interleaved frames. Calls `windowDone` at each completed window with the
    /// offset (in this chunk) of the window's last frame and the per-channel results (valid during the call).
    public func process(
        _ samples: UnsafePointer<Double>, frameCount: Int,
        windowDone: (_ lastFrameOffset: Int, _ statistics: UnsafeBufferPointer<ChannelStatistics>) -> Void
    ) {
        var frame = samples
        for offset in 0..<frameCount {
            filled += 1
            let n = Double(filled)
            for ch in 0..<channelCount {
                let x = frame[ch]
                let delta = x - mean[ch]
                mean[ch] += delta / n
                m2[ch] += delta * (x - mean[ch])
                sumSquares[ch] += x * x
                if x < minimum[ch] { minimum[ch] = x }
                if x > maximum[ch] { maximum[ch] = x }
            }
            frame += channelCount
            if filled == windowLength {
                for ch in 0..<channelCount {
                    result[ch] = ChannelStatistics(
                        mean: mean[ch], rms: (sumSquares[ch] / n).squareRoot(),
                        minimum: minimum[ch], maximum: maximum[ch],
                        standardDeviation: (max(0, m2[ch]) / n).squareRoot())
                }
                windowDone(offset, UnsafeBufferPointer(start: result, count: channelCount))
                startWindow()
            }
        }
    }
}
