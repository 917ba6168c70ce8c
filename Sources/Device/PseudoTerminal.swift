#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair: the simulator holds the master, a client opens `path` as if it were /dev/ttyACM0.
public final class PseudoTerminal {
    public let master: FileDescriptor
    /// Held open so the master never sees EIO between clients: a client may close and reopen the port.
    public let slave: FileDescriptor
    public let path: String

    public init() throws(SystemError) {
        var m: Int32 = -1
        var s: Int32 = -1
        _ = try syscall("openpty") { openpty(&m, &s, nil, nil, nil) }
        // Owners first, so every exit below closes both ends.
        master = FileDescriptor(owning: m)
        slave = FileDescriptor(owning: s)
        path = try Self.configure(master: m, slave: s)
    }

    private static func configure(master m: Int32, slave s: Int32) throws(SystemError) -> String {
        guard let name = ttyname(s) else { throw SystemError(call: "ttyname", errno: errno) }
        let flags = try syscall("fcntl") { fcntl(m, F_GETFL) }
        _ = try syscall("fcntl") { fcntl(m, F_SETFL, flags | O_NONBLOCK) }
        _ = try syscall("fcntl") { fcntl(m, F_SETFD, FD_CLOEXEC) }
        _ = try syscall("fcntl") { fcntl(s, F_SETFD, FD_CLOEXEC) }
        try SerialPort.makeRaw(s)
        return String(cString: name)
    }
}
