import Foundation
import MWP
import Simulator
import Synchronization
import Testing
@testable import Device

/// Collects a stream for assertions; tests wait on what it receives, never on a clock.
final class CollectingConsumer: StreamConsumer, @unchecked Sendable {
    let lock = NSCondition()
    var blocks: [SamplesPayload] = []
    var statuses: [DeviceStatus] = []
    var errors: [FrameError] = []
    var lost: TransportError?

    func samples(_ view: SamplesView) { changed { blocks.append(SamplesPayload(view)) } }
    func status(_ status: DeviceStatus) { changed { statuses.append(status) } }
    func log(level: UInt8, text: String) {}
    func frameError(_ error: FrameError) { changed { errors.append(error) } }
    func linkLost(_ error: TransportError) { changed { lost = error } }

    private func changed(_ body: () -> Void) {
        lock.withLock {
            body()
            lock.broadcast()
        }
    }

    var sampleCount: Int { lock.withLock { unlockedSampleCount } }
    private var unlockedSampleCount: Int { blocks.reduce(0) { $0 + Int($1.header.count) } }

    /// Waits until `n` samples arrived; `seconds` is only the last guard against a hang.
    func waitForSamples(_ n: Int, seconds: Double = 60) -> Bool {
        wait(seconds: seconds) { $0.unlockedSampleCount >= n }
    }

    /// Waits until the link is reported lost; `seconds` is only the last guard against a hang.
    func waitForLinkLoss(seconds: Double = 60) -> TransportError? {
        _ = wait(seconds: seconds) { $0.lost != nil }
        return lock.withLock { lost }
    }

    private func wait(seconds: Double, until done: (CollectingConsumer) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        lock.lock()
        defer { lock.unlock() }
        while !done(self) {
            if !lock.wait(until: deadline) { return done(self) }
        }
        return true
    }
}

@Suite struct SessionTests {
    func session(_ config: SimulatorConfig = SimulatorConfig()) -> (DeviceSession, SimulatorTransport) {
        let transport = SimulatorTransport(config: config)
        return (DeviceSession(transport: transport), transport)
    }

    @Test func identifiesConfiguresAndStreamsExactValues() throws {
        let (s, sim) = session()
        defer { s.close() }
        let id = try s.identify()
        #expect(id.serial == "MQ-SIM-0001")
        #expect(id.channels.map(\.name) == ["force", "displacement", "temperature", "ain3"])
        try s.configure(rateHz: 2000, channelMask: 0b1011)
        let consumer = CollectingConsumer()
        try s.start(into: consumer)
        #expect(consumer.waitForSamples(400))
        try s.stop()
        let truth = sim.withInstrument { $0 }
        var expectedIndex: UInt64 = 0
        for block in consumer.lock.withLock({ consumer.blocks }) {
            #expect(block.header.firstIndex == expectedIndex)
            #expect(block.header.deviceTimeUs >= 5_000_000)
            for i in 0..<Int(block.header.count) {
                let index = block.header.firstIndex + UInt64(i)
                let want = [0, 1, 3].map { truth.rawSample(channel: $0, index: index, rateHz: 2000) }
                #expect(Array(block.values[(i * 3)..<(i * 3 + 3)]) == want)
            }
            expectedIndex += UInt64(block.header.count)
        }
        #expect(consumer.errors.isEmpty)
    }

    @Test func refusesWhatFirmwareRefuses() throws {
        let (s, _) = session()
        defer { s.close() }
        try s.identify()
        #expect(throws: DeviceError.refused(.start, .notConfigured, "")) { try s.start(into: CollectingConsumer()) }
        #expect(throws: DeviceError.refused(.configure, .badArgument, "rate 200000 Hz is above the instrument's maximum of 100000 Hz")) {
            try s.configure(rateHz: 200_000, channelMask: 1)
        }
        #expect(throws: DeviceError.self) { try s.configure(rateHz: 1000, channelMask: 1 << 7) }
        try s.configure(rateHz: 1000, channelMask: 1)
        try s.start(into: CollectingConsumer())
        #expect(throws: DeviceError.refused(.configure, .busy, "")) { try s.configure(rateHz: 500, channelMask: 1) }
        try s.stop()
    }

    @Test func calibrationRoundTripAndPing() throws {
        let (s, _) = session()
        defer { s.close() }
        try s.identify()
        let factory = try s.readCalibration(channel: 0)
        #expect(factory.technician == "factory")
        #expect(abs(factory.coefficients[1] - 1.0 / 40_000) < 1e-15)
        let record = CalibrationRecord(channel: 0, degree: 2, coefficients: [0.1, 2.5e-5, 1e-12], calibratedAt: 1_800_000_000, technician: "j.doe")
        try s.writeCalibration(record)
        #expect(try s.readCalibration(channel: 0) == record)
        #expect(throws: DeviceError.refused(.getCalibration, .badArgument, "channel 9")) { try s.readCalibration(channel: 9) }
        let p = try s.ping()
        #expect(p.hostReceiveNs >= p.hostSendNs)
        #expect(p.deviceTimeUs >= 5_000_000)
    }

    @Test func injectedFaultsShowUpExactly() throws {
        var config = SimulatorConfig()
        config.faults.every[.drop] = 5
        config.faults.every[.corrupt] = 7
        let (s, _) = session(config)
        defer { s.close() }
        try s.identify()
        try s.configure(rateHz: 5000, channelMask: 1)
        let consumer = CollectingConsumer()
        try s.start(into: consumer)
        #expect(consumer.waitForSamples(5000))
        try s.stop()
        let blocks = consumer.lock.withLock { consumer.blocks }
        // 10 samples per frame at 5 kHz; frames 5, 10, … are dropped and 7, 14, … are corrupted.
        let received = Set(blocks.map { Int($0.header.firstIndex / 10) + 1 })
        let last = received.max()!
        for k in 1...last {
            let missing = k % 5 == 0 || k % 7 == 0
            #expect(received.contains(k) != missing, "frame \(k)")
        }
        let corrupted = (1...last).filter { $0 % 7 == 0 && $0 % 5 != 0 }.count
        #expect(consumer.errors.count == corrupted)
        #expect(s.decoderCounters.crcErrors == UInt64(corrupted))
    }

    @Test func disconnectReachesTheConsumer() throws {
        var config = SimulatorConfig()
        config.faults.disconnectAfterFrames = 3
        let (s, _) = session(config)
        defer { s.close() }
        try s.identify()
        try s.configure(rateHz: 1000, channelMask: 1)
        let consumer = CollectingConsumer()
        try s.start(into: consumer)
        #expect(consumer.waitForLinkLoss() == .disconnected("sim:MQ-SIM-0001"))
        #expect(consumer.sampleCount == 3 * 2)
        #expect(throws: DeviceError.self) { try s.stop() }
    }
}
