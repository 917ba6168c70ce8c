import MosquitoModel

/// Builds a ``RangeEnvelope`` from a window's rows, given in file order block by block: min and max per
/// bucket, and each gap and event placed between the two rows around its sample index.
struct EnvelopeBuilder {
    let window: SampleWindow
    let channels: Int
    let mode: RangeEnvelope.Mode
    /// Buckets (in `samples` mode: one per row of the window).
    let buckets: Int
    /// Device microseconds per sample index, for placing what lies past the first or last row.
    let nominalMicrosPerIndex: Double
    /// The rows given start at the recording's first row / end at its last: gaps and events beyond them are
    /// placed by extrapolation rather than left out.
    var startsAtFirstRow = false
    var endsAtLastRow = false
    /// The window was asked for without a start / an end: marks before the first sample / after the last one
    /// (a gap that ended the run) belong to it too.
    var openStart = false
    var openEnd = false

    private var low: [Double]
    private var high: [Double]
    private var filled: [Bool]
    private var sampleUs: [UInt64]

    private let gaps: [Gap]
    private let events: [RecordingEvent]
    private var nextGap = 0
    private var nextEvent = 0
    private var previous: (index: UInt64, micros: UInt64)?
    private var first: (index: UInt64, micros: UInt64)?
    /// Placed in device microseconds; `before` ones are resolved once the rate is known.
    private(set) var placedGaps: [(from: Double, to: Double, gap: Gap)] = []
    private(set) var placedEvents: [(micros: Double, event: RecordingEvent)] = []
    private var gapsBeforeFirstRow: [Gap] = []
    private var eventsBeforeFirstRow: [RecordingEvent] = []

    init(window: SampleWindow, channels: Int, points: Int, nominalMicrosPerIndex: Double, gaps: [Gap],
         events: [RecordingEvent]) {
        self.window = window
        self.channels = channels
        let rows = window.rows.count
        mode = rows <= points ? .samples : .buckets
        buckets = mode == .samples ? rows : points
        self.nominalMicrosPerIndex = nominalMicrosPerIndex
        low = Array(repeating: .infinity, count: buckets * channels)
        high = Array(repeating: -.infinity, count: buckets * channels)
        filled = Array(repeating: false, count: buckets)
        sampleUs = Array(repeating: 0, count: mode == .samples ? buckets : 0)
        self.gaps = gaps.sorted { $0.firstMissingIndex < $1.firstMissingIndex }
        self.events = events.sorted { $0.sampleIndex < $1.sampleIndex }
    }

    private var span: UInt64 { window.toUs - window.fromUs }

    /// Rows `firstRow…` of the file: their sample indices, device times and values (row-major).
    mutating func add(firstRow: UInt64, index: UnsafeBufferPointer<UInt64>, micros: UnsafeBufferPointer<UInt64>,
                      values: UnsafeBufferPointer<Double>) {
        let count = index.count
        // The rows of this block inside the window; those around it only place marks.
        let lower = window.rows.lowerBound > firstRow ? Int(Swift.min(UInt64(count), window.rows.lowerBound - firstRow)) : 0
        let upper = window.rows.upperBound > firstRow ? Int(Swift.min(UInt64(count), window.rows.upperBound - firstRow)) : 0
        let channels = channels, from = window.fromUs, to = window.toUs, samples = mode == .samples
        let firstWindowRow = window.rows.lowerBound, buckets = UInt64(buckets), span = span
        low.withUnsafeMutableBufferPointer { low in
            high.withUnsafeMutableBufferPointer { high in
                filled.withUnsafeMutableBufferPointer { filled in
                    sampleUs.withUnsafeMutableBufferPointer { sampleUs in
                        for r in lower..<Swift.max(lower, upper) {
                            let time = micros[r]
                            guard time >= from, time < to else { continue }
                            let k = samples
                                ? Int(firstRow + UInt64(r) - firstWindowRow)
                                : Self.bucket(micros: time, from: from, span: span, buckets: buckets)
                            filled[k] = true
                            if samples { sampleUs[k] = time }
                            let base = k * channels, row = r * channels
                            for c in 0..<channels {
                                let v = values[row + c]
                                guard v.isFinite else { continue }
                                if v < low[base + c] { low[base + c] = v }
                                if v > high[base + c] { high[base + c] = v }
                            }
                        }
                    }
                }
            }
        }
        for r in 0..<count {
            let i = index[r]
            // Most rows are no mark's neighbour: only the row before one that reaches the next mark matters.
            if (nextGap < gaps.count && gaps[nextGap].firstMissingIndex <= i) || (nextEvent < events.count && events[nextEvent].sampleIndex <= i) {
                if r > 0 { previous = (index[r - 1], micros[r - 1]) }
                place(index: i, micros: micros[r])
            }
            if first == nil { first = (i, micros[r]) }
        }
        if count > 0 { previous = (index[count - 1], micros[count - 1]) }
    }

    /// Bucket k holds device times [from + k·span/N, from + (k+1)·span/N): k = ⌊(t − from)·N / span⌋, in exact
    /// integer arithmetic (a full-width product, so no overflow whatever the clock reads). `t` is in [from, from + span).
    private static func bucket(micros: UInt64, from: UInt64, span: UInt64, buckets: UInt64) -> Int {
        Int(span.dividingFullWidth((micros - from).multipliedFullWidth(by: buckets)).quotient)
    }

    /// Places the gaps and events whose sample index is at or before this row, between it and the row before.
    private mutating func place(index: UInt64, micros: UInt64) {
        while nextGap < gaps.count, gaps[nextGap].firstMissingIndex <= index {
            let gap = gaps[nextGap]
            nextGap += 1
            if let previous {
                let perIndex = Self.microsPerIndex(previous, (index, micros))
                let from = Double(previous.micros) + Double(gap.firstMissingIndex - previous.index) * perIndex
                placedGaps.append((from, from + Double(gap.count) * perIndex, gap))
            } else if startsAtFirstRow {
                gapsBeforeFirstRow.append(gap)
            }
        }
        while nextEvent < events.count, events[nextEvent].sampleIndex <= index {
            let event = events[nextEvent]
            nextEvent += 1
            if event.sampleIndex == index {
                placedEvents.append((Double(micros), event))
            } else if let previous {
                let perIndex = Self.microsPerIndex(previous, (index, micros))
                placedEvents.append((Double(previous.micros) + Double(event.sampleIndex - previous.index) * perIndex, event))
            } else if startsAtFirstRow {
                eventsBeforeFirstRow.append(event)
            }
        }
        previous = (index, micros)
    }

    private static func microsPerIndex(_ a: (index: UInt64, micros: UInt64), _ b: (index: UInt64, micros: UInt64)) -> Double {
        (Double(b.micros) - Double(a.micros)) / Double(b.index - a.index)
    }

    mutating func finish(utc: [RangeEnvelope.UTCAnchor]) -> RangeEnvelope {
        // What lies before the first row or after the last is placed at the rows' own pace.
        var perIndex = nominalMicrosPerIndex
        if let first, let last = previous, last.index > first.index { perIndex = Self.microsPerIndex(first, last) }
        if let first {
            for gap in gapsBeforeFirstRow {
                let from = Double(first.micros) - Double(first.index &- gap.firstMissingIndex) * perIndex
                placedGaps.append((from, from + Double(gap.count) * perIndex, gap))
            }
            for event in eventsBeforeFirstRow {
                placedEvents.append((Double(first.micros) - Double(first.index &- event.sampleIndex) * perIndex, event))
            }
        }
        if endsAtLastRow, let last = previous {
            for gap in gaps[nextGap...] {
                let from = Double(last.micros) + Double(gap.firstMissingIndex &- last.index) * perIndex
                placedGaps.append((from, from + Double(gap.count) * perIndex, gap))
            }
            for event in events[nextEvent...] {
                placedEvents.append((Double(last.micros) + Double(event.sampleIndex &- last.index) * perIndex, event))
            }
        }
        let fromSeconds = window.seconds(window.fromUs), toSeconds = window.seconds(window.toUs)
        let bucketSeconds = mode == .buckets ? Double(span) / Double(buckets) / 1e6 : 0
        let marksFrom = openStart ? -Double.infinity : fromSeconds, marksTo = openEnd ? Double.infinity : toSeconds
        var time: [Double] = []
        var lows = Array(repeating: [Double?](), count: channels), highs = lows
        for k in 0..<buckets where filled[k] {
            time.append(mode == .buckets ? fromSeconds + Double(k) * bucketSeconds : window.seconds(sampleUs[k]))
            for c in 0..<channels {
                let (l, h) = (low[k * channels + c], high[k * channels + c])
                lows[c].append(l.isFinite ? l : nil)
                highs[c].append(h.isFinite ? h : nil)
            }
        }
        return RangeEnvelope(
            mode: mode, fromSeconds: fromSeconds, toSeconds: toSeconds, bucketSeconds: bucketSeconds,
            rows: UInt64(window.rows.count), sampleCount: window.sampleCount,
            durationSeconds: window.seconds(Swift.max(window.lastUs, window.originUs)),
            time: time, min: lows, max: highs, gaps: gapMarks(marksFrom, marksTo, fromSeconds, bucketSeconds),
            events: eventMarks(marksFrom, marksTo, fromSeconds, bucketSeconds), utc: utc)
    }
}
