import Foundation

/// The physical quantity a simulated channel is exposed to, as a function of time (in physical units).
public enum SignalShape: Sendable, Equatable {
    case constant(Double)
    case sine(amplitude: Double, frequencyHz: Double, offset: Double)
    case square(amplitude: Double, frequencyHz: Double, offset: Double)
    case ramp(amplitude: Double, frequencyHz: Double, offset: Double)
    /// `offset` until `atSeconds`, then `offset + amplitude`.
    case step(amplitude: Double, atSeconds: Double, offset: Double)
    /// Gaussian noise of standard deviation `amplitude` around `offset` (deterministic per sample).
    case noise(amplitude: Double, offset: Double)

    public func value(at t: Double, noise: Double) -> Double {
        switch self {
        case .constant(let v): v
        case .sine(let a, let f, let o): o + a * sin(2 * .pi * f * t)
        case .square(let a, let f, let o): o + (((t * f).truncatingRemainder(dividingBy: 1)) < 0.5 ? a : -a)
        case .ramp(let a, let f, let o): o + a * (2 * (t * f).truncatingRemainder(dividingBy: 1) - 1)
        case .step(let a, let at, let o): t < at ? o : o + a
        case .noise(let a, let o): o + a * noise
        }
    }

    /// Parses `KIND[:AMPLITUDE[:FREQ_HZ|AT_S[:OFFSET]]]`, e.g. `sine:10:5:0`, `step:2:1.5`, `noise:0.1`, `constant:3`.
    public init(parsing text: String) throws(SimulatorError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var numbers: [Double] = []
        for p in parts.dropFirst() {
            guard let d = Double(p), d.isFinite else { throw .badOption("signal '\(text)': '\(p)' is not a number") }
            numbers.append(d)
        }
        func n(_ i: Int, _ fallback: Double) -> Double { i < numbers.count ? numbers[i] : fallback }
        let kind = parts[0]
        let maxArgs = ["constant": 1, "noise": 2]
        guard numbers.count <= (maxArgs[kind] ?? 3) else { throw .badOption("signal '\(text)': too many fields") }
        switch kind {
        case "constant", "dc": self = .constant(n(0, 0))
        case "sine": self = .sine(amplitude: n(0, 1), frequencyHz: n(1, 1), offset: n(2, 0))
        case "square": self = .square(amplitude: n(0, 1), frequencyHz: n(1, 1), offset: n(2, 0))
        case "ramp": self = .ramp(amplitude: n(0, 1), frequencyHz: n(1, 1), offset: n(2, 0))
        case "step": self = .step(amplitude: n(0, 1), atSeconds: n(1, 1), offset: n(2, 0))
        case "noise": self = .noise(amplitude: n(0, 1), offset: n(1, 0))
        default:
            throw .badOption("signal '\(text)': kind must be sine, square, ramp, step, noise or constant")
        }
        if case .sine(_, let f, _) = self, f < 0 { throw .badOption("signal '\(text)': negative frequency") }
    }
}

public enum SimulatorError: Error, Equatable, Sendable, CustomStringConvertible {
    case badOption(String)
    public var description: String {
        switch self {
        case .badOption(let why): why
        }
    }
}
