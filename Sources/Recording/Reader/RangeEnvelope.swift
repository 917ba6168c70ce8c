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
        public var hostTimeNs: Int64
        public var kind: String
        public var detail: String
        public var merged: Int

        /// The API's names (openapi.json), older than the one spelling of units.
        enum CodingKeys: String, CodingKey {
            case seconds, sampleIndex, kind, detail, merged
            case hostTimeNs = "hostTimeNanos"
        }
    }

    public struct UTCAnchor: Sendable, Codable, Equatable {
        public var seconds: Double
        public var utcNs: Int64

        /// The API's names (openapi.json, recording.html).
        enum CodingKeys: String, CodingKey {
            case seconds
            case utcNs = "utcNanos"
        }
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
        try forEachColumnBlock(device: device, rows: readFrom ..< readTo, channels: channels, maxRows: maxRowsPerRead) {
            builder.add(firstRow: $0, index: $1, micros: $2, values: $3)
        }
        var anchors: [RangeEnvelope.UTCAnchor] = []
        if !window.rows.isEmpty {
            for row in Set([window.rows.lowerBound, window.rows.upperBound - 1]).sorted() {
                let block = try readSamples(device: device, rows: row ..< row + 1)
                if let host = block.hostTimeNs.first, host != 0, let micros = block.deviceTimeUs.first {
                    anchors.append(.init(seconds: window.seconds(micros), utcNs: host))
                }
            }
        }
        return builder.finish(utc: anchors)
    }
}

extension HDF5RecordingReader {
    /// Reads `rows` of the `index`, `device_time_us` and `values` columns, `maxRows` rows at a time into buffers
    /// kept from one block to the next, each column opened once: `body` gets each block's first row and columns.
    func forEachColumnBlock(
        device: Int, rows: Range<UInt64>, channels: Int, maxRows: Int,
        _ body: (UInt64, UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<Double>) -> Void
    ) throws(RecordingError) {
        typealias S = RecordingLayout.Samples
        let block = Swift.max(1, maxRows)
        var index = [UInt64](repeating: 0, count: block), time = index, values = [Double](repeating: 0, count: block * channels)
        try reading { () throws(HDF5Error) in
            let indexColumn = try open(device, S.index), timeColumn = try open(device, S.deviceTime)
            let valueColumn = try open(device, S.values)
            let u64 = try HDF5Datatype.nativeUInt64(), f64 = try HDF5Datatype.nativeDouble()
            var start = rows.lowerBound
            while start < rows.upperBound {
                let count = Int(Swift.min(rows.upperBound - start, UInt64(block)))
                let outcome: Result<Void, HDF5Error> = index.withUnsafeMutableBytes { i in
                    time.withUnsafeMutableBytes { t in
                        values.withUnsafeMutableBytes { v in
                            do throws(HDF5Error) {
                                try indexColumn.readRows(into: i.baseAddress!, start: start, rows: UInt64(count), rowWidth: nil, memoryType: u64)
                                try timeColumn.readRows(into: t.baseAddress!, start: start, rows: UInt64(count), rowWidth: nil, memoryType: u64)
                                try valueColumn.readRows(into: v.baseAddress!, start: start, rows: UInt64(count),
                                                         rowWidth: UInt64(channels), memoryType: f64)
                                return .success(())
                            } catch { return .failure(error) }
                        }
                    }
                }
                try outcome.get()
                index.withUnsafeBufferPointer { i in
                    time.withUnsafeBufferPointer { t in
                        values.withUnsafeBufferPointer { v in
                            body(start, UnsafeBufferPointer(rebasing: i[0..<count]), UnsafeBufferPointer(rebasing: t[0..<count]),
                                 UnsafeBufferPointer(rebasing: v[0..<(count * channels)]))
                        }
                    }
                }
                start += UInt64(count)
            }
        }
    }
}
