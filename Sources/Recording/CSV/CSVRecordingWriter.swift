import Foundation
import MosquitoModel

/// Records one device to CSV (`index,device_time_us,<channel>…`, calibrated values or raw counts).
///
/// CSV carries no metadata, gaps, events or clock table: those are accepted and dropped, which is why
/// HDF5 is the format for anything that must be traced back to the instrument.
///
/// Rows are buffered and written whole, at each flush and whenever a MiB is waiting. A write the disk refuses
/// (disk full) is cut back off, so the file ends with the last row of the last successful write, never with
/// part of a line.
public final class CSVRecordingWriter: RecordingSink {
    public let path: String
    private let options: RecordingOptions
    private let channelCount: Int
    private var output: FileOutput?
    private var buffer = ""
    /// Rows in `buffer`, and rows the file holds (every successful write ends on a row).
    private var bufferedRows: UInt64 = 0
    private var durableRows: UInt64 = 0
    private var lastFlush = ContinuousClock.now
    private var hasFailed = false

    public convenience init(path: String, header: RecordingHeader, options: RecordingOptions = .init()) throws(RecordingError) {
        try self.init(path: path, header: header, options: options, disk: SystemDisk())
    }

    /// `disk` is where the bytes go (a failing disk in fault-injection tests).
    init(path: String, header: RecordingHeader, options: RecordingOptions, disk: any RecordingDisk) throws(RecordingError) {
        guard header.devices.count == 1, let device = header.devices.first else {
            throw .invalidInput("CSV holds exactly one device (got \(header.devices.count)); record to .h5 instead")
        }
        self.path = path
        self.options = options
        channelCount = device.configuration.channels.count
        var file: FileOutput
        do { file = try FileOutput(creating: path, overwrite: options.overwrite, disk: disk) } catch {
            throw .cannotCreate(path: path, reason: error.message)
        }
        do { try file.write(CSVFormat.header(channelNames: device.configuration.channels.map(\.name))) } catch {
            _ = try? file.close()
            try? FileManager.default.removeItem(atPath: path)
            throw .cannotCreate(path: path, reason: error.message)
        }
        output = .some(consume file)
    }

    public func append(_ block: SampleBlock, device: Int) throws(RecordingError) {
        guard output != nil else { throw .closed(path: path) }
        guard device == 0, block.channelCount == channelCount else {
            throw .invalidInput("CSV recording has one device with \(channelCount) channels")
        }
        CSVFormat.appendRows(of: block, columns: Array(0..<channelCount), rawCounts: options.csvRawCounts, to: &buffer)
        bufferedRows += UInt64(block.sampleCount)
        if buffer.utf8.count >= 1 << 20 { try writeBuffer() }
        try flushIfDue(now: .now)
    }

    public func durableSampleCount(device: Int) -> UInt64 { device == 0 ? durableRows : 0 }

    public func record(_ gap: Gap, device: Int) throws(RecordingError) {}
    public func record(_ event: RecordingEvent, device: Int) throws(RecordingError) {}
    public func record(_ exchange: ClockExchange, device: Int) throws(RecordingError) {}

    public func flushIfDue(now: ContinuousClock.Instant) throws(RecordingError) {
        guard output != nil else { throw .closed(path: path) }
        guard now - lastFlush >= options.flushInterval else { return }
        try writeBuffer()
        lastFlush = now
    }

    /// Writes every buffered row. After a failure the file ends with the last row of the last successful write.
    public func flush() throws(RecordingError) {
        try writeBuffer()
    }

    /// Ends the recording. After a write failure this is a no-op (the file holds what was written).
    public func close(stopTime: Date) throws(RecordingError) {
        if hasFailed { return }
        try writeBuffer()
        guard let file = output.take() else { throw .closed(path: path) }
        do { try file.close() } catch { throw .writeFailed(path: path, reason: error.message) }
    }

    private func writeBuffer() throws(RecordingError) {
        guard output != nil else { throw .closed(path: path) }
        do {
            try output!.write(buffer)
            buffer.removeAll(keepingCapacity: true)
            durableRows += bufferedRows
            bufferedRows = 0
        } catch {
            output = nil
            hasFailed = true
            throw .writeFailed(path: path, reason: error.message)
        }
    }
}
