/// Gaps and events as marks on an envelope's time axis: only those in its window, and in `buckets` mode one mark
/// per bucket, so a file with a gap every few samples gives no more marks than points.
extension EnvelopeBuilder {
    /// The gaps that overlap [from, to), in time order; in `buckets` mode one mark per bucket (those before or
    /// after the window's buckets join its first or last).
    func gapMarks(_ from: Double, _ to: Double, _ origin: Double, _ width: Double) -> [RangeEnvelope.GapMark] {
        var marks: [RangeEnvelope.GapMark] = []
        var lastBucket = -1
        for placed in placedGaps.sorted(by: { $0.from < $1.from }) {
            let start = window.seconds(placed.from), end = window.seconds(placed.to)
            guard start < to, end > from else { continue }
            let k = markBucket(start, origin, width)
            if k >= 0, k == lastBucket, var merged = marks.popLast() {
                merged.toSeconds = Swift.max(merged.toSeconds, end)
                let (sum, overflow) = merged.count.addingReportingOverflow(placed.gap.count)
                merged.count = overflow ? .max : sum
                if !merged.cause.split(separator: "+").contains(Substring(placed.gap.cause.rawValue)) {
                    merged.cause += "+" + placed.gap.cause.rawValue
                }
                merged.merged += 1
                marks.append(merged)
            } else {
                marks.append(.init(fromSeconds: start, toSeconds: end, firstMissingIndex: placed.gap.firstMissingIndex,
                                   count: placed.gap.count, cause: placed.gap.cause.rawValue, merged: 1))
            }
            lastBucket = k
        }
        return marks
    }

    func eventMarks(_ from: Double, _ to: Double, _ origin: Double, _ width: Double) -> [RangeEnvelope.EventMark] {
        var marks: [RangeEnvelope.EventMark] = []
        var lastBucket = -1
        for placed in placedEvents.sorted(by: { $0.micros < $1.micros }) {
            let at = window.seconds(placed.micros)
            guard at >= from, at < to else { continue }
            let k = markBucket(at, origin, width)
            if k >= 0, k == lastBucket, var merged = marks.popLast() {
                merged.merged += 1
                marks.append(merged)
            } else {
                let e = placed.event
                marks.append(.init(seconds: at, sampleIndex: e.sampleIndex, hostTimeNs: e.hostTimeNs, kind: e.kind,
                                   detail: e.detail, merged: 1))
            }
            lastBucket = k
        }
        return marks
    }

    /// The bucket a mark starting at `seconds` falls in; -1 (never merged) in `samples` mode.
    private func markBucket(_ seconds: Double, _ from: Double, _ width: Double) -> Int {
        guard mode == .buckets, width > 0 else { return -1 }
        return Swift.min(buckets - 1, Swift.max(0, Int(((seconds - from) / width).rounded(.down))))
    }
}
