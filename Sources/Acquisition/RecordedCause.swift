import Recording
import Signal

/// The signal layer counts loss by cause; a recording and everything that reads one (the gaps table, the live
/// view's status) names the cause in snake case. One mapping between the two.
extension GapCause {
    init(_ cause: Signal.Gap.Cause) {
        self = switch cause {
        case .transportGap: .transportGap
        case .crcError: .crcError
        case .deviceOverrun: .deviceOverrun
        case .hostOverrun: .hostOverrun
        }
    }
}

extension LossTotals {
    /// Every cause, zeros included, by the name a recording's gaps table gives it.
    var byRecordedCause: [String: UInt64] {
        var named: [String: UInt64] = [:]
        for cause in Signal.Gap.Cause.allCases { named[GapCause(cause).rawValue] = self[cause] }
        return named
    }
}
