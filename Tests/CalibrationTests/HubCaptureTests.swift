import Acquisition
import Calibration
import Device
import Foundation
import Simulator
import Testing

/// Calibration takes its points as one more subscriber of a hub's stream (as `serve` would), beside the live views.
@Suite struct HubCaptureTests {
    @Test func aPointIsTakenFromOneColumnOfAStreamingHub() throws {
        let uri = "sim?channels=2&serial=MQ-CAL-HUB"
        let hub = try StreamHub(uri: uri, session: try DeviceOpener.simulated.openSession(uri), softwareVersion: "test")
        defer { hub.shutdown() }
        let capture = PointCapture(subscribingTo: hub.outlets, column: 1, blockSize: 50)
        #expect(hub.status().liveClients == 1, "the capture is a subscriber like any other")
        try hub.startStreaming(rateHz: 1000)
        let point = try capture.capture(samples: 300, timeoutSeconds: 60)
        #expect(point.stats.count == 300)
        #expect(point.lost == hub.status().samplesLost, "an in-process simulator loses nothing, and neither did the capture")
        #expect(capture.live != nil)
    }
}
