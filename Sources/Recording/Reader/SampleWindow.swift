/// A stretch of one device's recording chosen by device time, the way `mosquito export --from --to` and the
/// web viewer choose it: seconds after the recording's first sample, `from` inclusive, `to` exclusive.
public struct SampleWindow: Sendable, Equatable {
    /// The rows whose device time lies in the window (found by binary search on `device_time_us`).
    public var rows: Range<UInt64>
    /// Device time of the first sample on disk, in microseconds: time zero of every "seconds" value.
    public var originUs: UInt64
    /// The window in device microseconds, `from` inclusive, `to` exclusive.
    public var fromUs: UInt64
    public var toUs: UInt64
    /// Device time of the last sample on disk when the window was taken (a live recording grows).
    public var lastUs: UInt64
    /// Rows on disk when the window was taken.
    public var sampleCount: UInt64

    /// `micros` as seconds after the first sample (negative before it, should a clock have stepped back).
    public func seconds(_ micros: UInt64) -> Double { Double(Int64(bitPattern: micros &- originUs)) / 1e6 }
    public func seconds(_ micros: Double) -> Double { (micros - Double(originUs)) / 1e6 }
}

extension HDF5RecordingReader {
    /// The window [`fromSeconds`, `toSeconds`) of `device`; nil bounds mean the first sample and past the last
    /// one. Nil for a recording with no sample yet. Times are not checked here beyond never trapping: seconds
    /// too large for the device clock land past the end.
    public func window(device: Int, fromSeconds: Double?, toSeconds: Double?) throws(RecordingError) -> SampleWindow? {
        let count = try sampleCount(device: device)
        guard count > 0 else { return nil }
        let origin = try deviceTimeUs(device: device, row: 0)
        let last = try deviceTimeUs(device: device, row: count - 1)
        let from = fromSeconds.map { Self.micros(after: origin, seconds: $0) } ?? origin
        let to = toSeconds.map { Self.micros(after: origin, seconds: $0) } ?? max(last, origin) &+ 1
        let first = fromSeconds == nil ? 0 : try firstRow(device: device, atOrAfterDeviceTimeUs: from)
        let end = toSeconds == nil ? count : try firstRow(device: device, atOrAfterDeviceTimeUs: to)
        return SampleWindow(rows: first ..< max(first, end), originUs: origin, fromUs: from,
                            toUs: max(from, to), lastUs: last, sampleCount: count)
    }

    /// One row's device time.
    func deviceTimeUs(device: Int, row: UInt64) throws(RecordingError) -> UInt64 {
        try reading { () throws(HDF5Error) in
            try readColumn(device, RecordingLayout.Samples.deviceTime, start: row, count: 1, zero: UInt64(0),
                           type: .nativeUInt64())[0]
        }
    }

    /// `origin` plus `seconds` in microseconds, saturating instead of trapping (negative or NaN counts as 0).
    static func micros(after origin: UInt64, seconds: Double) -> UInt64 {
        let micros = (seconds * 1e6).rounded()
        guard micros > 0 else { return origin }
        guard micros < 18_446_744_073_709_549_568 else { return .max }
        let (sum, overflow) = origin.addingReportingOverflow(UInt64(micros))
        return overflow ? .max : sum
    }
}
