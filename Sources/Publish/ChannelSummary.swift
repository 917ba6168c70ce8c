import Foundation

/// Per-channel min, mean, max, RMS and count of calibrated values over one summary period (a second): what
/// Telegraf and Grafana chart. Reset after each message.
struct SummaryAccumulator {
    private(set) var n: [UInt64]
    private var minimum: [Double], maximum: [Double], sum: [Double], sumOfSquares: [Double]

    init(channels: Int) {
        n = Array(repeating: 0, count: channels)
        minimum = Array(repeating: .infinity, count: channels)
        maximum = Array(repeating: -.infinity, count: channels)
        sum = Array(repeating: 0, count: channels)
        sumOfSquares = Array(repeating: 0, count: channels)
    }

    mutating func add(channel c: Int, _ v: Double) {
        n[c] += 1
        minimum[c] = Swift.min(minimum[c], v)
        maximum[c] = Swift.max(maximum[c], v)
        sum[c] += v
        sumOfSquares[c] += v * v
    }

    var isEmpty: Bool { n.allSatisfy { $0 == 0 } }

    struct Channel: Encodable {
        var unit: String
        var min: Double, mean: Double, max: Double, rms: Double, n: UInt64
    }

    func channels(names: [String], units: [String]) -> [String: Channel] {
        var out: [String: Channel] = [:]
        for c in n.indices where n[c] > 0 {
            let count = Double(n[c])
            out[names[c]] = Channel(
                unit: units[c], min: minimum[c], mean: sum[c] / count, max: maximum[c],
                rms: (sumOfSquares[c] / count).squareRoot(), n: n[c])
        }
        return out
    }
}
