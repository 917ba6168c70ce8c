import MosquitoModel

/// Estimates the device→host ``ClockMapping`` from PING exchanges during acquisition, LSL-style:
/// exchanges come in rounds (bursts) of `roundSize`; from each round only the one with the lowest round
/// trip is trusted (the least queueing delay, so its midpoint is closest to the true instant), and a
/// least-squares line through those best exchanges gives offset and drift. Only the most recent
/// `windowCapacity` exchanges count, so the mapping follows slow changes of drift (temperature).
///
/// Uncertainty (one sigma) combines the scatter of the best exchanges around the line with the
/// round-trip bound: the device read its clock uniformly somewhere inside [send, receive], whose
/// standard deviation is half the round trip over √3.
public struct ClockMapper: Sendable {
    public let roundSize: Int
    public let windowCapacity: Int
    private var exchanges: [ClockExchange] = []
    private var oldest = 0
    public private(set) var mapping: ClockMapping?

    public init(roundSize: Int = 8, windowCapacity: Int = 512) {
        precondition(roundSize > 0 && windowCapacity >= roundSize, "a window holds at least one round")
        self.roundSize = roundSize
        self.windowCapacity = windowCapacity
        exchanges.reserveCapacity(windowCapacity)
    }

    /// Exchanges currently in the window, oldest first.
    public var window: [ClockExchange] {
        Array(exchanges[oldest...] + exchanges[..<oldest])
    }

    public mutating func add(_ exchange: ClockExchange) {
        if exchanges.count < windowCapacity {
            exchanges.append(exchange)
        } else {
            exchanges[oldest] = exchange
            oldest = (oldest + 1) % windowCapacity
        }
        if exchanges.count % roundSize == 0 || exchanges.count == windowCapacity {
            mapping = Self.fit(best: bestOfEachRound())
        } else if mapping == nil {
            mapping = Self.fit(best: [minimumRoundTrip(window)])
        }
    }

    private func bestOfEachRound() -> [ClockExchange] {
        let ordered = window
        var best: [ClockExchange] = []
        var start = 0
        while start + roundSize <= ordered.count {
            best.append(minimumRoundTrip(ordered[start..<(start + roundSize)]))
            start += roundSize
        }
        if best.isEmpty { best.append(minimumRoundTrip(ordered[...])) }
        return best
    }

    private func minimumRoundTrip<C: Collection<ClockExchange>>(_ round: C) -> ClockExchange {
        round.min { $0.roundTripNs < $1.roundTripNs }!
    }

    static func fit(best: [ClockExchange]) -> ClockMapping {
        let reference = best[0]
        let xs = best.map { Double(Int64(bitPattern: $0.deviceTimeUs &- reference.deviceTimeUs)) }
        let ys = best.map { $0.hostMidpointNs - reference.hostMidpointNs }
        let n = Double(best.count)
        let halfTrips = best.map { Double($0.roundTripNs) / 2 }
        let roundTripVariance = halfTrips.map { $0 * $0 / 3 }.reduce(0, +) / n
        let meanX = xs.reduce(0, +) / n
        let meanY = ys.reduce(0, +) / n
        var sxx = 0.0
        var sxy = 0.0
        for (x, y) in zip(xs, ys) {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
        }
        // Two points an instant apart say nothing about drift: assume the nominal rate until the
        // exchanges span at least a millisecond of device time.
        let slope = sxx > 1e6 ? sxy / sxx : 1000
        let intercept = meanY - slope * meanX
        var residualVariance = 0.0
        if best.count > 2 && sxx > 1e6 {
            var sum = 0.0
            for (x, y) in zip(xs, ys) {
                let r = y - (intercept + slope * x)
                sum += r * r
            }
            residualVariance = sum / (n - 2)
        }
        return ClockMapping(
            deviceReferenceUs: reference.deviceTimeUs,
            hostReferenceNs: reference.hostMidpointNs + intercept,
            hostNsPerDeviceUs: slope,
            clockOffsetUncertaintyNs: (residualVariance + roundTripVariance).squareRoot(),
            exchangesUsed: best.count)
    }
}
