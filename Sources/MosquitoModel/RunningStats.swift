/// Mean and standard deviation in one pass (Welford), stable for large raw counts where Σx² would cancel.
public struct RunningStats: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var mean = 0.0
    private var m2 = 0.0

    public init() {}

    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Sample standard deviation (n − 1): the spread of the population the samples came from. Zero for fewer
    /// than two samples.
    public var standardDeviation: Double { count > 1 ? (m2 / Double(count - 1)).squareRoot() : 0 }

    /// Population standard deviation (n): the spread of exactly these values. Zero for none.
    public var populationStandardDeviation: Double { count > 0 ? (m2 / Double(count)).squareRoot() : 0 }
}
