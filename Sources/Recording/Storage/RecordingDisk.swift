#if canImport(Glibc)
import Glibc
#endif

/// The system calls through which a recording's bytes reach the disk: HDF5's file driver (`RollbackDriver`)
/// and the CSV writer both go through it. Production uses the kernel's; fault-injection tests substitute a disk
/// that fills up, or fails a chosen write, the way a full tmpfs does.
protocol RecordingDisk: Sendable {
    /// pwrite(2): how many bytes were written (possibly fewer than asked), or the errno that stopped it.
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Result<Int, DiskError>
    /// ftruncate(2).
    func truncate(_ descriptor: Int32, to length: UInt64) -> Result<Void, DiskError>
}

/// The kernel's disk.
struct SystemDisk: RecordingDisk {
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Result<Int, DiskError> {
        let written = pwrite(descriptor, bytes.baseAddress, bytes.count, off_t(offset))
        return written < 0 ? .failure(DiskError(errno: errno)) : .success(written)
    }

    func truncate(_ descriptor: Int32, to length: UInt64) -> Result<Void, DiskError> {
        ftruncate(descriptor, off_t(length)) == 0 ? .success(()) : .failure(DiskError(errno: errno))
    }
}

extension RecordingDisk {
    /// Writes all of `bytes` at `offset`, retrying short and interrupted writes; the first other errno stops it.
    func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Result<Void, DiskError> {
        var done = 0
        while done < bytes.count {
            switch write(descriptor, UnsafeRawBufferPointer(rebasing: bytes[done...]), at: offset + UInt64(done)) {
            case let .success(count) where count > 0: done += count
            case .success: return .failure(DiskError(errno: EIO))  // a zero-byte write would loop forever
            case let .failure(error) where error.errno == EINTR: continue
            case let .failure(error): return .failure(error)
            }
        }
        return .success(())
    }
}

/// An errno from the disk, with the system's one-line wording ("No space left on device").
struct DiskError: Error, Equatable {
    let errno: Int32
    var message: String { String(cString: strerror(errno)) }
}
