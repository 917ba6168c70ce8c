import Foundation

/// Who cut a slice out of a recording, and how: written into the slice so it says where it came from.
public struct SliceProvenance: Sendable, Equatable {
    public var softwareVersion: String
    /// What made the slice, e.g. `["mosquito", "serve", "export", "run.h5", "--from", "1", "--to", "2"]`.
    public var commandLine: [String]
    /// The source recording as the user knows it (its file name).
    public var sourceName: String

    public init(softwareVersion: String, commandLine: [String], sourceName: String) {
        self.softwareVersion = softwareVersion
        self.commandLine = commandLine
        self.sourceName = sourceName
    }
}

/// Writes `rows` of one device of `reader` as a new recording at `path` (refusing to replace a file): the
/// device's description, pipeline and calibration, the samples, the gaps and events among them, and every clock
/// exchange (the mapping of the whole run), so the slice opens like any recording (h5py, `mosquito inspect`,
/// `replay:`, the web viewer). An `export` event on its first sample names the source and how it was recorded.
/// On failure nothing is left at `path`.
public func exportHDF5(from reader: HDF5RecordingReader, device: Int, rows: Range<UInt64>, toPath path: String,
                       provenance: SliceProvenance, now: Date = Date(), maxRowsPerRead: Int = 16_384) throws(RecordingError) {
    let entry = try reader.entry(device)
    let available = try reader.sampleCount(device: device)
    let rows = min(rows.lowerBound, available) ..< min(rows.upperBound, available)
    let firstRow = rows.isEmpty ? nil : try reader.readSamples(device: device, rows: rows.lowerBound ..< rows.lowerBound + 1)
    let lastRow = rows.isEmpty ? nil : try reader.readSamples(device: device, rows: rows.upperBound - 1 ..< rows.upperBound)
    // The slice starts when its first sample was taken, when the recorder knew the host time; else with the run.
    let firstHostNs = firstRow?.hostTimeNs.first ?? 0
    let source = reader.metadata
    let started = firstHostNs != 0
        ? Date(timeIntervalSince1970: Double(firstHostNs) / 1e9)
        : (try? Date(source.startTime, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? now
    let header = RecordingHeader(softwareVersion: provenance.softwareVersion, host: source.host, startTime: started,
                                 commandLine: provenance.commandLine, devices: [entry.device])
    let writer = try HDF5RecordingWriter(path: path, header: header, options: RecordingOptions(flushInterval: .seconds(3600)))
    do throws(RecordingError) {
        if let first = firstRow?.index.first, let last = lastRow?.index.first {
            try writer.record(RecordingEvent(
                sampleIndex: first, hostTimeNs: Int64(now.timeIntervalSince1970 * 1e9), kind: "export",
                detail: "slice of \(provenance.sourceName), recorded from \(source.startTime) on \(source.host) by: \(source.commandLine)"),
                device: 0)
            var start = rows.lowerBound
            while start < rows.upperBound {
                let end = min(rows.upperBound, start + UInt64(max(1, maxRowsPerRead)))
                try writer.append(try reader.readSamples(device: device, rows: start ..< end), device: 0)
                start = end
            }
            for gap in try reader.gaps(device: device) where gap.firstMissingIndex > first && gap.firstMissingIndex <= last {
                try writer.record(gap, device: 0)
            }
            for event in try reader.events(device: device) where event.sampleIndex >= first && event.sampleIndex <= last {
                try writer.record(event, device: 0)
            }
        }
        for exchange in try reader.clockExchanges(device: device) { try writer.record(exchange, device: 0) }
        try writer.close(stopTime: now)
    } catch {
        try? writer.close(stopTime: now)
        try? FileManager.default.removeItem(atPath: path)
        throw error
    }
}
