#if canImport(Glibc)
import Glibc
#endif

/// Puts a tty into raw binary mode: no echo, no line discipline, no flow control, 8N1.
///
/// CDC-ACM ignores the baud rate, and a pseudo-terminal has none, so it is set only for real UARTs' sake.
enum SerialPort {
    static func makeRaw(_ fd: Int32, baud: speed_t = speed_t(B115200)) throws(SystemError) {
        var t = termios()
        _ = try syscall("tcgetattr") { tcgetattr(fd, &t) }
        cfmakeraw(&t)
        t.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
        t.c_cflag &= ~tcflag_t(CRTSCTS)
        t.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
        // Reads are driven by poll(), so read() returns whatever is there at once.
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        _ = try syscall("cfsetspeed") { cfsetspeed(&t, baud) }
        _ = try syscall("tcsetattr") { tcsetattr(fd, TCSANOW, &t) }
        _ = try syscall("tcflush") { tcflush(fd, TCIOFLUSH) }
    }
}
