#if canImport(Glibc)
import Glibc
#endif
import CHDF5
import Foundation
import MosquitoModel

/// Records a run into an HDF5 file in SWMR mode (layout: docs/recording-format.md).
///
/// The file is written in place at its final path, never renamed: with SWMR every flush leaves a
/// consistent file on disk, so a killed recorder leaves a readable file holding everything up to
/// its last flush. A clean close adds the root `stop_time` attribute; its absence marks an interrupted run.
///
/// A failed write (disk full, I/O error) leaves the file exactly as after the last successful flush: every
/// byte goes through `RollbackDriver`, each flush commits, and any failure rolls the file back to that commit.
public final class HDF5RecordingWriter: RecordingSink {
    public let path: String
    private let options: RecordingOptions
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let disk: any RecordingDisk
    private let journal: RollbackJournal
    private var file: HDF5File?
    private var devices: [DeviceDatasets]
    /// Each device's sample rows as of the last commit: what a failure returns the file to.
    private var durableRows: [UInt64]
    private var lastFlush: ContinuousClock.Instant
    private var isUsable = true
    /// Set by a failed write: the file was already released, so `close` has nothing left to do.
    private var hasFailed = false

    public convenience init(path: String, header: RecordingHeader, options: RecordingOptions = .init()) throws(RecordingError) {
        try self.init(path: path, header: header, options: options, clock: { ContinuousClock.now })
    }

    /// `clock` is the monotonic time source for automatic flushes (injectable for tests).
    public convenience init(path: String, header: RecordingHeader, options: RecordingOptions,
                            clock: @escaping @Sendable () -> ContinuousClock.Instant) throws(RecordingError) {
        try self.init(path: path, header: header, options: options, clock: clock, disk: SystemDisk())
    }

    /// `disk` is where the bytes go (a failing disk in fault-injection tests).
    init(path: String, header: RecordingHeader, options: RecordingOptions,
         clock: @escaping @Sendable () -> ContinuousClock.Instant, disk: any RecordingDisk) throws(RecordingError) {
        guard !header.devices.isEmpty else { throw .invalidInput("a recording needs at least one device") }
        if let empty = header.devices.first(where: { $0.configuration.channels.isEmpty }) {
            throw .invalidInput("device \(empty.identity.serial) has no channels")
        }
        self.path = path
        self.options = options
        self.clock = clock
        self.disk = disk
        let journal = RollbackJournal(disk: disk)
        self.journal = journal
        durableRows = Array(repeating: 0, count: header.devices.count)
        try Self.preflight(path, overwrite: options.overwrite)
        let created: HDF5File
        do { created = try HDF5File(creating: path, overwrite: options.overwrite, journal: journal) } catch {
            throw .cannotCreate(path: path, reason: journal.failure?.message ?? error.cause)
        }
        do {
            try Self.writeRootAttributes(header, on: created.id)
            let names = RecordingLayout.deviceGroupNames(header.devices)
            var opened: [DeviceDatasets] = []
            for (device, name) in zip(header.devices, names) {
                opened.append(try DeviceDatasets(device, groupPath: "\(RecordingLayout.devicesGroup)/\(name)",
                                                 in: created.id, deflateLevel: options.compress ? options.deflateLevel : nil))
            }
            try created.flush()
            try created.startSWMRWrite()
            try journal.commit()
            devices = opened
        } catch {
            // Nothing half-written: a file whose layout could not be completed is removed.
            journal.abandon()
            _ = try? created.close()
            try? FileManager.default.removeItem(atPath: path)
            throw .cannotCreate(path: path, reason: journal.failure?.message ?? Self.cause(of: error))
        }
        file = .some(consume created)
        lastFlush = clock()
    }

    /// Asks the OS first, so the common failures (no such directory, permission, exists) read as one plain
    /// sentence rather than HDF5's error stack. Leaves nothing behind.
    private static func preflight(_ path: String, overwrite: Bool) throws(RecordingError) {
        let existed = access(path, F_OK) == 0
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? 0 : O_EXCL), 0o644)
        guard fd >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        Glibc.close(fd)
        if !existed { unlink(path) }
    }

    /// A writer dropped without `close` still hands its buffered samples to the file.
    deinit { if isUsable { try? flush() } }

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
    /// On success this is the state a later failure returns the file to.
    public func flush() throws(RecordingError) {
        guard isUsable, let fileID = file?.id else { throw .closed(path: path) }
        try guarded { () throws(HDF5Error) in
            for device in self.devices { try device.writePending() }
            try HDF5.call("H5Fflush") { H5Fflush(fileID, H5F_SCOPE_GLOBAL) }
        }
        do { try journal.commit() } catch { throw abandon(error) }
        durableRows = devices.map(\.sampleRows)
    }

    public func durableSampleCount(device: Int) -> UInt64 {
        durableRows.indices.contains(device) ? durableRows[device] : 0
    }

    /// Ends the recording. After a write failure this is a no-op (the file is as of its last flush).
    public func close(stopTime: Date) throws(RecordingError) {
        if hasFailed { return }
        guard isUsable else { throw .closed(path: path) }
        try flush()
        isUsable = false
        devices = []
        guard let file = file.take() else { return }
        // Ending the SWMR session writes too (the superblock, the file's final length); if that fails the file
        // goes back to the final flush above.
        do {
            try file.close()
            try journal.commit()
        } catch {
            hasFailed = true
            throw failed(error)
        }
        // A SWMR writer cannot add attributes, so the stop time goes in after the SWMR session ended, under a
        // journal of its own: if it cannot be written, the file stays as the SWMR session left it.
        // Live viewers in other processes (SWMR readers) may still hold HDF5's shared file lock;
        // waiting for them could take forever, and this process is the file's only writer, so then
        // the lock is skipped. (Not always: a reader in this process must be opened with the same flag.)
        let stamp = RollbackJournal(disk: disk)
        do {
            let reopened: HDF5File
            do { reopened = try HDF5File(opening: path, mode: .readWrite, journal: stamp) } catch {
                reopened = try HDF5File(opening: path, mode: .readWrite, fileLocking: false, journal: stamp)
            }
            try HDF5Attribute.write(RecordingLayout.Root.stopTime, string: UTCTimestamp.string(stopTime), on: reopened.id)
            try reopened.close()
            try stamp.commit()
        } catch {
            hasFailed = true
            throw failed(error, journal: stamp)
        }
    }

    private func usableDevice(_ device: Int) throws(RecordingError) -> DeviceDatasets {
        guard isUsable else { throw .closed(path: path) }
        guard devices.indices.contains(device) else {
            throw .invalidInput("device \(device) is not part of this recording (\(devices.count) devices)")
        }
        return devices[device]
    }

    /// After a failed write the file is returned to its last flush and the writer accepts nothing more. The disk's
    /// refusals reach the writer through the journal (HDF5 is not told of them), so it is checked after every call.
    private func guarded(_ body: () throws(HDF5Error) -> Void) throws(RecordingError) {
        do { try body() } catch {
            throw abandon(error)
        }
        if let failure = journal.failure { throw abandon(failure) }
    }

    private func abandon(_ error: any Error) -> RecordingError {
        isUsable = false
        hasFailed = true
        // HDF5 still writes while it releases the file (it flushes on close); none of that reaches the disk.
        journal.abandon()
        devices = []
        file = nil
        return failed(error)
    }

    /// Returns `journal`'s files to their last commit and says why in one line: the disk's own words when a
    /// write was refused ("No space left on device"), else where HDF5 failed. HDF5's whole stack is too long for
    /// the one `Error:` line the CLI prints.
    private func failed(_ error: any Error, journal: RollbackJournal? = nil) -> RecordingError {
        let journal = journal ?? self.journal
        journal.abandon()
        var reason = journal.failure?.message ?? Self.cause(of: error)
        if let restore = journal.restore() {
            reason += "; the file could not be returned to its last flush (\(restore.message))"
        }
        return .writeFailed(path: path, reason: reason)
    }

    private static func cause(of error: any Error) -> String {
        switch error {
        case let error as HDF5Error: error.cause
        case let error as DiskError: error.message
        default: "\(error)"
        }
    }
}

