import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
@testable import Web

/// The range endpoint on recordings that are not closed: one this server is writing (SWMR, in this process) and
/// one whose recorder was killed.
@Suite("reading recordings that are not closed", .serialized)
struct RecordingLiveReadTests {
    static func range(_ client: some TestClientProtocol, _ name: String) async throws -> [String: Any] {
        let r = try await client.execute(uri: "/api/recordings/\(name)/range?points=200", method: .get)
        #expect(r.status == .ok, "\(String(buffer: r.body))")
        return try #require(r.json as? [String: Any])
    }

    /// Reads the range until `done` holds or the last guard passes; the recorder's flushes (about once a second)
    /// are what it waits on.
    static func waitFor(_ client: some TestClientProtocol, _ name: String, _ done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(ServeProcessTests.lastGuardSeconds)
        while true {
            let r = try await client.execute(uri: "/api/recordings/\(name)/range?points=200", method: .get)
            if r.status == .ok, let body = r.json as? [String: Any], done(body) { return body }
            guard ContinuousClock.now < deadline else { return (r.json as? [String: Any]) ?? [:] }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test("a recording this server is writing reads as it grows, and still closes cleanly after")
    func whileRecording() async throws {
        let f = try await WebFixture.make(streamRate: 1000, demoLedger: false)
        try await f.server.makeApplication().test(.router) { client in
            let start = try await client.execute(uri: "/api/recordings", method: .post, headers: f.headers(.operator),
                                                 body: body(#"{"device":"MQ-WEB-1","name":"growing.h5","rateHz":1000}"#))
            #expect(start.status == .created)
            let first = try await Self.waitFor(client, "growing.h5") { ($0["sampleCount"] as? Int ?? 0) > 0 }
            let before = first["sampleCount"] as? Int ?? 0
            #expect(before > 0, "flushed samples are read while the recorder writes")
            #expect(first["closedCleanly"] as? Bool == false)
            let later = try await Self.waitFor(client, "growing.h5") { ($0["sampleCount"] as? Int ?? 0) > before }
            #expect((later["sampleCount"] as? Int ?? 0) > before, "a later read sees the later flushes")
            #expect((later["time"] as? [Any])?.isEmpty == false)
            // Reads open the file beside the recorder in this process: it must still close cleanly.
            let stop = try await client.execute(uri: "/api/recordings/stop", method: .post, headers: f.headers(.operator),
                                                body: body(#"{"device":"MQ-WEB-1"}"#))
            #expect(stop.status == .ok)
            let written = (stop.json as? [String: Any])?["samplesWritten"] as? Int
            let closed = try await Self.range(client, "growing.h5")
            #expect(closed["closedCleanly"] as? Bool == true)
            #expect(closed["sampleCount"] as? Int == written)
        }
        await f.tearDown()
    }

    @Test("a recording whose recorder was killed reads up to its last flush")
    func afterKill() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        let path = f.server.recordings.directory + "/killed.h5"
        let (recorder, _, err) = try ServeProcessTests.start(
            ["record", "--device", "sim?channels=3&seed=5", "--rate", "1000", "--duration", "600", "--output", path], in: f.folder)
        defer { if recorder.isRunning { kill(recorder.processIdentifier, SIGKILL) } }
        try await f.server.makeApplication().test(.router) { client in
            let live = try await Self.waitFor(client, "killed.h5") { ($0["sampleCount"] as? Int ?? 0) > 0 }
            #expect((live["sampleCount"] as? Int ?? 0) > 0, "\((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
            kill(recorder.processIdentifier, SIGKILL)
            #expect(ServeProcessTests.wait(recorder))
            let killed = try await Self.range(client, "killed.h5")
            let again = try await Self.range(client, "killed.h5")
            #expect(killed["closedCleanly"] as? Bool == false)
            #expect((killed["sampleCount"] as? Int ?? 0) >= (live["sampleCount"] as? Int ?? 0))
            #expect(killed["sampleCount"] as? Int == again["sampleCount"] as? Int, "nothing grows after the kill")
            #expect((killed["min"] as? [[Any]])?.count == 3)
            let csv = try await client.execute(uri: "/api/recordings/killed.h5/export?to=0.5", method: .get)
            #expect(csv.status == .ok)
            #expect(String(buffer: csv.body).hasPrefix("index,device_time_us,force,displacement,temperature\n"))
        }
        await f.tearDown()
    }
}
