import Foundation
import MWP
import Simulator
import Testing

/// `mosquito record --trigger`: the simulator's step on channel 0 (deterministic, noise included) starts the
/// recording; the file holds exactly `--duration` from the triggering sample on, and its events say where.
@Suite(.serialized) struct TriggerRecordTests {
    static let options = ["channels": "2", "seed": "3", "signal0": "step:2:0.5"]
    static let uri = "sim?channels=2&seed=3&signal0=step:2:0.5"

    /// The first index whose calibrated channel-0 value is at or above `level` after one below it.
    static func expectedTrigger(level: Double) throws -> UInt64 {
        let instrument = SimulatedInstrument(config: try SimulatorConfig(options: options))
        let value = { (i: UInt64) in instrument.calibrations[0].value(raw: instrument.rawSample(channel: 0, index: i, rateHz: 1000)) }
        var i: UInt64 = 1
        while !(value(i - 1) < level && value(i) >= level) { i += 1 }
        return i
    }

    @Test func theFileStartsAtTheTriggerAndHoldsTheDurationFromIt() throws {
        let t = try Self.expectedTrigger(level: 1)
        #expect((450...550).contains(t), "the step is at 0.5 s")
        let path = temporaryPath("trigger.h5")
        let r = try Mosquito.run([
            "record", "--device", Self.uri, "--rate", "1000", "--duration", "0.3", "--trigger", "0:rising:1",
            "--output", path, "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let file = try IndexRuleTests.Tables(path)
        #expect(file.index == Array(t..<t + 300))
        #expect(file.events.filter { $0.kind == "trigger" }.map(\.index) == [t])
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let d = (summary["devices"] as! [[String: Any]])[0]
        #expect(d["triggeredAtIndex"] as? Int == Int(t))
        #expect(d["samplesWritten"] as? Int == 300)
        #expect(d["samplesExpected"] as? Int == Int(t) + 300)
        #expect(d["samplesReceived"] as? Int == Int(t) + 300)
    }

    @Test func aBadTriggerIsOneLineAndNoFile() throws {
        for (trigger, error) in [
            ("0:sideways:1", "Error: --trigger '0:sideways:1': expected CHANNEL:rising|falling|above|below:LEVEL, e.g. 0:rising:1.5"),
            ("5:rising:1", "Error: \(Self.uri): the trigger's channel 5 is not among the recorded channels"),
        ] {
            let path = temporaryPath("bad-trigger.h5")
            let r = try Mosquito.run([
                "record", "--device", Self.uri, "--duration", "0.1", "--trigger", trigger, "--output", path,
            ])
            #expect(r.status == 1)
            #expect(r.errorLines == [error])
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
