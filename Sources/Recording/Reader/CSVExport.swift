#if canImport(Glibc)
import Glibc
#endif

/// What part of a recording to export as CSV.
public struct CSVExportSelection: Sendable, Equatable {
    public var device: Int
    /// Channel names to include, in this order; nil for all.
    public var channels: [String]?
    /// Seconds after the first sample (device time), inclusive; nil from the start.
    public var fromSeconds: Double?
    /// Seconds after the first sample (device time), exclusive; nil to the end.
    public var toSeconds: Double?
    public var rawCounts: Bool

    public init(device: Int = 0, channels: [String]? = nil, fromSeconds: Double? = nil, toSeconds: Double? = nil,
                rawCounts: Bool = false) {
        self.device = device
        self.channels = channels
        self.fromSeconds = fromSeconds
        self.toSeconds = toSeconds
        self.rawCounts = rawCounts
    }
}

/// Streams part of a recording out as CSV in blocks of `maxRowsPerRead` rows, so memory stays bounded
/// whatever the file size. `write` receives consecutive pieces of the CSV text (header first).
public func exportCSV(from reader: HDF5RecordingReader, selection: CSVExportSelection = .init(),
                      maxRowsPerRead: Int = 16_384,
                      write: (String) throws(RecordingError) -> Void) throws(RecordingError) {
    let pieces = try CSVExportPieces(reader: reader, selection: selection, maxRowsPerRead: maxRowsPerRead)
    while let text = try pieces.next() { try write(text) }
}

/// The same CSV text as `exportCSV`, one piece per call, for a caller that must wait between pieces (an HTTP
/// response written as fast as its client reads). Everything that can be refused is refused by `init`.
public final class CSVExportPieces {
    private let reader: HDF5RecordingReader
    private let selection: CSVExportSelection
    private let columns: [Int]
    private let header: String
    private let rows: Range<UInt64>
    private let maxRowsPerRead: Int
    /// The next row to give; nil until the header was given.
    private var position: UInt64?

    public init(reader: HDF5RecordingReader, selection: CSVExportSelection = .init(),
                maxRowsPerRead: Int = 16_384) throws(RecordingError) {
        guard reader.devices.indices.contains(selection.device) else {
            throw .invalidInput("device \(selection.device) is not in \(reader.path) (\(reader.devices.count) devices)")
        }
        let channels = reader.devices[selection.device].device.configuration.channels.map(\.name)
        columns = try (selection.channels ?? channels).map { (name) throws(RecordingError) in
            guard let position = channels.firstIndex(of: name) else {
                throw .invalidInput("no channel \(name) in \(reader.path) (channels: \(channels.joined(separator: ", ")))")
            }
            return position
        }
        header = CSVFormat.header(channelNames: columns.map { channels[$0] })
        rows = try exportRows(reader, selection)
        self.reader = reader
        self.selection = selection
        self.maxRowsPerRead = max(1, maxRowsPerRead)
    }

    /// The header first, then the rows of one read each; nil once everything was given.
    public func next() throws(RecordingError) -> String? {
        guard let start = position else {
            position = rows.lowerBound
            return header
        }
        guard start < rows.upperBound else { return nil }
        let end = min(rows.upperBound, start + UInt64(maxRowsPerRead))
        let block = try reader.readSamples(device: selection.device, rows: start ..< end)
        position = end
        var text = ""
        CSVFormat.appendRows(of: block, columns: columns, rawCounts: selection.rawCounts, to: &text)
        return text
    }
}

/// Exports to a file created for the purpose (refusing to replace one unless `overwrite`), or to
/// standard output when `path` is nil or "-".
public func exportCSV(from reader: HDF5RecordingReader, selection: CSVExportSelection = .init(),
                      toPath path: String?, overwrite: Bool = false) throws(RecordingError) {
    let sink: BufferedTextOutput
    if let path, path != "-" {
        do { sink = BufferedTextOutput(try FileOutput(creating: path, overwrite: overwrite), name: path) } catch {
            throw .cannotCreate(path: path, reason: error.message)
        }
    } else {
        sink = BufferedTextOutput(FileOutput(borrowingDescriptor: STDOUT_FILENO), name: "standard output")
    }
    try exportCSV(from: reader, selection: selection) { (text) throws(RecordingError) in try sink.write(text) }
    try sink.finish()
}

/// Collects text into writes of a few hundred kilobytes.
private final class BufferedTextOutput {
    private var output: FileOutput?
    private let name: String
    private var pending = ""

    init(_ output: consuming FileOutput, name: String) {
        self.output = .some(output)
        self.name = name
    }

    func write(_ text: String) throws(RecordingError) {
        pending += text
        if pending.utf8.count >= 1 << 18 { try drain() }
    }

    func finish() throws(RecordingError) {
        try drain()
        guard let file = output.take() else { return }
        do { try file.close() } catch { throw .writeFailed(path: name, reason: error.message) }
    }

    private func drain() throws(RecordingError) {
        do throws(DiskError) { try output?.write(pending) } catch {
            throw .writeFailed(path: name, reason: error.message)
        }
        pending.removeAll(keepingCapacity: true)
    }
}

private func exportRows(_ reader: HDF5RecordingReader, _ selection: CSVExportSelection) throws(RecordingError) -> Range<UInt64> {
    let count = try reader.sampleCount(device: selection.device)
    guard count > 0, selection.fromSeconds != nil || selection.toSeconds != nil else { return 0 ..< count }
    if let from = selection.fromSeconds, let to = selection.toSeconds, to < from {
        throw .invalidInput("--to \(to) is before --from \(from)")
    }
    for seconds in [selection.fromSeconds, selection.toSeconds].compactMap({ $0 }) where !(seconds.isFinite && seconds >= 0) {
        throw .invalidInput("time \(seconds) s must be ≥ 0")
    }
    let window = try reader.window(device: selection.device, fromSeconds: selection.fromSeconds, toSeconds: selection.toSeconds)
    return window?.rows ?? 0 ..< count
}
