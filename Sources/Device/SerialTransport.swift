import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// MWP/1 over a tty: CDC-ACM, a UART adapter, or a pseudo-terminal.
public final class SerialTransport: Transport {
    private let fd: FileDescriptor
    private let closed = Atomic<Bool>(false)
    public let path: String

    public var description: String { "serial:" + path }

    public init(path: String) throws(TransportError) {
        self.path = path
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK)
        } catch {
            switch error.errno {
            case ENOENT, ENXIO, ENODEV: throw .notFound(path)
            case EACCES, EPERM: throw .permissionDenied(path)
            default: throw .io(error)
            }
        }
        do {
            try SerialPort.makeRaw(fd.rawValue)
        } catch {
            if error.errno == ENOTTY || error.errno == EINVAL { throw .notASerialPort(path) }
            throw .io(error)
        }
        self.fd = fd
    }

    public func send(_ bytes: UnsafeRawBufferPointer) throws(TransportError) {
        guard !isClosed else { throw .closed }
        do { try fd.writeAll(bytes) } catch { throw map(error) }
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws(TransportError) -> Int {
        guard !isClosed else { throw .closed }
        let revents: Int16
        do { revents = try fd.poll(events: Int16(POLLIN), timeoutMs: timeoutMs) } catch { throw map(error) }
        if revents == 0 { return 0 }
        if revents & Int16(POLLNVAL) != 0 { throw .closed }
        let n = Glibc.read(fd.rawValue, buffer.baseAddress, buffer.count)
        if n > 0 { return n }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return 0 }
        // Readable but empty, or an error: the other end is gone (or the read failed for good).
        if n == 0 { throw .disconnected(path) }
        throw map(SystemError(call: "read", errno: errno))
    }

    public func close() {
        closed.store(true, ordering: .releasing)
    }

    private var isClosed: Bool { closed.load(ordering: .acquiring) }

    private func map(_ e: SystemError) -> TransportError {
        // A pty master reports EIO once its slave closes; a USB CDC-ACM tty does when unplugged.
        switch e.errno {
        case EIO, ENXIO, ENODEV, EPIPE: .disconnected(path)
        default: .io(e)
        }
    }
}
