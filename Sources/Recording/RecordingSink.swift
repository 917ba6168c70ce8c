import Foundation
import MosquitoModel

/// Where a recording goes. The CLI picks the concrete sink by file extension (`openRecordingSink`).
///
/// Call `flushIfDue(now:)` at least once a second (appends also call it), and `close(stopTime:)` at the end.
/// After a write error the sink refuses further writes with `.closed` and `close` does nothing more;
/// what was flushed stays readable.
public protocol RecordingSink: AnyObject {
    var path: String { get }
    func append(_ block: SampleBlock, device: Int) throws(RecordingError)
    func record(_ gap: Gap, device: Int) throws(RecordingError)
    func record(_ event: RecordingEvent, device: Int) throws(RecordingError)
    func record(_ exchange: ClockExchange, device: Int) throws(RecordingError)
    /// Makes everything appended so far durable if the flush interval has passed since the last flush.
    func flushIfDue(now: ContinuousClock.Instant) throws(RecordingError)
    func close(stopTime: Date) throws(RecordingError)
    /// Sample rows of `device` that are in the file for good: those of the last successful flush. After a failed
    /// write that is what the file went back to, not what was appended; after a clean close, every row.
    func durableSampleCount(device: Int) -> UInt64
}

public struct RecordingOptions: Sendable {
    /// Deflate with shuffle on every HDF5 dataset. Readable by h5py with no plugin.
    public var compress: Bool
    /// Deflate level 1…9 when `compress`. Level 1 keeps most of the size gain on shuffled samples at a
    /// fraction of level 4's CPU (see Benchmarks/RecordingBenchmarks).
    public var deflateLevel: UInt32
    /// Replace an existing file instead of refusing.
    public var overwrite: Bool
    /// CSV only: write raw ADC counts instead of calibrated values.
    public var csvRawCounts: Bool
    public var flushInterval: Duration

    public init(compress: Bool = false, deflateLevel: UInt32 = 1, overwrite: Bool = false, csvRawCounts: Bool = false,
                flushInterval: Duration = .seconds(1)) {
        self.compress = compress
        self.deflateLevel = min(9, max(1, deflateLevel))
        self.overwrite = overwrite
        self.csvRawCounts = csvRawCounts
        self.flushInterval = flushInterval
    }
}

public enum RecordingFormat: String, Sendable {
    case hdf5, csv

    /// `.h5` / `.hdf5` → HDF5, `.csv` → CSV, anything else → nil.
    public init?(path: String) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "h5", "hdf5": self = .hdf5
        case "csv": self = .csv
        default: return nil
        }
    }
}

/// Creates the sink the output path's extension asks for.
public func openRecordingSink(path: String, header: RecordingHeader,
                              options: RecordingOptions = RecordingOptions()) throws(RecordingError) -> any RecordingSink {
    switch RecordingFormat(path: path) {
    case .hdf5: try HDF5RecordingWriter(path: path, header: header, options: options)
    case .csv: try CSVRecordingWriter(path: path, header: header, options: options)
    case nil: throw .invalidInput("unknown output format for \(path): use .h5, .hdf5 or .csv")
    }
}
