/// Which pushed samples may go without a timestamp. An inlet turns a deduced stamp into
/// `previous + 1.0 / nominal_srate`; a stamp is left out only where that reproduces the pushed one within
/// `tolerance`, inside one push, between samples whose source indices are consecutive. The first sample of a
/// push and every sample after a gap are always transmitted.
///
/// `wire` is what an inlet ends up with for each sample: the pushed stamp where transmitted, the deduced one
/// otherwise. A sample that was deducible but must be transmitted anyway (its predecessor was dropped for one
/// inlet) is sent with its `wire` stamp, so every inlet reconstructs the same stamps.
struct LSLStampPlan: Equatable {
    var wire: [Double]
    var deducible: [Bool]

    /// `interval` is 1/rate as the inlet computes it (0 for an irregular stream, where a deduced stamp repeats the
    /// previous one); `indices`, when given, are the samples' source indices.
    init(timestamps: [Double], indices: [UInt64]?, interval: Double, tolerance: Double) {
        wire = timestamps
        deducible = [Bool](repeating: false, count: timestamps.count)
        guard timestamps.count > 1 else { return }
        for k in 1..<timestamps.count {
            if let indices {
                let (next, overflow) = indices[k - 1].addingReportingOverflow(1)
                guard !overflow, indices[k] == next else { continue }
            }
            var deduced = wire[k - 1]
            deduced += interval
            if abs(deduced - timestamps[k]) <= tolerance {
                wire[k] = deduced
                deducible[k] = true
            }
        }
    }
}
