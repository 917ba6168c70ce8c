import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server for one connection on 127.0.0.1: it reads the request head, answers `reply` byte for byte and closes.
/// With no reply it says nothing and keeps the connection open until it goes away (a silent edge). Given several
/// replies it answers one connection after another with them, in order; a held first reply waits for
/// ``release()`` (an edge slow to answer, for as long as the test wants).
final class CannedHTTPServer {
    let port: Int
    private let listener: Int32
    private let exchange = Exchange()

    struct Failure: Error { let call: String }

    convenience init(reply: String?) throws { try self.init(replies: [reply.map { Array($0.utf8) }], holdingFirst: false) }

    init(replies: [[UInt8]?], holdingFirst held: Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                bind(fd, a, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, a, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Failure(call: "bind")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let shared = exchange
        Thread.detachNewThread {
            for (n, reply) in replies.enumerated() {
                guard Self.serve(fd, reply, held && n == 0, shared) else { return }
            }
        }
    }

    deinit {
        exchange.released.signal()
        shutdown(listener, Int32(SHUT_RDWR))  // wakes an accept that still waits
        close(listener)
    }

    /// The latest request head as it arrived.
    var received: String { exchange.lock.withLock { exchange.request } }

    /// How many requests have arrived.
    var requestCount: Int { exchange.lock.withLock { exchange.requests } }

    /// Whether the next request's head arrived within `seconds`.
    func waitForRequest(seconds: Double) -> Bool { exchange.arrived.wait(timeout: .now() + seconds) == .success }

    /// A held reply goes out now.
    func release() { exchange.released.signal() }

    /// What the serving thread shares with the test.
    private final class Exchange: @unchecked Sendable {
        // @unchecked Sendable: `request` and `requests` are written by the serving thread and read, all under `lock`.
        let lock = NSLock()
        var request = ""
        var requests = 0
        let released = DispatchSemaphore(value: 0)
        let arrived = DispatchSemaphore(value: 0)
    }

    /// One connection; false when there is none to take (the server went away) or it was left unanswered.
    private static func serve(_ listener: Int32, _ reply: [UInt8]?, _ held: Bool, _ exchange: Exchange) -> Bool {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return false }
        defer { close(connection) }
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: head, as: UTF8.self).contains("\r\n\r\n") {
            let n = read(connection, &buffer, buffer.count)
            if n <= 0 { break }
            head += buffer[0..<n]
        }
        exchange.lock.withLock {
            exchange.request = String(decoding: head, as: UTF8.self)
            exchange.requests += 1
        }
        exchange.arrived.signal()
        guard let reply else {
            exchange.released.wait()
            return false
        }
        if held { exchange.released.wait() }
        var sent = 0
        while sent < reply.count {
            let n = reply[sent...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            if n <= 0 { return true }
            sent += n
        }
        return true
    }
}
