import Foundation
import MWP
import Simulator
import Testing

/// `mosquito info --json` renders the instrument through the one `InstrumentDescription` the API's
/// `/api/devices` also uses: the same keys, each channel with the calibration it holds.
@Suite struct InfoTests {
    @Test func infoJSONDescribesEveryChannelWithItsCalibration() throws {
        let options = ["channels": "2", "serial": "MQ-INFO-1"]
        let r = try Mosquito.run(["info", "--device", "sim?channels=2&serial=MQ-INFO-1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(Set(j.keys) == ["uri", "serial", "design", "hardwareRevision", "firmware", "maxRateHz", "channels"])
        let truth = SimulatedInstrument(config: try SimulatorConfig(options: options))
        #expect(j["serial"] as? String == "MQ-INFO-1")
        #expect(j["hardwareRevision"] as? Int == Int(truth.config.identity.hardwareRevision))
        let channels = try #require(j["channels"] as? [[String: Any]])
        #expect(channels.map { $0["index"] as? Int } == [0, 1])
        #expect(channels.map { $0["name"] as? String } == truth.config.identity.channels.map(\.name))
        for (i, c) in channels.enumerated() {
            let calibration = try #require(c["calibration"] as? [String: Any])
            #expect(calibration["coefficients"] as? [Double] == truth.calibrations[i].coefficients)
        }
    }
}
