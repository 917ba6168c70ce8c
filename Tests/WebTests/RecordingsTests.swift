import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

@Suite("recordings", .serialized)
struct RecordingsTests {
    @Test("downloads cannot leave the recordings folder", arguments: [
        "..%2Fsecret.h5", "%2E%2E%2Fsecret.h5", "..%2F..%2Fetc%2Fpasswd", ".hidden.h5", "secret.txt", "a%2Fb.h5", "link.h5",
    ])
    func traversalRefused(_ name: String) async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        // A secret beside the folder, and a symlink inside pointing at it.
        try Data("secret".utf8).write(to: URL(fileURLWithPath: f.folder + "/secret.h5"))
        try FileManager.default.createSymbolicLink(atPath: f.server.recordings.directory + "/link.h5", withDestinationPath: f.folder + "/secret.h5")
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.execute(uri: "/api/recordings/\(name)", method: .get)
            #expect([.badRequest, .forbidden, .notFound].contains(r.status), "\(name): \(r.status)")
            #expect(!String(buffer: r.body).contains("secret\u{0}") && String(buffer: r.body) != "secret")
            #expect(r.errorCode != nil)
        }
        await f.tearDown()
    }

    @Test("record from the simulator, list, inspect and download the file")
    func recordListInspectDownload() async throws {
        let f = try await WebFixture.make(streamRate: 1000, demoLedger: false)
        try await f.server.makeApplication().test(.router) { client in
            let start = try await client.execute(
                uri: "/api/recordings", method: .post, headers: f.headers(.operator),
                body: body(#"{"device":"MQ-WEB-1","name":"run1.h5","rateHz":1000}"#))
            #expect(start.status == .created)
            let again = try await client.execute(
                uri: "/api/recordings", method: .post, headers: f.headers(.operator),
                body: body(#"{"device":"MQ-WEB-1","name":"run2.h5"}"#))
            #expect(again.status == .conflict)
            // Stop once the recorder has received samples (its status says so), however slowly they came.
            let deadline = ContinuousClock.now + .seconds(ServeProcessTests.lastGuardSeconds)
            var received = 0
            while received < 400 && ContinuousClock.now < deadline {
                let status = try await client.execute(uri: "/api/devices/MQ-WEB-1/status", method: .get)
                received = (status.json as? [String: Any])?["samplesReceived"] as? Int ?? 0
                if received < 400 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(received >= 400)
            let stop = try await client.execute(uri: "/api/recordings/stop", method: .post, headers: f.headers(.operator),
                                                body: body(#"{"device":"MQ-WEB-1"}"#))
            #expect(stop.status == .ok)
            let stopped = try #require(stop.json as? [String: Any])
            let written = try #require(stopped["samplesWritten"] as? Int)
            #expect(written >= 400, "every sample received before the stop is in the file")
            #expect(stopped["samplesLost"] as? Int == 0)
            // Streaming resumes after the recording.
            let status = try await client.execute(uri: "/api/devices/MQ-WEB-1/status", method: .get)
            #expect((status.json as? [String: Any])?["mode"] as? String == "streaming")
            let list = try await client.execute(uri: "/api/recordings", method: .get)
            let names = (list.json as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["run1.h5"])
            let summary = try await client.execute(uri: "/api/recordings/run1.h5/summary", method: .get)
            #expect(summary.status == .ok)
            let devices = try #require((summary.json as? [String: Any])?["devices"] as? [[String: Any]])
            #expect(devices.first?["sampleCount"] as? Int == written)
            #expect((summary.json as? [String: Any])?["closedCleanly"] as? Bool == true)
            let download = try await client.execute(uri: "/api/recordings/run1.h5", method: .get)
            #expect(download.status == .ok)
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: f.server.recordings.directory + "/run1.h5"))
            #expect(Data(download.body.readableBytesView) == onDisk)
            #expect(onDisk.prefix(8) == Data([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]))
        }
        await f.tearDown()
    }
}
