import MosquitoModel

/// What a ``PointCapture`` has made of one channel's samples so far: live block statistics and their settling,
/// and, when armed, the point being filled with its loss. A value with no I/O, fed one sample at a time in
/// index order, so the rules of a point are testable without a stream.
struct ChannelReading: Sendable {
    let blockSize: Int
    private var block = RunningStats()
    private(set) var lastBlock: RunningStats?
    private(set) var detector: StabilityDetector
    /// Readings the armed point wants; 0 when none is armed.
    private(set) var armedFor = 0
    private(set) var point = RunningStats()
    /// Indices missing between the last sample read before arming and the point's latest sample.
    private(set) var lost: UInt64 = 0
    /// The index the next sample read should carry; nil before the first.
    private var expected: UInt64?

    init(blockSize: Int, detector: StabilityDetector) {
        self.blockSize = max(1, blockSize)
        self.detector = detector
    }

    var isPointFull: Bool { point.count >= armedFor }

    /// Starts a point: what was read so far only feeds the live blocks; the point starts after it.
    mutating func arm(samples: Int) {
        point = RunningStats()
        lost = 0
        armedFor = max(1, samples)
    }

    /// Hands the armed point over and disarms.
    mutating func takePoint() -> (stats: RunningStats, lost: UInt64) {
        defer { armedFor = 0 }
        return (point, lost)
    }

    /// Forgets the settling history (the reference just changed).
    mutating func resetStability() {
        detector.reset()
        lastBlock = nil
        block = RunningStats()
    }

    mutating func take(index: UInt64, raw: Int32) {
        let filling = point.count < armedFor
        if filling, let expected, index > expected {
            // The point's window runs from the last sample read before arming: every index missing in it is lost.
            lost = lost.addingSaturating(index - expected)
        }
        // The stream's last index is the only one with no successor; nothing follows it to be missed.
        expected = index == .max ? nil : index + 1
        let x = Double(raw)
        if filling { point.add(x) }
        block.add(x)
        if block.count == blockSize {
            detector.add(blockMean: block.mean, blockStd: block.standardDeviation, count: block.count)
            lastBlock = block
            block = RunningStats()
        }
    }
}
