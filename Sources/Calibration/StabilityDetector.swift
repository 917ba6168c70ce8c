/// Decides when a reading has settled, from the means of consecutive blocks of samples.
///
/// Stable means the last `windowBlocks` block means spread no more than noise alone explains: at most
/// `spreadFactor` standard errors of a block mean (s/√n), and never less than one ADC count, so that a quiet
/// 12-bit channel does not wait forever on quantisation. A reading still moving toward the reference (a load
/// settling, a bath warming) spreads wider and keeps it unstable.
public struct StabilityDetector: Sendable, Equatable {
    public var windowBlocks: Int
    public var spreadFactor: Double
    private var blocks: [(mean: Double, std: Double, count: Int)] = []

    public init(windowBlocks: Int = 5, spreadFactor: Double = 4) {
        self.windowBlocks = windowBlocks
        self.spreadFactor = spreadFactor
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.windowBlocks == b.windowBlocks && a.spreadFactor == b.spreadFactor && a.blocks.map(\.mean) == b.blocks.map(\.mean)
    }

    public mutating func add(blockMean: Double, blockStd: Double, count: Int) {
        blocks.append((blockMean, blockStd, count))
        if blocks.count > windowBlocks { blocks.removeFirst(blocks.count - windowBlocks) }
    }

    public mutating func reset() { blocks.removeAll() }

    /// Spread (max − min) of the recent block means, in counts; nil until the window is full.
    public var spread: Double? {
        guard blocks.count == windowBlocks else { return nil }
        let means = blocks.map(\.mean)
        return means.max()! - means.min()!
    }

    /// The spread the window may show and still count as stable, in counts.
    public var allowedSpread: Double? {
        guard blocks.count == windowBlocks else { return nil }
        let sem = blocks.map { $0.count > 0 ? $0.std / Double($0.count).squareRoot() : 0 }.max()!
        return max(1, spreadFactor * sem)
    }

    public var isStable: Bool {
        guard let spread, let allowedSpread else { return false }
        return spread <= allowedSpread
    }
}
