import CHDF5

/// Reads a recording written by `HDF5RecordingWriter`, including one still being written (SWMR) or
/// left behind by a killed recorder. Sample reads are ranges of rows, so memory is bounded by the caller.
public final class HDF5RecordingReader {
    public let path: String
    public let metadata: RecordingMetadata
    public let devices: [RecordingDeviceEntry]
    private let file: HDF5File
    private let isSWMR: Bool

    public init(path: String) throws(RecordingError) {
        self.path = path
        // SWMR read also opens a file whose writer was killed (it stays flagged as open for writing);
        // files from elsewhere without the SWMR-capable format fall back to a plain read.
        // A reader needs no lock of its own, so a lock held elsewhere (a writer's final reopen) is
        // retried without locking; locking stays the first choice because a file already open in this
        // process must be reopened with the same locking setting.
        let opened: HDF5File
        let swmr: Bool
        do {
            opened = try HDF5File(opening: path, mode: .swmrRead)
            swmr = true
        } catch let swmrError {
            do {
                opened = try HDF5File(opening: path, mode: .readOnly)
                swmr = false
            } catch {
                do {
                    opened = try HDF5File(opening: path, mode: .swmrRead, fileLocking: false)
                    swmr = true
                } catch { throw .cannotOpen(path: path, reason: Self.openFailure(swmrError)) }
            }
        }
        isSWMR = swmr
        do {
            metadata = try Self.readMetadata(opened.id, path: path)
            devices = try RecordingDeviceLoader.load(file: opened.id)
        } catch let error as RecordingError {
            throw error
        } catch {
            throw .notARecording(path: path, reason: "\(error)")
        }
        file = opened
    }

    private static func readMetadata(_ root: hid_t, path: String) throws -> RecordingMetadata {
        typealias R = RecordingLayout.Root
        guard try HDF5Attribute.exists(R.format, on: root),
              try HDF5Attribute.readString(R.format, on: root) == RecordingLayout.formatName else {
            throw RecordingError.notARecording(path: path, reason: "no root attribute format=\(RecordingLayout.formatName)")
        }
        let version = try HDF5Attribute.readInt64s(R.formatVersion, on: root).first ?? 0
        guard version == RecordingLayout.formatVersion else {
            throw RecordingError.notARecording(path: path, reason: "format version \(version) is not supported")
        }
        return RecordingMetadata(
            format: RecordingLayout.formatName, formatVersion: version,
            softwareVersion: try HDF5Attribute.readString(R.softwareVersion, on: root),
            host: try HDF5Attribute.readString(R.host, on: root),
            startTime: try HDF5Attribute.readString(R.startTime, on: root),
            stopTime: try HDF5Attribute.exists(R.stopTime, on: root) ? try HDF5Attribute.readString(R.stopTime, on: root) : nil,
            commandLine: try HDF5Attribute.readString(R.commandLine, on: root),
            deviceURIs: try HDF5Attribute.readStrings(R.deviceURIs, on: root))
    }

    // MARK: Samples

    /// Complete sample rows on disk now (a live recording grows; each call sees the latest flush).
    public func sampleCount(device: Int) throws(RecordingError) -> UInt64 {
        try reading { () throws(HDF5Error) in
            var count = UInt64.max
            for name in Self.sampleDatasets {
                let dataset = try open(device, name)
                count = min(count, try dataset.dimensions().first ?? 0)
            }
            return count
        }
    }

    /// Rows `rows` of one device (clamped to what is on disk).
    public func readSamples(device: Int, rows: Range<UInt64>) throws(RecordingError) -> SampleBlock {
        let channels = try entry(device).device.configuration.channels.count
        let available = try sampleCount(device: device)
        let lower = min(rows.lowerBound, available), upper = min(rows.upperBound, available)
        let count = Int(upper - lower)
        let width = UInt64(channels)
        typealias S = RecordingLayout.Samples
        let columns = try reading { () throws(HDF5Error) in
            (index: try readColumn(device, S.index, start: lower, count: count, zero: UInt64(0), type: .nativeUInt64()),
             deviceTime: try readColumn(device, S.deviceTime, start: lower, count: count, zero: UInt64(0), type: .nativeUInt64()),
             hostTime: try readColumn(device, S.hostTime, start: lower, count: count, zero: Int64(0), type: .nativeInt64()),
             raw: try readColumn(device, S.raw, start: lower, count: count, width: width, zero: Int32(0), type: .nativeInt32()),
             values: try readColumn(device, S.values, start: lower, count: count, width: width, zero: 0.0, type: .nativeDouble()))
        }
        return try SampleBlock(channelCount: channels, index: columns.index, deviceTimeUs: columns.deviceTime,
                               hostTimeNs: columns.hostTime, raw: columns.raw, values: columns.values)
    }

    /// Calls `body` with consecutive blocks of at most `maxRows` rows covering `rows` (all rows when nil).
    public func forEachBlock(device: Int, rows: Range<UInt64>? = nil, maxRows: Int = 65_536,
                             _ body: (SampleBlock) throws(RecordingError) -> Void) throws(RecordingError) {
        let available = try sampleCount(device: device)
        let range = rows.map { min($0.lowerBound, available) ..< min($0.upperBound, available) } ?? 0 ..< available
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, start + UInt64(max(1, maxRows)))
            try body(try readSamples(device: device, rows: start ..< end))
            start = end
        }
    }

    /// The first row whose `device_time_us` is ≥ `micros` (binary search reading single elements).
    public func firstRow(device: Int, atOrAfterDeviceTimeUs micros: UInt64) throws(RecordingError) -> UInt64 {
        let count = try sampleCount(device: device)
        return try reading { () throws(HDF5Error) in
            var low: UInt64 = 0, high = count
            while low < high {
                let middle = low + (high - low) / 2
                let time = try readColumn(device, RecordingLayout.Samples.deviceTime, start: middle, count: 1,
                                          zero: UInt64(0), type: .nativeUInt64())[0]
                if time < micros { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    // MARK: Plumbing

    private static let sampleDatasets = [RecordingLayout.Samples.index, RecordingLayout.Samples.deviceTime,
                                         RecordingLayout.Samples.hostTime, RecordingLayout.Samples.raw,
                                         RecordingLayout.Samples.values]

    func entry(_ device: Int) throws(RecordingError) -> RecordingDeviceEntry {
        guard devices.indices.contains(device) else {
            throw .invalidInput("device \(device) is not in \(path) (\(devices.count) devices)")
        }
        return devices[device]
    }

    /// A file that is not HDF5 at all (a CSV recording, a truncated download) says so in a user's words; any
    /// other failure keeps HDF5's whole account, innermost first.
    private static func openFailure(_ error: HDF5Error) -> String {
        error.message.contains("file signature not found")
            ? "not an HDF5 file (only .h5 recordings can be read back, not a .csv recording or export)"
            : error.message
    }

    func reading<T>(_ body: () throws(HDF5Error) -> T) throws(RecordingError) -> T {
        do { return try body() } catch { throw .readFailed(path: path, reason: error.message) }
    }

    /// Opens a dataset of a device, refreshed so a SWMR reader sees the writer's latest flush.
    func open(_ device: Int, _ name: String) throws(HDF5Error) -> HDF5Dataset {
        let group = devices.indices.contains(device) ? devices[device].group : ""
        let dataset = try HDF5Dataset(opening: "\(RecordingLayout.devicesGroup)/\(group)/\(name)", in: file.id)
        if isSWMR { try dataset.refresh() }
        return dataset
    }

    func readColumn<Number>(_ device: Int, _ name: String, start: UInt64, count: Int, width: UInt64? = nil,
                                    elementsPerRow: Int = 1, zero: Number,
                                    type: consuming HDF5Datatype) throws(HDF5Error) -> [Number] {
        let dataset = try open(device, name)
        var values = [Number](repeating: zero, count: count * Int(width ?? 1) * elementsPerRow)
        guard count > 0 else { return values }
        let outcome: Result<Void, HDF5Error> = values.withUnsafeMutableBytes { buffer in
            do throws(HDF5Error) {
                return .success(try dataset.readRows(into: buffer.baseAddress!, start: start, rows: UInt64(count),
                                                     rowWidth: width, memoryType: type))
            } catch { return .failure(error) }
        }
        try outcome.get()
        return values
    }

    func readTable<Number>(_ device: Int, _ name: String, zero: Number,
                                   type: consuming HDF5Datatype) throws(HDF5Error) -> [Number] {
        let rows = try open(device, name).dimensions().first ?? 0
        return try readColumn(device, name, start: 0, count: Int(rows), zero: zero, type: type)
    }

    func readStrings(_ device: Int, _ name: String, width: Int) throws(HDF5Error) -> [String] {
        let rows = try open(device, name).dimensions().first ?? 0
        let bytes = try readColumn(device, name, start: 0, count: Int(rows), elementsPerRow: width,
                                     zero: UInt8(0), type: .fixedString(bytes: width))
        return VariableStrings.decodeFixedWidth(bytes, width: width)
    }
}
