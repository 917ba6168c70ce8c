#if canImport(Glibc)
import Glibc
#endif

/// One file HDF5 opened through `RollbackDriver`: a POSIX descriptor used as HDF5's own sec2 driver uses it,
/// plus an undo log that can return the file to its last commit.
///
/// HDF5 appends most bytes but overwrites some in place (object headers holding a dataset's extent, chunk
/// indices, the partly filled chunk at the end). So the first overwrite of committed bytes after a commit saves
/// them, and `restore()` writes them back and cuts the file to its committed length. Writing committed bytes back
/// needs no new space, which is why this works on a full disk.
///
/// A write the disk refuses is not reported to HDF5. HDF5 handles a failed write badly: it keeps going (its flush
/// then wrote extents whose chunks never reached the disk), and a close that meets one leaves a dangling handle
/// that crashes the process at exit. Instead the failure goes to the journal, which the writer checks after every
/// HDF5 call, and the file is *detached*: the disk takes nothing more, while HDF5 reads back its own writes from a
/// `WriteOverlay` and can finish and close cleanly. The disk is restored once HDF5 lets go of the file.
///
/// Threads: HDF5 calls back under its library lock, and the writer commits or rolls back on the thread that
/// drives HDF5 for this file, between HDF5 calls; no two of them run at once.
final class RollbackFile {
    /// At a stable address: `H5Fget_vfd_handle` hands out a pointer to it.
    let descriptor: UnsafeMutablePointer<Int32>
    let device: UInt64
    let inode: UInt64
    /// End of the address space HDF5 has allocated; HDF5 sets it, and reads and writes stay below it.
    var endOfAllocation: UInt64 = 0
    /// The file's length as HDF5 sees it.
    private(set) var length: UInt64
    private(set) var failure: DiskError?
    /// Whether anything was written or cut since the file was opened: a probe HDF5 opened and closed without
    /// writing has nothing to commit or undo.
    private(set) var hasChanged = false
    private(set) var isOpenInHDF5 = true
    /// Set once the disk is back at the last commit (`restoreError` says if that failed).
    private(set) var isRestored = false
    private(set) var restoreError: DiskError?
    private var overlay: WriteOverlay?
    private var isDescriptorOpen = true
    private var log: UndoLog
    private let disk: any RecordingDisk
    private(set) weak var journal: RollbackJournal?

    var isDetached: Bool { overlay != nil }

    init(descriptor fd: Int32, journal: RollbackJournal) throws(DiskError) {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw DiskError(errno: errno) }
        descriptor = .allocate(capacity: 1)
        descriptor.initialize(to: fd)
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        length = UInt64(status.st_size)
        log = UndoLog(committedLength: length)
        disk = journal.disk
        self.journal = journal
    }

    deinit {
        closeDescriptor()
        descriptor.deallocate()
    }

    /// HDF5 is done with the file; its lock goes now, the descriptor when the journal is done with it.
    func releasedByHDF5() {
        isOpenInHDF5 = false
        _ = unlock()
    }

    func closeDescriptor() {
        guard isDescriptorOpen else { return }
        isDescriptorOpen = false
        Glibc.close(descriptor.pointee)
    }

    /// Bytes past the end of the file read as zeros, as with sec2.
    func read(_ buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) -> Bool {
        guard offset + UInt64(buffer.count) <= endOfAllocation, readFromDisk(buffer, at: offset) else { return false }
        overlay?.apply(to: buffer, at: offset)
        return true
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Bool {
        let end = offset + UInt64(bytes.count)
        guard end <= endOfAllocation else { return false }
        if overlay != nil {
            overlay!.add(bytes, at: offset)
            length = max(length, end)
            return true
        }
        if let error = saveCommittedBytes(offset ..< end) { return failed(error, leaving: bytes, at: offset) }
        hasChanged = true
        if case let .failure(error) = disk.writeAll(descriptor.pointee, bytes, at: offset) {
            return failed(error, leaving: bytes, at: offset)
        }
        length = max(length, end)
        return true
    }

    /// HDF5 trims or extends the file to its allocated end at flush and close.
    func truncateToAllocation() -> Bool {
        let target = endOfAllocation
        if overlay != nil || target == length {
            length = target
            return true
        }
        defer { length = target }
        if let error = saveCommittedBytes(min(target, length) ..< length) { return failed(error) }
        hasChanged = true
        if case let .failure(error) = disk.truncate(descriptor.pointee, to: target) { return failed(error) }
        return true
    }

    /// The file as it is now is what a rollback returns to.
    func commit() {
        log.commit(length: length)
    }

    /// The disk takes nothing more; HDF5 goes on reading its own writes.
    func detach() {
        if overlay == nil { overlay = WriteOverlay() }
    }

    /// Puts the disk back at the last commit (once). Returns what stopped that, if anything.
    @discardableResult
    func restore() -> DiskError? {
        detach()
        guard !isRestored else { return restoreError }
        isRestored = true
        let fd = descriptor.pointee
        if case let .failure(error) = disk.truncate(fd, to: log.committedLength) {
            restoreError = error
            return error
        }
        for entry in log.saved {
            if case let .failure(error) = entry.bytes.withUnsafeBytes({ disk.writeAll(fd, $0, at: entry.offset) }) {
                restoreError = error
                return error
            }
        }
        return nil
    }

    /// Advisory lock, as sec2 takes it (HDF5 calls this only when file locking is enabled).
    func lock(exclusive: Bool) -> Bool {
        if flock(descriptor.pointee, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 { return true }
        return errno == ENOSYS  // a file system without flock: HDF5's sec2 proceeds too
    }

    func unlock() -> Bool {
        flock(descriptor.pointee, LOCK_UN) == 0 || errno == ENOSYS
    }

    private func readFromDisk(_ buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) -> Bool {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor.pointee, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            if count == 0 {
                (buffer.baseAddress! + done).initializeMemory(as: UInt8.self, repeating: 0, count: buffer.count - done)
                break
            }
            done += count
        }
        return true
    }

    /// Saves the committed bytes in `range` that are not saved yet, before they are overwritten or cut off.
    private func saveCommittedBytes(_ range: Range<UInt64>) -> DiskError? {
        for missing in log.unsaved(range) {
            var committed = [UInt8](repeating: 0, count: Int(missing.count))
            guard committed.withUnsafeMutableBytes({ readFromDisk($0, at: missing.lowerBound) }) else {
                return DiskError(errno: errno)
            }
            log.save(committed, at: missing.lowerBound)
        }
        return nil
    }

    /// Records the failure for the journal and detaches the file; to HDF5 the write succeeded, and what it wrote
    /// is what it reads back. (A restore later removes whatever part of it reached the disk.)
    private func failed(_ error: DiskError, leaving bytes: UnsafeRawBufferPointer? = nil, at offset: UInt64 = 0) -> Bool {
        if failure == nil { failure = error }
        detach()
        if let bytes {
            overlay!.add(bytes, at: offset)
            length = max(length, offset + UInt64(bytes.count))
        }
        journal?.record(error)
        return true
    }
}
