#if canImport(Glibc)
import Glibc
#endif

/// An owned file descriptor: closed exactly once, when its owner goes away.
public struct FileDescriptor: ~Copyable, Sendable {
    public let rawValue: Int32

    public init(owning rawValue: Int32) { self.rawValue = rawValue }

    public static func open(_ path: String, _ flags: Int32) throws(SystemError) -> FileDescriptor {
        FileDescriptor(owning: try syscall("open \(path)") { Glibc.open(path, flags | O_CLOEXEC) })
    }

    deinit { _ = Glibc.close(rawValue) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try syscall("read") { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Writes every byte, waiting for the device to drain when it pushes back.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            do throws(SystemError) {
                offset += try syscall("write") { Glibc.write(rawValue, bytes.baseAddress! + offset, bytes.count - offset) }
            } catch where error.errno == EAGAIN {
                _ = try poll(events: Int16(POLLOUT), timeoutMs: 1000)
            }
        }
    }

    /// Waits for `events`; returns the revents seen (0 on timeout).
    public func poll(events: Int16, timeoutMs: Int32) throws(SystemError) -> Int16 {
        var p = pollfd(fd: rawValue, events: events, revents: 0)
        let n = try syscall("poll") { Glibc.poll(&p, 1, timeoutMs) }
        return n == 0 ? 0 : p.revents
    }
}
