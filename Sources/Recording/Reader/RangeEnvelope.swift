/// What a plot of one device's recording over a time window needs, whatever the file's length: each channel's
/// minimum and maximum in at most `points` equal slices of the window, and the gaps and events in it placed
/// on the same time axis. Times are seconds of device time after the recording's first sample.
public struct RangeEnvelope: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable {
        /// The window holds at most `points` samples: one point per sample, `min` = `max` = its value.
        case samples
        /// One point per non-empty bucket: bucket k is [from + k·w, from + (k+1)·w), w = `bucketSeconds`.
        case buckets
    }

    public var mode: Mode
    public var fromSeconds: Double
    public var toSeconds: Double
    /// The bucket width (0 in `samples` mode).
    public var bucketSeconds: Double
    /// Samples in the window.
    public var rows: UInt64
    /// Samples on disk when read (a recording still being written grows between reads).
    public var sampleCount: UInt64
    /// From the first to the last sample on disk.
    public var durationSeconds: Double
    /// Start of each non-empty bucket, or each sample's time; empty buckets (gaps) are left out.
    public var time: [Double]
    /// Per channel, one entry per point; nil where every value in the bucket was NaN or infinite.
    public var min: [[Double?]]
    public var max: [[Double?]]
    public var gaps: [GapMark]
    public var events: [EventMark]
    /// Host UTC of the window's first and last sample (from `host_time_ns`), when the recorder had a clock
    /// mapping: enough to put any time of the window on the UTC axis by interpolation.
    public var utc: [UTCAnchor]

    /// A run of missing samples on the time axis. In `buckets` mode the gaps starting in one bucket are merged
    /// into one mark (`merged` of them, their `count`s summed, their causes joined with "+").
    public struct GapMark: Sendable, Codable, Equatable {
        public var fromSeconds: Double
        public var toSeconds: Double
        public var firstMissingIndex: UInt64
        public var count: UInt64
        public var cause: String
        public var merged: Int
    }

    /// An event (marker, trigger, reconnect, status, …) placed at the device time of its sample index. In
    /// `buckets` mode the events of one bucket are merged into one mark, which keeps the first one's kind and
    /// detail and says how many it stands for.
    public struct EventMark: Sendable, Codable, Equatable {
        public var seconds: Double
        public var sampleIndex: UInt64
        public var hostTimeNanos: Int64
        public var kind: String
        public var detail: String
        public var merged: Int
    }

    public struct UTCAnchor: Sendable, Codable, Equatable {
        public var seconds: Double
        public var utcNanos: Int64
    }
}

extension HDF5RecordingReader {
    /// The envelope of `device` over [`fromSeconds`, `toSeconds`) (nil: from the first sample, past the last),
    /// reading only the window's rows (and one on each side, to place gaps at its edges), `maxRowsPerRead` at a
    /// time, and only the `index`, `device_time_us` and `values` columns: memory is bounded by `points` and
    /// `maxRowsPerRead`, whatever the window's length. NaN and infinite values are left out of min and max. Without
    /// `fromSeconds` / `toSeconds` the gaps and events before the first sample / after the last one are included
    /// (a run whose last frames were lost ends in a gap).
    public func envelope(device: Int, fromSeconds: Double?, toSeconds: Double?, points: Int,
                         maxRowsPerRead: Int = 16_384) throws(RecordingError) -> RangeEnvelope {
        guard (1...100_000).contains(points) else { throw .invalidInput("points must be 1…100000, not \(points)") }
        let channels = try entry(device).device.configuration.channels.count
        guard let window = try window(device: device, fromSeconds: fromSeconds, toSeconds: toSeconds) else {
            return RangeEnvelope(
                mode: .samples, fromSeconds: fromSeconds ?? 0, toSeconds: toSeconds ?? 0, bucketSeconds: 0, rows: 0,
                sampleCount: 0, durationSeconds: 0, time: [], min: Array(repeating: [], count: channels),
                max: Array(repeating: [], count: channels), gaps: [], events: [], utc: [])
        }
        let rate = devices[device].device.configuration.rateHz
        var builder = EnvelopeBuilder(
            window: window, channels: channels, points: points, nominalMicrosPerIndex: rate > 0 ? 1e6 / rate : 1000,
            gaps: try gaps(device: device), events: try events(device: device))
        // One row before and after the window: a gap or event at its edge is placed between its two neighbours.
        let readFrom = window.rows.lowerBound == 0 ? 0 : window.rows.lowerBound - 1
        let readTo = Swift.min(window.sampleCount, window.rows.upperBound + 1)
        builder.startsAtFirstRow = readFrom == 0
        builder.endsAtLastRow = readTo == window.sampleCount
        builder.openStart = fromSeconds == nil
        builder.openEnd = toSeconds == nil
        var start = readFrom
        while start < readTo {
            let end = Swift.min(readTo, start + UInt64(Swift.max(1, maxRowsPerRead)))
            let count = Int(end - start)
            typealias S = RecordingLayout.Samples
            let columns = try reading { () throws(HDF5Error) in
                (index: try readColumn(device, S.index, start: start, count: count, zero: UInt64(0), type: .nativeUInt64()),
                 time: try readColumn(device, S.deviceTime, start: start, count: count, zero: UInt64(0), type: .nativeUInt64()),
                 values: try readColumn(device, S.values, start: start, count: count, width: UInt64(channels), zero: 0.0,
                                        type: .nativeDouble()))
            }
            builder.add(firstRow: start, index: columns.index, micros: columns.time, values: columns.values)
            start = end
        }
        var anchors: [RangeEnvelope.UTCAnchor] = []
        if !window.rows.isEmpty {
            for row in Set([window.rows.lowerBound, window.rows.upperBound - 1]).sorted() {
                let block = try readSamples(device: device, rows: row ..< row + 1)
                if let host = block.hostTimeNanos.first, host != 0, let micros = block.deviceTimeMicros.first {
                    anchors.append(.init(seconds: window.seconds(micros), utcNanos: host))
                }
            }
        }
        return builder.finish(utc: anchors)
    }
}
