import Acquisition
import Device
import Foundation
import Simulator
import Testing
@testable import Web

/// The stop-recording answer sums counts across devices: two devices near 2^64 must not trap the server.
@Suite struct RecordingStoppedTests {
    @Test func countsSummedAcrossDevicesSaturate() throws {
        let path = NSTemporaryDirectory() + "stopped-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hub = try StreamHub(uri: WebFixture.simURI, session: try DeviceOpener.simulated.openSession(WebFixture.simURI), softwareVersion: "test")
        defer { hub.shutdown() }
        try hub.startRecording(path: path, rateHz: 1000, durationSeconds: 0.05)
        // The recording ends on its own; the deadline only keeps a broken build from hanging the suite.
        let deadline = Date(timeIntervalSinceNow: 60)
        while !hub.recordingIsDone && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let real = try hub.stopRecording()
        // The same device twice, each claiming 2^64 - 2 samples and CRC errors: a hostile instrument's numbers.
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(real)) as? [String: Any])
        var device = try #require((json["devices"] as? [[String: Any]])?.first)
        for key in ["samplesReceived", "samplesWritten", "crcErrors"] { device[key] = UInt64.max - 1 }
        json["devices"] = [device, device]
        let crafted = try JSONDecoder().decode(RunSummary.self, from: JSONSerialization.data(withJSONObject: json))
        let stopped = RecordingStopped(device: "MQ-WEB-1", summary: crafted)
        #expect(stopped.samplesReceived == .max && stopped.samplesWritten == .max && stopped.crcErrors == .max)
    }
}
