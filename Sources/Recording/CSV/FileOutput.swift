#if canImport(Glibc)
import Glibc
#endif

/// An owned, append-only file descriptor for text output, with errno turned into a message.
///
/// A write to a file of ours lands whole or not at all: one the disk refuses part-way (disk full) is cut back off,
/// so the file always ends where the last successful write ended — on a line boundary when callers write whole lines.
struct FileOutput: ~Copyable {
    private let descriptor: Int32
    private let isOwned: Bool
    private let disk: any RecordingDisk
    /// Bytes that successful writes put in the file: where the next write goes and where a failed one is cut back to.
    private var length: UInt64 = 0
    private var isClosed = false

    /// Creates `path` exclusively (or truncating when `overwrite`), mode 0644.
    init(creating path: String, overwrite: Bool, disk: any RecordingDisk = SystemDisk()) throws(DiskError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw DiskError(errno: errno) }
        descriptor = fd
        isOwned = true
        self.disk = disk
    }

    /// Wraps an already open descriptor (e.g. standard output, maybe a pipe: nothing can be cut back there);
    /// it is not closed on release.
    init(borrowingDescriptor fd: Int32) {
        descriptor = fd
        isOwned = false
        disk = SystemDisk()
    }

    deinit { if isOwned && !isClosed { Glibc.close(descriptor) } }

    mutating func write(_ text: String) throws(DiskError) {
        var text = text
        let fd = descriptor, at = length, disk = disk, isOwned = isOwned
        let outcome: Result<Int, DiskError> = text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            guard isOwned else { return Self.appendSequentially(fd, bytes).map { bytes.count } }
            switch disk.writeAll(fd, bytes, at: at) {
            case .success: return .success(bytes.count)
            case let .failure(error):
                _ = disk.truncate(fd, to: at)
                return .failure(error)
            }
        }
        length += UInt64(try outcome.get())
    }

    consuming func close() throws(DiskError) {
        guard isOwned else { return }
        isClosed = true  // the deinit that follows has nothing left to do
        if Glibc.close(descriptor) != 0 { throw DiskError(errno: errno) }
    }

    private static func appendSequentially(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, DiskError> {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return .failure(DiskError(errno: errno))
            }
            offset += written
        }
        return .success(())
    }
}
