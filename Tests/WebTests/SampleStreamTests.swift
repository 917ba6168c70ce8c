import Foundation
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import NIOCore
import Signal
import Simulator
import Device
import Synchronization
import Testing
@testable import Web

final class Collected: Sendable {
    let messages = Mutex<[SampleFrameLayout.Decoded]>([])
}

@Suite("sample stream", .serialized)
struct SampleStreamTests {
    static let uri = "sim?channels=16&serial=MQ-WS-16&seed=5"

    /// Collects decoded messages until `frames` samples have arrived (or, as a last guard, 180 s pass).
    static func collect(_ client: some TestClientProtocol, path: String, frames: Int) async throws -> [SampleFrameLayout.Decoded] {
        let received = Collected()
        var config = WebSocketClientConfiguration()
        config.maxFrameSize = 1 << 20
        try await client.ws(path, configuration: config) { inbound, outbound, _ in
            let deadline = ContinuousClock.now + .seconds(180)
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .binary(let buffer) = message, let d = SampleFrameLayout.decode(Array(buffer.readableBytesView)) else {
                    Issue.record("a sample message did not decode")
                    break
                }
                let total = received.messages.withLock { $0.append(d); return $0.reduce(0) { $0 + $1.indices.count } }
                if total >= frames || ContinuousClock.now > deadline { break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return received.messages.withLock { $0 }
    }

    @Test("2 s of 16 channels at 1 kS/s, full rate: every index once, in order, with the simulator's exact values")
    func fullRate() async throws {
        let f = try await WebFixture.make(devices: [Self.uri], streamRate: 1000, demoLedger: false)
        let truth = SimulatedInstrument(config: try SimulatorConfig(options: ["channels": "16", "serial": "MQ-WS-16", "seed": "5"]))
        try await f.server.makeApplication().test(.live) { client in
            let messages = try await Self.collect(client, path: "/ws/devices/MQ-WS-16", frames: 2000)
            let indices = messages.flatMap(\.indices)
            #expect(indices.count >= 2000)
            #expect(messages.allSatisfy { $0.channels == 16 })
            #expect(messages.reduce(0) { $0 + $1.missed } == 0)
            let first = try #require(indices.first)
            #expect(indices == Array(first..<(first + UInt64(indices.count))), "indices complete and in order")
            var mismatches = 0
            for m in messages {
                for (f, index) in m.indices.enumerated() {
                    for c in 0..<16 where m.values[f * 16 + c] != truth.rawSample(channel: c, index: index, rateHz: 1000) {
                        mismatches += 1
                    }
                }
            }
            #expect(mismatches == 0)
            // Device time advances by exactly one period per sample.
            let times = messages.flatMap(\.deviceTimesNs)
            #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == 1_000_000 })
        }
        await f.tearDown()
    }

    /// Device → WebSocket-client latency of each message's newest sample, on the simulator's own clock (the
    /// simulated device time is the host's monotonic clock plus a fixed boot offset, so "now" on the device is
    /// exact). Prints p50/p99 for the README; asserts only what must hold on any machine.
    @Test("no message carries a sample from the future (latency printed for the README, never asserted)")
    func latency() async throws {
        let f = try await WebFixture.make(devices: [Self.uri], streamRate: 1000, demoLedger: false)
        let transport = try #require(f.server.devices[0].session.transport as? SimulatorTransport)
        let latencies = Mutex<[Double]>([])
        _ = try await f.server.makeApplication().test(.live) { client in
            try await client.ws("/ws/devices/MQ-WS-16") { inbound, outbound, _ in
                var frames = 0
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .binary(let buffer) = message, let d = SampleFrameLayout.decode(Array(buffer.readableBytesView)),
                        let newest = d.deviceTimesNs.last
                    else { continue }
                    let nowNs = Double(transport.deviceNowUs()) * 1000
                    latencies.withLock { $0.append((nowNs - Double(newest)) / 1e6) }
                    frames += d.indices.count
                    if frames >= 5000 { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
        await f.tearDown()
        let sorted = latencies.withLock { $0 }.sorted()
        // Under load messages coalesce into bigger batches, so only "some" is certain.
        #expect(!sorted.isEmpty)
        // The newest sample cannot be from the future (1 µs: device time is whole microseconds).
        #expect((sorted.first ?? -1) > -0.001)
        let p50 = sorted[sorted.count / 2], p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        print("device→client latency at 16 ch × 1 kS/s over \(sorted.count) messages: p50 \(String(format: "%.2f", p50)) ms, p99 \(String(format: "%.2f", p99)) ms, max \(String(format: "%.2f", sorted.last!)) ms")
    }

    @Test("a device that repeats and reorders frames: each index reaches a client once, in order, never inside a gap")
    func repeatedFramesReachAClientOnce() async throws {
        let uri = "sim?channels=2&serial=MQ-WS-DUP&repeat_every=3&late_every=5"
        let f = try await WebFixture.make(devices: [uri], streamRate: 1000, demoLedger: false)
        try await f.server.makeApplication().test(.live) { client in
            let messages = try await Self.collect(client, path: "/ws/devices/MQ-WS-DUP", frames: 600)
            let indices = messages.flatMap(\.indices)
            #expect(indices.count >= 600)
            #expect(zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 }, "strictly increasing: no index twice, none backwards")
            // Every 5th frame arrives after its successor: its 2 samples are a proven gap, never delivered late.
            #expect(indices.count < Int(indices.last! - indices.first! + 1), "late frames' samples stay missing")
        }
        let status = f.server.devices[0].status()
        #expect(status.samplesLost > 0)
        await f.tearDown()
    }

    @Test("?every=N sends every Nth sample; a bad N is refused")
    func everyNth() async throws {
        let f = try await WebFixture.make(devices: [Self.uri], streamRate: 1000, demoLedger: false)
        try await f.server.makeApplication().test(.live) { client in
            let messages = try await Self.collect(client, path: "/ws/devices/MQ-WS-16?every=10", frames: 100)
            let indices = messages.flatMap(\.indices)
            #expect(indices.count >= 100)
            #expect(indices.allSatisfy { $0 % 10 == 0 })
            let first = try #require(indices.first)
            #expect(indices == stride(from: first, to: first + UInt64(indices.count * 10), by: 10).map { $0 })
            let bad = try await client.execute(uri: "/ws/devices/MQ-WS-16?every=0", method: .get)
            #expect(bad.status == .badRequest)
        }
        await f.tearDown()
    }

    @Test("a refused upgrade answers with the route's own status and JSON error: 404 unknown device, 400 bad N, 401 no token")
    func refusedUpgrades() async throws {
        let f = try await WebFixture.make(devices: [Self.uri], streamRate: nil, demoLedger: false)
        let guarded = WebServer(
            configuration: .init(host: "127.0.0.1", port: 0, requireTokensForReads: true), devices: f.server.devices,
            ledger: nil, tokens: f.server.tokens, recordings: f.server.recordings, calibrationHistory: f.server.calibrationHistory)
        let viewer = ["Authorization": "Bearer \(f.tokens[.viewer]!)"]
        try await guarded.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let cases: [(String, [String: String], Int, String)] = [
                ("/ws/devices/NO-SUCH-DEVICE", viewer, 404, "not_found"),
                ("/ws/devices/MQ-WS-16?every=0", viewer, 400, "bad_request"),
                ("/ws/devices/MQ-WS-16", [:], 401, "unauthorized"),
                ("/ws/devices/MQ-WS-16?token=mq_wrong", [:], 401, "unauthorized"),
            ]
            for (target, headers, status, code) in cases {
                let reply = try await RawHTTP.send(port: port, "GET", target, headers: headers, upgrade: true)
                #expect(reply.status == status, "\(target): \(reply)")
                #expect(reply.json?["error"] as? String == code, "\(target): \(reply)")
                #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true, "\(target)")
            }
            #expect(try await RawHTTP.send(port: port, "GET", "/ws/devices/NO-SUCH-DEVICE", headers: viewer, upgrade: true)
                .text.contains("NO-SUCH-DEVICE"), "the message names the device")
            // The control: the same handshake to the device that exists is upgraded.
            #expect(try await RawHTTP.send(port: port, "GET", "/ws/devices/MQ-WS-16", headers: viewer, upgrade: true).status == 101)
            // A handshake names only a stream: one aimed at a write route runs nothing, even with a token that may.
            let operatorToken = ["Authorization": "Bearer \(f.tokens[.operator]!)"]
            let start = try await RawHTTP.send(port: port, "POST", "/api/devices/MQ-WS-16/start", headers: operatorToken, upgrade: true)
            #expect(start.status != 101 && !(200..<300).contains(start.status), "\(start)")
            #expect(f.server.devices[0].status().mode == .idle, "the handshake did not start the device")
            // A plain GET (no upgrade) to the stream gets the same answers, and is told to upgrade, not given an empty 200.
            #expect(try await RawHTTP.send(port: port, "GET", "/ws/devices/NO-SUCH-DEVICE", headers: viewer).status == 404)
            let plain = try await RawHTTP.send(port: port, "GET", "/ws/devices/MQ-WS-16", headers: viewer)
            #expect(plain.status == 400 && plain.text.contains("Upgrade: websocket"), "\(plain)")
        }
        await f.tearDown()
    }

    @Test("a client that never reads costs a bounded ring, and its losses are counted, not buffered")
    func slowClientIsBounded() throws {
        let ring = Signal.FrameRing(capacity: 1 << 10, channelCount: 2, policy: .keepNewest)
        // Publish 10× the ring's capacity without reading.
        let indices = [UInt64](0..<10_240), times = [UInt64](repeating: 0, count: 10_240), values = [Int32](repeating: 7, count: 20_480)
        indices.withUnsafeBufferPointer { i in times.withUnsafeBufferPointer { t in values.withUnsafeBufferPointer { v in
            ring.writeDroppingOldest(Signal.FrameSpan(indices: i, deviceTimesNs: t, values: v, channelCount: 2))
        } } }
        var sender = SampleSender(ring: ring, every: 1)
        let messages = sender.drain().compactMap { SampleFrameLayout.decode($0) }
        let got = messages.flatMap(\.indices)
        #expect(got == Array(UInt64(10_240 - 1024)..<10_240), "only the newest ring-full survives")
        #expect(messages.first?.missed == 10_240 - 1024)
        _ = (indices, times, values)
    }

    @Test("a stall longer than the ring's gap records still reports every frame it lost")
    func everyLostFrameIsCounted() throws {
        let ring = Signal.FrameRing(capacity: 1 << 10, channelCount: 1, policy: .keepNewest)
        // The simulator's 2-sample frames, one write each: every write past the first ring-full drops two frames
        // and queues one gap record, far more records than the ring keeps.
        let times = [UInt64](repeating: 0, count: 2), values = [Int32](repeating: 7, count: 2)
        for first in stride(from: UInt64(0), to: 10_240, by: 2) {
            let indices = [first, first + 1]
            indices.withUnsafeBufferPointer { i in times.withUnsafeBufferPointer { t in values.withUnsafeBufferPointer { v in
                ring.writeDroppingOldest(Signal.FrameSpan(indices: i, deviceTimesNs: t, values: v, channelCount: 1))
            } } }
        }
        #expect(ring.lostGapRecordCount > 0)
        var sender = SampleSender(ring: ring, every: 1)
        let messages = sender.drain().compactMap { SampleFrameLayout.decode($0) }
        #expect(messages.flatMap(\.indices) == Array(UInt64(10_240 - 1024)..<10_240))
        #expect(messages.first?.missed == 10_240 - 1024)
    }
}
