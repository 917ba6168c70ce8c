#if canImport(Glibc)
import Glibc
#endif

/// An owned, buffered, append-only file descriptor for text output, with errno turned into a message.
struct FileOutput: ~Copyable {
    private let descriptor: Int32

    /// Creates `path` exclusively (or truncating when `overwrite`), mode 0644.
    init(creating path: String, overwrite: Bool) throws(FileOutputError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw FileOutputError(errno: errno) }
        descriptor = fd
    }

    /// Wraps an already open descriptor (e.g. standard output); it is not closed on release.
    init(borrowingDescriptor fd: Int32) {
        descriptor = -fd - 1
    }

    private var fd: Int32 { descriptor >= 0 ? descriptor : -descriptor - 1 }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    func write(_ text: String) throws(FileOutputError) {
        var text = text
        let fd = self.fd
        let failure: Int32? = text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw FileOutputError(errno: failure) }
    }

    func sync() throws(FileOutputError) {
        guard descriptor >= 0 else { return }
        if fsync(descriptor) != 0 { throw FileOutputError(errno: errno) }
    }

    consuming func close() throws(FileOutputError) {
        let descriptor = self.descriptor
        discard self
        if descriptor >= 0, Glibc.close(descriptor) != 0 { throw FileOutputError(errno: errno) }
    }
}

struct FileOutputError: Error {
    let errno: Int32
    var message: String { String(cString: strerror(errno)) }
}
