import CHDF5
import Foundation

/// Records a run into an HDF5 file in SWMR mode (layout: docs/recording-format.md).
///
/// The file is written in place at its final path, never renamed: with SWMR every flush leaves a
/// consistent file on disk, so a killed recorder leaves a readable file holding everything up to
/// its last flush. A clean close adds the root `stop_time` attribute; its absence marks an interrupted run.
public final class HDF5RecordingWriter: RecordingSink {
    public let path: String
    private let options: RecordingOptions
    private let clock: @Sendable () -> ContinuousClock.Instant
    private var file: HDF5File?
    private var devices: [DeviceDatasets]
    private var lastFlush: ContinuousClock.Instant
    private var isUsable = true

    public convenience init(path: String, header: RecordingHeader, options: RecordingOptions = .init()) throws(RecordingError) {
        try self.init(path: path, header: header, options: options, clock: { ContinuousClock.now })
    }

    /// `clock` is the monotonic time source for automatic flushes (injectable for tests).
    public init(path: String, header: RecordingHeader, options: RecordingOptions,
                clock: @escaping @Sendable () -> ContinuousClock.Instant) throws(RecordingError) {
        guard !header.devices.isEmpty else { throw .invalidInput("a recording needs at least one device") }
        if let empty = header.devices.first(where: { $0.configuration.channels.isEmpty }) {
            throw .invalidInput("device \(empty.identity.serial) has no channels")
        }
        self.path = path
        self.options = options
        self.clock = clock
        let created: HDF5File
        do { created = try HDF5File(creating: path, overwrite: options.overwrite) } catch {
            throw .cannotCreate(path: path, reason: error.message)
        }
        do {
            try Self.writeRootAttributes(header, on: created.id)
            let names = RecordingLayout.deviceGroupNames(header.devices)
            var opened: [DeviceDatasets] = []
            for (device, name) in zip(header.devices, names) {
                opened.append(try DeviceDatasets(device, groupPath: "\(RecordingLayout.devicesGroup)/\(name)",
                                                 in: created.id, compress: options.compress))
            }
            try created.flush()
            try created.startSWMRWrite()
            devices = opened
        } catch {
            // Nothing half-written: a file whose layout could not be completed is removed.
            _ = try? created.close()
            try? FileManager.default.removeItem(atPath: path)
            throw .cannotCreate(path: path, reason: "\(error)")
        }
        file = .some(consume created)
        lastFlush = clock()
    }

    private static func writeRootAttributes(_ header: RecordingHeader, on root: hid_t) throws(HDF5Error) {
        typealias R = RecordingLayout.Root
        try HDF5Attribute.write(R.format, string: RecordingLayout.formatName, on: root)
        try HDF5Attribute.write(R.formatVersion, int64: RecordingLayout.formatVersion, on: root)
        try HDF5Attribute.write(R.softwareVersion, string: header.softwareVersion, on: root)
        try HDF5Attribute.write(R.host, string: header.host, on: root)
        try HDF5Attribute.write(R.startTime, string: UTCTimestamp.string(header.startTime), on: root)
        try HDF5Attribute.write(R.commandLine, string: CommandLineText.join(header.commandLine), on: root)
        try HDF5Attribute.write(R.deviceURIs, strings: header.devices.map(\.uri), on: root)
        try HDF5Attribute.write(R.deviceGroups, strings: RecordingLayout.deviceGroupNames(header.devices), on: root)
    }

    public func append(_ block: SampleBlock, device: Int) throws(RecordingError) {
        let target = try usableDevice(device)
        guard block.channelCount == target.channelCount else {
            throw .invalidInput("block has \(block.channelCount) channels, device \(device) has \(target.channelCount)")
        }
        try guarded { () throws(HDF5Error) in try target.append(block) }
        try flushIfDue(now: clock())
    }

    public func record(_ gap: Gap, device: Int) throws(RecordingError) {
        let target = try usableDevice(device)
        try guarded { () throws(HDF5Error) in try target.record(gap) }
    }

    public func record(_ event: RecordingEvent, device: Int) throws(RecordingError) {
        let target = try usableDevice(device)
        try guarded { () throws(HDF5Error) in try target.record(event) }
    }

    public func record(_ exchange: ClockExchange, device: Int) throws(RecordingError) {
        let target = try usableDevice(device)
        try guarded { () throws(HDF5Error) in try target.record(exchange) }
    }

    public func flushIfDue(now: ContinuousClock.Instant) throws(RecordingError) {
        guard isUsable else { throw .closed(path: path) }
        guard now - lastFlush >= options.flushInterval else { return }
        try flush()
        lastFlush = now
    }

    /// Writes everything buffered and makes it visible to SWMR readers and durable against a crash.
    public func flush() throws(RecordingError) {
        guard isUsable, let fileID = file?.id else { throw .closed(path: path) }
        let devices = devices
        try guarded { () throws(HDF5Error) in
            for device in devices { try device.writePending() }
            try HDF5.call("H5Fflush") { H5Fflush(fileID, H5F_SCOPE_GLOBAL) }
        }
    }

    public func close(stopTime: Date) throws(RecordingError) {
        guard isUsable else { throw .closed(path: path) }
        try flush()
        isUsable = false
        devices = []
        guard let file = file.take() else { return }
        do {
            try file.close()
            // A SWMR writer cannot add attributes, so the stop time goes in after the SWMR session ended.
            let reopened = try HDF5File(opening: path, mode: .readWrite)
            try HDF5Attribute.write(RecordingLayout.Root.stopTime, string: UTCTimestamp.string(stopTime), on: reopened.id)
            try reopened.close()
        } catch {
            throw .writeFailed(path: path, reason: error.message)
        }
    }

    private func usableDevice(_ device: Int) throws(RecordingError) -> DeviceDatasets {
        guard isUsable else { throw .closed(path: path) }
        guard devices.indices.contains(device) else {
            throw .invalidInput("device \(device) is not part of this recording (\(devices.count) devices)")
        }
        return devices[device]
    }

    /// After a failed write the file is left as of its last flush and the writer accepts nothing more.
    private func guarded(_ body: () throws(HDF5Error) -> Void) throws(RecordingError) {
        do { try body() } catch {
            isUsable = false
            devices = []
            file = nil
            throw .writeFailed(path: path, reason: error.message)
        }
    }
}
