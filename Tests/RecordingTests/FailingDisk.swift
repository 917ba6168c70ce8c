import Foundation
import Synchronization
@testable import Recording
#if canImport(Glibc)
import Glibc
#endif

/// A disk that fails the way real ones do, at a point the test picks: the `RecordingDisk` seam with the real
/// system calls behind it, so the file on disk is real and is read back by h5py.
///
/// - `.full(afterWrites:)` / `.capacity(bytes:)`: a full tmpfs. Once full, a write that would grow the file is cut
///   at the file's end and refused with ENOSPC; overwriting bytes the file already has still works (tmpfs keeps
///   their pages), and so does cutting the file shorter.
/// - `.ioError(atWrite:)`: that one write fails with EIO, whatever it is; the writes around it work.
final class FailingDisk: RecordingDisk, Sendable {
    enum Fault: Sendable {
        /// The disk fills up during write number `n` (1-based), which gets half its bytes.
        case full(atWrite: Int)
        /// No file may grow past `bytes`.
        case capacity(bytes: UInt64)
        case ioError(atWrite: Int)
        /// Never fails; counts writes.
        case none
    }

    private struct State {
        var writes = 0
        var isFull = false
        var failures = 0
        var faultedWriteSize: Int?
    }

    let fault: Fault
    private let state = Mutex(State())

    init(_ fault: Fault) { self.fault = fault }

    /// Writes asked for so far (retries of a short write count again).
    var writes: Int { state.withLock { $0.writes } }
    /// Writes refused so far.
    var failures: Int { state.withLock { $0.failures } }
    /// How many bytes were asked for by the write the fault hit first (a chunk is kilobytes, metadata far less).
    var faultedWriteSize: Int? { state.withLock { $0.faultedWriteSize } }

    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Result<Int, DiskError> {
        let size = Self.size(of: descriptor)
        let decision: Result<Int, DiskError> = state.withLock { s in
            s.writes += 1
            switch fault {
            case .none: return .success(bytes.count)
            case let .ioError(n):
                guard s.writes == n else { return .success(bytes.count) }
                s.faultedWriteSize = bytes.count
                return .failure(DiskError(errno: EIO))
            case let .capacity(limit):
                return Self.fit(bytes.count, at: offset, into: limit, state: &s)
            case let .full(n):
                if s.writes == n && !s.isFull {
                    s.isFull = true
                    s.faultedWriteSize = bytes.count
                    return .success(max(1, bytes.count / 2))
                }
                return s.isFull ? Self.fit(bytes.count, at: offset, into: max(size, offset), state: &s) : .success(bytes.count)
            }
        }
        switch decision {
        case let .success(count):
            let written = pwrite(descriptor, bytes.baseAddress, count, off_t(offset))
            return written < 0 ? .failure(DiskError(errno: errno)) : .success(written)
        case let .failure(error):
            state.withLock { $0.failures += 1 }
            return .failure(error)
        }
    }

    func truncate(_ descriptor: Int32, to length: UInt64) -> Result<Void, DiskError> {
        ftruncate(descriptor, off_t(length)) == 0 ? .success(()) : .failure(DiskError(errno: errno))
    }

    /// How much of a write fits under `limit`: all of it, the part up to the limit, or nothing (ENOSPC).
    private static func fit(_ count: Int, at offset: UInt64, into limit: UInt64, state: inout State) -> Result<Int, DiskError> {
        if offset + UInt64(count) <= limit { return .success(count) }
        if !state.isFull { state.faultedWriteSize = count }
        state.isFull = true
        if offset < limit { return .success(Int(limit - offset)) }
        return .failure(DiskError(errno: ENOSPC))
    }

    private static func size(of descriptor: Int32) -> UInt64 {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? UInt64(status.st_size) : 0
    }
}
