/// Why a filter could not be designed; `description` is the one line the CLI prints.
public enum FilterDesignError: Error, Sendable, Equatable, CustomStringConvertible {
    case orderOutOfRange(Int)
    case cutoffNotPositive(Double)
    case cutoffAtOrAboveNyquist(cutoff: Double, nyquist: Double)
    case bandEdgesNotIncreasing(low: Double, high: Double)
    case qualityNotPositive(Double)
    case sampleRateNotPositive(Double)

    public var description: String {
        switch self {
        case .orderOutOfRange(let order):
            "filter order \(order) is out of range: Butterworth order must be 1 to 8"
        case .cutoffNotPositive(let cutoff):
            "cutoff \(formatHertz(cutoff)) Hz must be above 0 Hz"
        case .cutoffAtOrAboveNyquist(let cutoff, let nyquist):
            "cutoff \(formatHertz(cutoff)) Hz must be below the Nyquist frequency \(formatHertz(nyquist)) Hz (half the sampling rate)"
        case .bandEdgesNotIncreasing(let low, let high):
            "band-pass low edge \(formatHertz(low)) Hz must be below its high edge \(formatHertz(high)) Hz"
        case .qualityNotPositive(let q):
            "notch quality factor \(q) must be positive"
        case .sampleRateNotPositive(let rate):
            "sampling rate \(formatHertz(rate)) Hz must be positive"
        }
    }
}
