import Foundation
import Testing
import TestSupport

/// `--publish` beyond the plain record run: MQTT 3.1.1 at QoS 0, `serve`, and a broker that vanishes mid-run.
@Suite(.serialized) struct PublishVariantsTests {
    @Test func mqtt311AtQoS0DeliversTheRecording() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("v311.h5")
        let subscriber = try Processes.subscriber(broker, site: "lab4", h5: [output])
        let run = try Processes.mosquito([
            "record", "--device", "sim?seed=3", "--duration", "2", "--rate", "500", "--output", output,
            "--publish", broker.url(site: "lab4"), "--publish-password-file", broker.passwordFile,
            "--publish-protocol", "3.1.1", "--publish-qos", "0",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let device = try onlyDevice(subscriber.finish())
        // QoS 0 on loopback to a broker that keeps up: nothing to lose, so everything is there.
        #expect(device["frames"] as? Int == 1000)
        #expect(device["index_equal"] as? Bool == true)
        #expect(device["raw_equal"] as? Bool == true)
    }

    /// `serve --publish`: the status follows the hub (streaming), data flows from index 0 with no hole, and a
    /// SIGTERM ends with a clean `offline`.
    @Test func serveStreamsToTheBrokerUntilItStops() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let marker = scratchPath("first-data")
        let subscriber = try Processes.subscriber(broker, site: "lab5", h5: [], dataMarker: marker)
        let folder = scratchPath("serve")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let serve = try Processes.Running(TestEnvironment.mosquito.path, [
            "serve", "--device", "sim?serial=MQ-SERVE", "--bind", "127.0.0.1:0", "--recordings", folder + "/rec",
            "--tokens", folder + "/tokens.json", "--publish", broker.url(site: "lab5"),
            "--publish-password-file", broker.passwordFile,
        ])
        let p = serve.process
        // Data reached the subscriber, and serve is listening (so its SIGTERM handling is in place).
        #expect(
            waitFor { (FileManager.default.fileExists(atPath: marker) && serve.stdout.contains("mosquito serve: http")) || !p.isRunning },
            "\(serve.stdout) \(serve.stderrText)")
        p.terminate()
        let result = serve.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.errorLines.isEmpty, "\(result.stderr)")
        let device = try onlyDevice(subscriber.finish())
        #expect(device["first_index"] as? Int == 0)
        #expect(device["contiguous"] as? Bool == true)
        #expect((device["frames"] as? Int ?? 0) > 0)
        let status = try #require(device["status"] as? [String])
        #expect(status.contains("streaming"))
        #expect(status.last == "offline")
        let meta = try #require(device["meta"] as? [String: Any])
        #expect(meta["serial"] as? String == "MQ-SERVE")
    }

    /// `stream --publish`: no recording, the hub's stream on the broker from index 0, without a hole, for at least
    /// the asked duration, and `offline` once the run ends.
    @Test func streamPublishesWithoutRecording() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let subscriber = try Processes.subscriber(broker, site: "lab7", h5: [])
        let run = try Processes.mosquito([
            "stream", "--device", "sim?serial=MQ-STREAM", "--duration", "1", "--rate", "500",
            "--publish", broker.url(site: "lab7"), "--publish-password-file", broker.passwordFile,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let device = try onlyDevice(subscriber.finish())
        #expect(device["first_index"] as? Int == 0)
        #expect(device["contiguous"] as? Bool == true)
        #expect((device["frames"] as? Int ?? 0) >= 500)
        let status = try #require(device["status"] as? [String])
        #expect(status.contains("streaming"))
        #expect(status.last == "offline")
    }

    /// The broker is killed and a new one takes its port while `record` runs: the recording is whole, the run
    /// succeeds (it did reach a broker), and the publisher's line counts the disconnection.
    @Test func brokerThatVanishesMidRunLeavesTheRecordingWhole() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("outage.h5"), marker = scratchPath("first-data")
        let subscriber = try Processes.subscriber(broker, site: "lab6", h5: [], dataMarker: marker)
        defer { subscriber.process.terminate() }
        let record = try Processes.Running(TestEnvironment.mosquito.path, [
            "record", "--device", "sim", "--duration", "4", "--rate", "1000", "--output", output,
            "--publish", broker.url(site: "lab6"), "--publish-password-file", broker.passwordFile,
        ])
        let p = record.process
        // Once data reached the broker (so the publisher is connected), the broker goes.
        #expect(waitFor { FileManager.default.fileExists(atPath: marker) || !p.isRunning })
        try broker.restart()
        let result = record.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.errorLines.isEmpty, "\(result.stderr)")
        #expect(result.stderr.contains("1 disconnections"), "\(result.stderr)")
        #expect(try recordedRows(output) == 4000)
    }

    func onlyDevice(_ result: Processes.Result) throws -> [String: Any] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        #expect(object["finished"] as? Bool == true)
        let devices = try #require(object["devices"] as? [String: [String: Any]])
        #expect(devices.count == 1)
        return try #require(devices.values.first)
    }
}

extension PublishVariantsTests {
    /// An instrument that loses frames on the wire: the recording's gaps table and the published `upstream` gap
    /// events name the same ranges, and the data holes match the file's.
    @Test func samplesTheEdgeLostArePublishedAsTheSameGaps() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("lossy.h5")
        let subscriber = try Processes.subscriber(broker, site: "lab7", h5: [output])
        let run = try Processes.mosquito([
            "record", "--device", "sim?drop_every=40", "--duration", "2", "--rate", "1000", "--output", output,
            "--publish", broker.url(site: "lab7"), "--publish-password-file", broker.passwordFile,
        ])
        #expect(run.status != 0, "a lossy run says so")
        let device = try onlyDevice(subscriber.finish())
        #expect(device["index_equal"] as? Bool == true)
        #expect(device["raw_equal"] as? Bool == true)
        let fileGaps = try #require(device["h5_gaps"] as? [[Int]])
        #expect(!fileGaps.isEmpty)
        #expect(device["upstream_gaps"] as? [[Int]] == fileGaps)
    }
}
