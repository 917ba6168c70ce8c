#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection with bounded waits, for the command-line resolver and the markers inlet.
final class LSLTCPSocket {
    let fd: Int32

    init(host: String, port: Int, timeout: Double) throws(LSLFeedError) {
        guard let target = LSLSocketAddress(host: host, port: port) else {
            throw LSLFeedError(description: "\(host) is not a numeric IPv4 or IPv6 address")
        }
        fd = socket(target.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LSLFeedError(description: "no socket: \(String(cString: strerror(errno)))") }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if target.withSockaddr({ connect(fd, $0, $1) }) != 0 && errno != EINPROGRESS {
            let why = String(cString: strerror(errno))
            close(fd)
            throw LSLFeedError(description: "cannot connect to \(host):\(port): \(why)")
        }
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if poll(&p, 1, Int32(timeout * 1000)) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0 {
            close(fd)
            throw LSLFeedError(description: "cannot connect to \(host):\(port): \(error != 0 ? String(cString: strerror(error)) : "timed out")")
        }
        _ = fcntl(fd, F_SETFL, flags)
    }

    func send(_ text: String) throws(LSLFeedError) {
        let bytes = Array(text.utf8)
        guard Glibc.send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw LSLFeedError(description: "cannot send: \(String(cString: strerror(errno)))")
        }
    }

    /// Bytes that arrived within `timeout` seconds: empty if none did; nil once the peer closed.
    func receive(timeout: Double) -> [UInt8]? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(max(0, timeout) * 1000)) == 1 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? Array(buffer[0..<n]) : nil
    }

    deinit { close(fd) }
}
