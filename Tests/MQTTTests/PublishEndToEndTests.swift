import Foundation
import Testing
import TestSupport

/// `mosquito record --publish` against a real mosquitto, judged by an independent paho-mqtt subscriber that
/// knows only docs/mqtt.md, and by h5py reading the local recording.
@Suite(.serialized) struct PublishEndToEndTests {
    /// Over TLS with a password: what arrives equals the recording sample for sample; meta, summary, status and
    /// events say what the docs say.
    @Test func subscriberReceivesTheRecordingSampleForSample() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("edge.h5")
        let subscriber = try Processes.subscriber(broker, site: "lab1", h5: [output])
        let run = try Processes.mosquito([
            "record", "--device", "sim?seed=7", "--duration", "3", "--rate", "1000", "--output", output,
            "--publish", "mqtts://\(TestBroker.user)@127.0.0.1:\(broker.tlsPort)/lab1", "--publish-ca", broker.caFile,
            "--publish-password-file", broker.passwordFile,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let verdict = try parse(subscriber.finish())
        #expect(verdict["finished"] as? Bool == true)
        let devices = try #require(verdict["devices"] as? [String: [String: Any]])
        #expect(devices.count == 1)
        let device = try #require(devices.values.first)
        #expect(device["h5_rows"] as? Int == 3000)
        #expect(device["frames"] as? Int == 3000)
        #expect(device["index_equal"] as? Bool == true)
        #expect(device["device_time_equal"] as? Bool == true)
        #expect(device["raw_equal"] as? Bool == true)
        #expect(device["host_time_close"] as? Bool == true)
        #expect(device["summary_matches_file"] as? Bool == true)
        #expect(device["meta_channels_match"] as? Bool == true)
        #expect(device["sequences_in_order"] as? Bool == true)
        // About ten data messages a second, every one naming the meta it belongs to.
        let messages = try #require(device["messages"] as? Int)
        #expect(messages >= 15 && messages <= 60)
        let meta = try #require(device["meta"] as? [String: Any])
        #expect(device["meta_ids"] as? [String] == [try #require(meta["meta_id"] as? String)])
        #expect(device["meta_id_verified"] as? Bool == true, "meta_id is recomputable from the meta alone")
        #expect(meta["rate_hz"] as? Int == 1000)
        #expect(meta["site"] as? String == "lab1")
        let status = try #require(device["status"] as? [String])
        #expect(status.contains("recording"))
        #expect(status.last == "offline")
        let events = try #require(device["events"] as? [[String: Any]])
        let kinds = events.compactMap { $0["event"] as? String }
        #expect(kinds.contains("recording_started"))
        #expect(!kinds.contains("gap"), "\(events)")
        let file = events.first { $0["event"] as? String == "recording_started" }?["file"] as? String
        #expect(file == (output as NSString).lastPathComponent)
    }

    @Test func unreachableBrokerIsOneErrorLineAndTheRecordingIsWhole() throws {
        let port = try TestBroker.freePort()
        let output = scratchPath("alone.h5")
        let run = try Processes.mosquito([
            "record", "--device", "sim", "--duration", "1", "--rate", "1000", "--output", output,
            "--publish", "mqtt://127.0.0.1:\(port)/lab1",
        ])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1, "\(run.stderr)")
        #expect(run.errorLines.first?.contains("never connected") == true, "\(run.stderr)")
        #expect(try recordedRows(output) == 1000)
    }

    @Test func wrongPasswordIsOneErrorLineAndTheRecordingIsWhole() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("refused.h5")
        let run = try Processes.mosquito(
            [
                "record", "--device", "sim", "--duration", "1", "--rate", "1000", "--output", output,
                "--publish", broker.url(site: "lab1"),
            ], environment: ["MOSQUITO_MQTT_PASSWORD": "not-the-password"])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1, "\(run.stderr)")
        let line = run.errorLines.first ?? ""
        #expect(line.contains("never connected") && line.lowercased().contains("authori"), "\(run.stderr)")
        #expect(try recordedRows(output) == 1000)
    }

    @Test func unknownCertificateAuthorityIsOneErrorLineAndTheRecordingIsWhole() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("untrusted.h5")
        let run = try Processes.mosquito([
            "record", "--device", "sim", "--duration", "1", "--rate", "1000", "--output", output,
            "--publish", "mqtts://\(TestBroker.user)@127.0.0.1:\(broker.tlsPort)/lab1", "--publish-ca", try broker.unknownCA(),
            "--publish-password-file", broker.passwordFile,
        ])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1, "\(run.stderr)")
        let line = run.errorLines.first ?? ""
        #expect(line.contains("never connected") && line.contains("certificate verify failed"), "\(run.stderr)")
        #expect(try recordedRows(output) == 1000)
    }

    @Test func passwordInTheURLIsRefusedBeforeAnyFileExists() throws {
        let output = scratchPath("never.h5")
        let run = try Processes.mosquito([
            "record", "--device", "sim", "--duration", "1", "--output", output, "--publish", "mqtt://edge:pw@127.0.0.1/lab1",
        ])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.contains("password does not belong in the broker URL") == true, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    private func parse(_ result: Processes.Result) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw SubscriberFailed(stderr: result.stderr)
        }
        return object
    }

    struct SubscriberFailed: Error { let stderr: String }
}
