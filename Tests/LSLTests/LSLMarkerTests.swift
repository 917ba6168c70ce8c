@testable import LSLBridge
import Foundation
import Testing

/// A marker is one JSON object, `event` first, whose numbers are JSON numbers a script compares as numbers.
@Suite struct LSLMarkerTests {
    @Test func aClockMarkersDriftIsASignedNumber() throws {
        for (ppm, expected) in [(-1.2346, -1235), (0.0, 0), (42.0, 42_000)] {
            let marker = LSLMarker("clock", [("drift_ppb", LSLDevicePublisher.partsPerBillion(ppm))])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(marker.json.utf8)) as? [String: Any])
            #expect(object["drift_ppb"] as? Int == expected, "\(marker.json)")
        }
        #expect(LSLDevicePublisher.partsPerBillion(.nan) == .text("unknown"))
        #expect(LSLDevicePublisher.partsPerBillion(1e300) == .text("unknown"))
        #expect(LSLMarker("clock", [("drift_ppb", .signed(-7))]).json == #"{"event":"clock","drift_ppb":-7}"#)
    }
}
