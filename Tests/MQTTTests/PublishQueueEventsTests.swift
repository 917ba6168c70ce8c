import Foundation
import Testing
import TestSupport

/// `--publish-queue` refuses data only: the `events` that say what it refused, and that the connection came
/// back, reach a subscriber across a broker outage (docs/mqtt.md, "Nothing slows acquisition").
@Suite(.serialized) struct PublishQueueEventsTests {
    /// A `stream` edge with a 5-message queue loses its broker. The outage lasts until the edge has tried to
    /// reconnect (libmosquitto waits a second first; the queue is full after half a second of data), seen by a
    /// listener the test holds on the broker's port. The edge is paused while the broker comes back, until the
    /// subscriber has subscribed again, so nothing the edge sends after reconnecting can pass it by. The
    /// subscriber then receives a `gap` event with cause `publish_queue_full` and a `reconnected` event.
    @Test func eventsPassTheQueueBoundAcrossAnOutage() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let ready = scratchPath("ready"), marker = scratchPath("data")
        let subscriber = try Processes.subscriber(broker, site: "lab10", h5: [], dataMarker: marker, ready: ready)
        defer { subscriber.process.terminate() }
        let edge = try Processes.Running(TestEnvironment.mosquito.path, [
            "stream", "--device", "sim?serial=MQ-QUEUE", "--rate", "1000", "--publish", broker.url(site: "lab10"),
            "--publish-password-file", broker.passwordFile, "--publish-queue", "5",
        ])
        let p = edge.process
        #expect(waitFor { FileManager.default.fileExists(atPath: marker) || !p.isRunning }, "\(edge.stderrText)")

        broker.vanish()
        let listener = try PortHolder(port: broker.port)
        // The edge's CONNECT carries its Will (its status topic); the subscriber's carries none.
        #expect(listener.waitForConnect(containing: "lab10/MQ-QUEUE/status", seconds: 60), "the edge never tried to reconnect")
        listener.close()
        kill(p.processIdentifier, SIGSTOP)
        try FileManager.default.removeItem(atPath: ready)
        try broker.relaunch()
        #expect(waitFor { FileManager.default.fileExists(atPath: ready) || !subscriber.process.isRunning })
        try FileManager.default.removeItem(atPath: marker)
        kill(p.processIdentifier, SIGCONT)
        // Data arriving again means the edge is connected, so a clean stop delivers what it has queued.
        #expect(waitFor { FileManager.default.fileExists(atPath: marker) || !p.isRunning }, "\(edge.stderrText)")
        p.interrupt()
        #expect(edge.finish().status == 0)

        let verdict = try #require(
            try JSONSerialization.jsonObject(with: Data(subscriber.finish().stdout.utf8)) as? [String: Any])
        let devices = try #require(verdict["devices"] as? [String: [String: Any]])
        let events = try #require(devices["MQ-QUEUE"]?["events"] as? [[String: Any]])
        let refused = events.filter { $0["event"] as? String == "gap" && $0["cause"] as? String == "publish_queue_full" }
        #expect(!refused.isEmpty, "\(events)")
        #expect(refused.allSatisfy { ($0["count"] as? Int ?? 0) > 0 }, "\(refused)")
        #expect(events.contains { $0["event"] as? String == "reconnected" }, "\(events)")
    }
}

/// A plain TCP listener on a port the broker left: it sees the clients' reconnection attempts (their CONNECT
/// packets) and closes each, so the outage goes on.
final class PortHolder {
    private let fd: Int32

    struct Failure: Error { let call: String }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            Glibc.close(fd)
            throw Failure(call: "bind/listen \(port)")
        }
    }

    /// Accepts connections until one's first bytes contain `text`; `seconds` is only the last guard.
    func waitForConnect(containing text: String, seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, 1000) > 0 else { continue }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { continue }
            defer { Glibc.close(connection) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            var reading = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            while bytes.count < 4096, poll(&reading, 1, 2000) > 0 {
                let n = read(connection, &buffer, buffer.count)
                if n <= 0 { break }
                bytes += buffer[0..<n]
                if String(decoding: bytes, as: UTF8.self).contains(text) { return true }
            }
        }
        return false
    }

    func close() { Glibc.close(fd) }
}
