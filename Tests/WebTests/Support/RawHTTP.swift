#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// HTTP/1.1 over a plain TCP socket with the request target sent byte for byte. URLSession (and most clients)
/// tidy `//x`, `/./x` or `/x/../x` before sending, which is exactly what the path-spelling tests must not do.
enum RawHTTP {
    struct Reply: CustomStringConvertible {
        var status: Int
        /// Header names lower-cased.
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
        var description: String { "\(status) \(text.prefix(200))" }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Gives up on a silent server only after this long: a last guard, never a wait.
    static let ioTimeoutSeconds = 120

    /// One request on its own connection. With `upgrade`, a WebSocket handshake (GET with the upgrade headers):
    /// after a 101 only the head is read and the socket closed. Otherwise `Connection: close` and the reply is
    /// read to its end (Content-Length, or until the server closes).
    static func send(
        port: Int, _ method: String, _ target: String, headers: [String: String] = [:], body: String? = nil,
        upgrade: Bool = false
    ) async throws -> Reply {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost:\(port)\r\n"
        if upgrade {
            head += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            head += "Sec-WebSocket-Version: 13\r\n"
        } else {
            head += "Connection: close\r\n"
        }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        let payload = Array((body ?? "").utf8)
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + payload
        let isHead = method == "HEAD"
        // Blocking socket calls belong on a Dispatch thread, never on one of Swift concurrency's few threads,
        // which the in-process server under test needs to answer.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try exchange(port: port, request: request, isHead: isHead) })
            }
        }
    }

    /// The live test server binds `localhost`, which on a stock Debian 12 (/etc/hosts names ::1 localhost too) may
    /// be ::1 alone: try every address the name has, as a browser does.
    static func connectToLocalhost(port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", String(port), &hints, &list) == 0, let first = list else {
            throw Failure(description: "localhost does not resolve")
        }
        defer { freeaddrinfo(first) }
        var lastErrno: Int32 = 0
        for candidate in sequence(first: first, next: { $0.pointee.ai_next }) {
            let info = candidate.pointee
            let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
            guard fd >= 0 else { lastErrno = errno; continue }
            if connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return fd }
            lastErrno = errno
            close(fd)
        }
        throw Failure(description: "connect to localhost:\(port): errno \(lastErrno)")
    }

    static func exchange(port: Int, request: [UInt8], isHead: Bool) throws -> Reply {
        let fd = try connectToLocalhost(port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: ioTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }

        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        /// False at the end of the stream (a reset after the reply counts as its end).
        func readMore() throws -> Bool {
            while true {
                let n = recv(fd, &chunk, chunk.count, 0)
                if n > 0 {
                    received += chunk[0..<n]
                    return true
                }
                if n == 0 || errno == ECONNRESET { return false }
                if errno == EINTR { continue }
                throw Failure(description: "recv: errno \(errno) (nothing for \(ioTimeoutSeconds) s?)")
            }
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = received.firstRange(of: separator)?.lowerBound
            if headEnd == nil, try !readMore() { break }
        }
        guard let headEnd else {
            throw Failure(description: "the connection closed before a whole reply head: \(String(decoding: received, as: UTF8.self))")
        }
        let lines = String(decoding: received[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "not an HTTP status line: \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = headEnd + separator.count
        if status == 101 || isHead || status == 204 || status == 304 {
            return Reply(status: status, headers: headers, body: [])
        }
        if let length = headers["content-length"].flatMap(Int.init) {
            while received.count < bodyStart + length, try readMore() {}
            return Reply(status: status, headers: headers, body: Array(received[bodyStart..<min(received.count, bodyStart + length)]))
        }
        while try readMore() {}
        return Reply(status: status, headers: headers, body: Array(received[bodyStart...]))
    }
}
