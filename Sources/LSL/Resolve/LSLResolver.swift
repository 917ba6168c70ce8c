#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A query sender, as liblsl's resolver: asks outlets which of their streams match an XPath query, along the
/// paths given, and collects the answers for a while. Blocking (plain sockets, `poll`): it is for commands such
/// as `mosquito lsl list` and `doctor`, not for an event loop.
public enum LSLResolver {
    /// What one path brought back: the streams that answered along it, or why nothing could be sent.
    public struct Answer: Sendable, Equatable {
        public var path: LSLResolvePath
        public var streams: [LSLResolvedStream]
        public var failure: String?
    }

    /// Sends `query` along every path at once and collects replies for `wait` seconds. `ttl` is the multicast
    /// hop limit (the scope's, from the configuration).
    public static func probe(query: String, paths: [LSLResolvePath], wait: Double, ttl: Int = 1) -> [Answer] {
        var answers = paths.map { Answer(path: $0, streams: [], failure: nil) }
        var pending: [(answer: Int, fd: Int32, queryID: String?)] = []
        for (i, path) in paths.enumerated() {
            let queryID = String(UInt32.random(in: 1...UInt32.max))
            switch path.transport {
            case .udp:
                switch sendDatagram(path, query: query, queryID: queryID, ttl: ttl) {
                case .success(let fd): pending.append((i, fd, queryID))
                case .failure(let why): answers[i].failure = why.message
                }
            case .tcp:
                switch connectAndAsk(path, query: query) {
                case .success(let fd): pending.append((i, fd, nil))
                case .failure(let why): answers[i].failure = why.message
                }
            }
        }
        var received = [Int32: [UInt8]]()
        let deadline = Date(timeIntervalSinceNow: wait)
        var open = pending
        while !open.isEmpty {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { break }
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(left * 1000) + 1)
            if ready < 0 && errno != EINTR { break }
            var closed: Set<Int32> = []
            for (k, p) in fds.enumerated() where p.revents != 0 {
                let entry = open[k]
                let path = paths[entry.answer]
                var buffer = [UInt8](repeating: 0, count: 65536)
                var from = sockaddr_storage()
                var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let n = withUnsafeMutablePointer(to: &from) { f in
                    f.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(entry.fd, &buffer, buffer.count, 0, $0, &fromLength) }
                }
                if path.transport == .tcp {
                    if n > 0 { received[entry.fd, default: []] += buffer[0..<n] } else { closed.insert(entry.fd) }
                    continue
                }
                guard n > 0 else { continue }
                let text = String(decoding: buffer[0..<n], as: UTF8.self)
                guard let newline = text.range(of: "\r\n"), text[..<newline.lowerBound] == entry.queryID ?? "",
                    let stream = LSLResolvedStream(
                        shortinfo: String(text[newline.upperBound...]),
                        address: LSLSocketAddress(storage: from, length: fromLength).host)
                else { continue }
                if !answers[entry.answer].streams.contains(where: { $0.uid == stream.uid }) {
                    answers[entry.answer].streams.append(stream)
                }
            }
            for fd in closed {
                guard let k = open.firstIndex(where: { $0.fd == fd }) else { continue }
                if let stream = tcpReply(received[fd], from: paths[open[k].answer]) { answers[open[k].answer].streams.append(stream) }
                close(fd)
                open.remove(at: k)
            }
        }
        for entry in open {
            // A data port that answered and kept the connection open still answered.
            if let stream = tcpReply(received[entry.fd], from: paths[entry.answer]) { answers[entry.answer].streams.append(stream) }
            close(entry.fd)
        }
        return answers
    }

    /// Every stream that answered along any path, once each (by uid).
    public static func resolve(query: String, paths: [LSLResolvePath], wait: Double, ttl: Int = 1) -> [LSLResolvedStream] {
        var seen: [LSLResolvedStream] = []
        for answer in probe(query: query, paths: paths, wait: wait, ttl: ttl) {
            for s in answer.streams where !seen.contains(where: { $0.uid == s.uid }) { seen.append(s) }
        }
        return seen
    }

    struct Failure: Error { let message: String }

    /// A data port's shortinfo reply: the document alone, no query id.
    private static func tcpReply(_ bytes: [UInt8]?, from path: LSLResolvePath) -> LSLResolvedStream? {
        let text = String(decoding: bytes ?? [], as: UTF8.self)
        guard let start = text.range(of: "<?xml") ?? text.range(of: "<info>") else { return nil }
        return LSLResolvedStream(shortinfo: String(text[start.lowerBound...]), address: path.host)
    }

    private static func sendDatagram(_ path: LSLResolvePath, query: String, queryID: String, ttl: Int) -> Result<Int32, Failure> {
        guard let target = LSLSocketAddress(host: path.host, port: path.port) else {
            return .failure(Failure(message: "\(path.host) is not a numeric IPv4 or IPv6 address"))
        }
        let fd = socket(target.family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return .failure(Failure(message: "no socket: \(String(cString: strerror(errno)))")) }
        var one: Int32 = 1
        var hops = Int32(max(0, ttl))
        let size = socklen_t(MemoryLayout<Int32>.size)
        if target.family == AF_INET {
            setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, size)
            setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_TTL, &hops, size)
            setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_LOOP, &one, size)
            if let interface = path.interface {
                var address = in_addr()
                if inet_pton(AF_INET, interface, &address) == 1 {
                    setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_IF, &address, socklen_t(MemoryLayout<in_addr>.size))
                }
            }
        } else {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_MULTICAST_HOPS, &hops, size)
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_MULTICAST_LOOP, &one, size)
        }
        // The return port is this socket's own: replies come back to it, and only to it.
        guard let any = LSLSocketAddress(host: target.family == AF_INET ? "0.0.0.0" : "::", port: 0),
            any.withSockaddr({ bind(fd, $0, $1) }) == 0
        else {
            close(fd)
            return .failure(Failure(message: "cannot bind: \(String(cString: strerror(errno)))"))
        }
        var local = sockaddr_storage()
        var localLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &local) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &localLength) } }
        let returnPort = Int(UInt16(bigEndian: withUnsafeBytes(of: &local) { $0.load(fromByteOffset: 2, as: UInt16.self) }))
        let message = Array("LSL:shortinfo\r\n\(query)\r\n\(returnPort) \(queryID)\r\n".utf8)
        let sent = target.withSockaddr { sendto(fd, message, message.count, 0, $0, $1) }
        guard sent == message.count else {
            let why = String(cString: strerror(errno))
            close(fd)
            return .failure(Failure(message: "cannot send: \(why)"))
        }
        return .success(fd)
    }

    private static func connectAndAsk(_ path: LSLResolvePath, query: String) -> Result<Int32, Failure> {
        guard let target = LSLSocketAddress(host: path.host, port: path.port) else {
            return .failure(Failure(message: "\(path.host) is not a numeric IPv4 or IPv6 address"))
        }
        let fd = socket(target.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure(Failure(message: "no socket: \(String(cString: strerror(errno)))")) }
        // Connect with a bound wait: a host that drops packets would otherwise hold the command for minutes.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let started = target.withSockaddr { connect(fd, $0, $1) }
        if started != 0 && errno != EINPROGRESS {
            let why = String(cString: strerror(errno))
            close(fd)
            return .failure(Failure(message: "cannot connect: \(why)"))
        }
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var error: Int32 = 0
        var errorLength = socklen_t(MemoryLayout<Int32>.size)
        if poll(&p, 1, 2000) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &errorLength) != 0 || error != 0 {
            close(fd)
            return .failure(Failure(message: error != 0 ? "cannot connect: \(String(cString: strerror(error)))" : "connect timed out"))
        }
        _ = fcntl(fd, F_SETFL, flags)
        let message = Array("LSL:shortinfo\r\n\(query)\r\n".utf8)
        guard send(fd, message, message.count, Int32(MSG_NOSIGNAL)) == message.count else {
            close(fd)
            return .failure(Failure(message: "cannot send: \(String(cString: strerror(errno)))"))
        }
        return .success(fd)
    }
}
