#if canImport(Glibc)
import Glibc
#endif

/// One file HDF5 opened through `RollbackDriver`: a POSIX descriptor used as HDF5's own sec2 driver uses it,
/// plus an undo log that can return the file to its last commit.
///
/// HDF5 appends most bytes but overwrites some in place (object headers holding a dataset's extent, chunk
/// indices, the partly filled chunk at the end). So the first overwrite of committed bytes after a commit saves
/// them, and a rollback writes them back and cuts the file to its committed length. Writing committed bytes back
/// needs no new space, which is why this works on a full disk.
///
/// After the first failed write the file stops taking writes: the rest of that HDF5 operation (HDF5 keeps going
/// after an error, and would then write extents whose data never reached the disk) and the close that follows
/// are dropped, so nothing reaches the disk after a failure but the rollback itself.
///
/// When HDF5 closes the file, the descriptor stays open until the journal commits or rolls back: a failing
/// `H5Fclose` has already closed its file by the time it reports the failure.
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
    private(set) var length: UInt64
    private(set) var failure: DiskError?
    private(set) var isDiscarding = false
    /// Whether anything was written or cut since the file was opened: a probe HDF5 opened and closed without
    /// writing has nothing to commit or undo.
    private(set) var hasChanged = false
    private(set) var isOpenInHDF5 = true
    private(set) var isRolledBack = false
    private var isDescriptorOpen = true
    private var log: UndoLog
    private let disk: any RecordingDisk
    private(set) weak var journal: RollbackJournal?

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
        guard offset + UInt64(buffer.count) <= endOfAllocation else { return false }
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

    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Bool {
        if isDiscarding { return true }
        let end = offset + UInt64(bytes.count)
        guard end <= endOfAllocation else { return false }
        for range in log.unsaved(offset ..< end) {
            var committed = [UInt8](repeating: 0, count: Int(range.count))
            guard committed.withUnsafeMutableBytes({ read($0, at: range.lowerBound) }) else {
                return failed(DiskError(errno: errno))
            }
            log.save(committed, at: range.lowerBound)
        }
        hasChanged = true
        if case let .failure(error) = disk.writeAll(descriptor.pointee, bytes, at: offset) { return failed(error) }
        length = max(length, end)
        return true
    }

    /// HDF5 trims or extends the file to its allocated end at flush and close.
    func truncateToAllocation() -> Bool {
        if isDiscarding || endOfAllocation == length { return true }
        let target = endOfAllocation
        for range in log.unsaved(min(target, length) ..< length) {
            var committed = [UInt8](repeating: 0, count: Int(range.count))
            guard committed.withUnsafeMutableBytes({ read($0, at: range.lowerBound) }) else {
                return failed(DiskError(errno: errno))
            }
            log.save(committed, at: range.lowerBound)
        }
        hasChanged = true
        if case let .failure(error) = disk.truncate(descriptor.pointee, to: target) { return failed(error) }
        length = target
        return true
    }

    /// The file as it is now is what a rollback returns to.
    func commit() {
        log.commit(length: length)
    }

    /// Returns the file to its last commit and drops every later write. Returns what stopped the restore, if anything.
    func rollBack() -> DiskError? {
        isDiscarding = true
        isRolledBack = true
        let fd = descriptor.pointee
        if case let .failure(error) = disk.truncate(fd, to: log.committedLength) { return error }
        for entry in log.saved {
            let restored = entry.bytes.withUnsafeBytes { disk.writeAll(fd, $0, at: entry.offset) }
            if case let .failure(error) = restored { return error }
        }
        length = log.committedLength
        log.commit(length: length)
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

    private func failed(_ error: DiskError) -> Bool {
        if failure == nil { failure = error }
        isDiscarding = true
        journal?.record(error)
        return false
    }
}
