import Foundation

/// A blocking TCP client or listener on 127.0.0.1 for the wire-level tests. A receive timeout is the last guard
/// against a hang, not a way of waiting: every read waits for bytes or the peer's close.
final class RawSocket {
    let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    static func connect(port: Int) throws -> RawSocket {
        let s = RawSocket(fd: socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0))
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = loopback(port)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(s.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return s
    }

    /// A TCP listener (or UDP socket) holding a port, to make it unavailable to an outlet.
    static func hold(port: Int, udp: Bool = false) -> RawSocket? {
        let s = RawSocket(fd: socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0))
        var addr = loopback(port)
        addr.sin_addr.s_addr = INADDR_ANY
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, udp || listen(s.fd, 1) == 0 else { return nil }
        return s
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    func send(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }

    /// Reads until `count` bytes arrived, or until the peer closes (then fewer).
    func read(_ count: Int = .max) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while out.count < count {
            let n = recv(fd, &chunk, min(chunk.count, count - out.count), 0)
            if n <= 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    /// Everything until the peer closes (or resets) the connection; nil if the receive timeout struck first, i.e.
    /// the connection was left open.
    func readUntilClosed() -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n > 0 { out += chunk[0..<n]; continue }
            if n == 0 || errno == ECONNRESET { return out }
            return nil
        }
    }

    /// Reads up to and including the blank line ending a header.
    func readHeader() -> String {
        var out: [UInt8] = []
        while !out.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
            let b = read(1)
            if b.isEmpty { break }
            out += b
        }
        return String(decoding: out, as: UTF8.self)
    }

    deinit { close(fd) }
}
