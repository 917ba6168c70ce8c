import Foundation
import NIOCore
import Synchronization
import Testing

@testable import LSL

/// The outlet's own guarantees, on the wire, without a Python peer: port allocation, bad clients, gaps, shutdown.
/// No test counts threads: the outlet starts none (its sockets run on the caller's NIO event loops), and other
/// suites run in the same process.
@Suite(.serialized) struct OutletTests {
    /// A config whose range starts at a port this test holds: the outlet must take the next one, and fail with
    /// one line naming the range when there is none.
    @Test func portRangeTakenUsesTheNextOrFailsNamingTheRange() async throws {
        let (port, held) = try #require(Self.heldPort())
        var config = LSLConfig()
        config.ipv6 = .disable
        config.basePort = port
        config.portRange = 2
        let outlet = try await LSLOutlet.open(Fixtures.info(), config: config, log: LSLLog { _ in })
        #expect(outlet.info.v4DataPort == port + 1 && outlet.info.v4ServicePort == port + 1)
        config.portRange = 1
        await #expect(throws: LSLError.portRangeTaken(base: port, range: 1)) {
            try await LSLOutlet.open(Fixtures.info(), config: config, log: LSLLog { _ in })
        }
        #expect(LSLError.portRangeTaken(base: port, range: 2).description.contains("\(port)..\(port + 1)"))
        await outlet.close()
        // Closed means the ports are free again.
        #expect(RawSocket.hold(port: port + 1) != nil && RawSocket.hold(port: port + 1, udp: true) != nil)
        withExtendedLifetime(held) {}
    }

    /// Garbage on the data port: the connection is closed with one log line, and the outlet serves the next client.
    @Test func garbageOnTheDataPortIsLoggedAndHarmless() async throws {
        let lines = Mutex<[String]>([])
        let outlet = try await LSLOutlet.open(Fixtures.info(), config: Self.privateConfig(), log: LSLLog { line in lines.withLock { $0.append(line) } })
        let bad = try RawSocket.connect(port: outlet.info.v4DataPort)
        bad.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(bad.readUntilClosed() == [])
        let huge = try RawSocket.connect(port: outlet.info.v4DataPort)
        huge.send(String(repeating: "x", count: 70_000))
        #expect(huge.readUntilClosed() == [])
        let good = try RawSocket.connect(port: outlet.info.v4DataPort)
        good.send("LSL:fullinfo\r\n")
        #expect(String(decoding: good.readUntilClosed() ?? [], as: UTF8.self) == outlet.info.fullinfo)
        let logged = lines.withLock { $0 }
        #expect(logged.contains { $0.contains("unknown request line \"GET / HTTP/1.1\"") }, "\(logged)")
        #expect(logged.contains { $0.contains("no complete request") }, "\(logged)")
        await outlet.close()
    }

    /// On the wire: after an index gap the sample carries its stamp even when the stamps run on as if nothing
    /// was missing; within a run the stamp is deduced (tag 1).
    @Test func anIndexGapIsATransmittedStampOnTheWire() async throws {
        let outlet = try await LSLOutlet.open(Fixtures.info(channels: 1), config: Self.privateConfig(), log: LSLLog { _ in })
        let feed = try RawSocket.connect(port: outlet.info.v4DataPort)
        feed.send("LSL:streamfeed/110 \(outlet.info.uid)\r\nMax-Buffer-Length: 100\r\n\r\n")
        #expect(feed.readHeader().hasPrefix("LSL/110 200 OK\r\nUID: \(outlet.info.uid)\r\n"))
        #expect(feed.read(2 * 13).count == 26)  // the two test patterns, 1 channel of float32 with stamps
        #expect(outlet.hasConsumers)
        let t = (0..<4).map { 50.0 + Double($0) / 250 }
        try outlet.push(.float32([0, 1, 2, 3]), timestamps: t, indices: [10, 11, 15, 16])
        let bytes = feed.read(13 + 5 + 13 + 5)
        #expect(bytes.count == 36)
        #expect([bytes[0], bytes[13], bytes[18], bytes[31]] == [2, 1, 2, 1])
        await outlet.close()
        #expect(feed.readUntilClosed() == [])  // closed by the outlet
        #expect(throws: LSLError.closed) { try outlet.push(.float32([0]), timestamps: [1]) }
        #expect(outlet.inlets.map(\.connected) == [false])
    }

    @Test func pushesThatDoNotFitTheStreamAreRefused() async throws {
        let outlet = try await LSLOutlet.open(Fixtures.info(), config: Self.privateConfig(), log: LSLLog { _ in })
        #expect(throws: LSLError.self) { try outlet.push(.double64([1, 2, 3, 4]), timestamps: [1]) }
        #expect(throws: LSLError.self) { try outlet.push(.float32([1, 2, 3]), timestamps: [1]) }
        #expect(throws: LSLError.self) { try outlet.push(.float32([1, 2, 3, 4]), timestamps: [.nan]) }
        #expect(throws: LSLError.self) { try outlet.push(.float32([1, 2, 3, 4]), timestamps: [1], indices: [1, 2]) }
        try outlet.push(.float32([1, 2, 3, 4]), timestamps: [1])
        await outlet.close()
    }

    /// Closing ends every connection, whatever state it is in, and releases the port: a client that never sent a
    /// request, one halfway through a request, and a feed.
    @Test func closeEndsEveryConnection() async throws {
        let outlet = try await LSLOutlet.open(Fixtures.info(), config: Self.privateConfig(), log: LSLLog { _ in })
        let port = outlet.info.v4DataPort
        let idle = try RawSocket.connect(port: port)
        let half = try RawSocket.connect(port: port)
        half.send("LSL:shortinfo\r\n")
        let feed = try RawSocket.connect(port: port)
        feed.send("LSL:streamfeed/110\r\nMax-Buffer-Length: 10\r\n\r\n")
        _ = feed.readHeader()
        #expect(feed.read(2 * 25).count == 50)  // 4 channels of float32 and a stamp, twice
        await outlet.close()
        #expect(idle.readUntilClosed() == [] && half.readUntilClosed() == [] && feed.readUntilClosed() == [])
        #expect(throws: POSIXError.self) { try RawSocket.connect(port: port) }
    }

    /// Discovery on a port of its own, so these tests neither answer nor disturb resolvers on the real one.
    static func privateConfig() -> LSLConfig {
        var c = LSLConfig()
        c.multicastPort = 16_499
        return c
    }

    /// Two consecutive free ports, the first held by a TCP listener and a UDP socket.
    static func heldPort() -> (Int, [RawSocket])? {
        for port in stride(from: 41_000, to: 42_000, by: 7) {
            guard let tcp = RawSocket.hold(port: port), let udp = RawSocket.hold(port: port, udp: true) else { continue }
            guard RawSocket.hold(port: port + 1) != nil, RawSocket.hold(port: port + 1, udp: true) != nil else { continue }
            return (port, [tcp, udp])
        }
        return nil
    }
}
