import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
import TestSupport

/// Edges that record while the broker goes away: the archive fetches what the broker lost from the edges' own
/// files (`GET /api/recordings/{name}/rows`), so its files equal theirs; and an archive killed mid-run continues.
@Suite(.serialized) struct ArchiveBackfillTests {
    /// Two `serve` edges record 10 s each with a 5-message publish queue; the broker is killed for 5 s during
    /// the recordings and comes back on the same ports. The archive's files equal the edges' sample for sample,
    /// with no gap, and it says how much came from the edges.
    @Test func brokerOutageIsBackFilledFromTheEdges() throws {
        let lab = try Lab(site: "lab9")
        let archive = try lab.archive()
        let edges = try ["EDGE-A", "EDGE-B"].map { try lab.edge(serial: $0) }
        for edge in edges { #expect(try edge.startRecording(seconds: 10) == 201) }
        waitUntilArchiving(archive, edges)
        lab.broker.vanish()
        // The outage itself (not a wait for anything): the edges' queues overflow and drop what the broker misses.
        Thread.sleep(forTimeInterval: 5)
        try lab.broker.relaunch()
        // Each run closes once its edge, back on the broker, says the recording is over: the archive fetches what
        // it lacks, the end included (the edges stay up to answer).
        let result = try closeRuns(of: edges, in: archive)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("back-filled"), "the archive fetched rows from the edges: \(result.stderr)")

        let verdict = try compare(lab.folder + "/archive", edges.map(\.recording))
        for edge in edges {
            let v = try #require(verdict[edge.serial], "\(verdict)")
            #expect(v["archive_files"] as? Int == 1, "\(edge.serial): \(v)")
            #expect(v["edge_rows"] as? Int == 10_000, "\(edge.serial): \(v)")
            #expect(v["equal"] as? Bool == true, "\(edge.serial): \(v)")
            #expect(v["host_time_close"] as? Bool == true, "\(edge.serial): \(v)")
            #expect(v["gaps_equal"] as? Bool == true, "\(edge.serial): \(v)")
        }
        // The edges did lose messages to the outage: without back-fill the archive would have network gaps.
        for edge in edges { #expect(!edge.stderr.contains(" 0 dropped"), "\(edge.stderr)") }
    }

    /// The rows API answers only with a token: none or a wrong one is 401 and no rows; the archive's secret and a
    /// token of the tokens file both read rows in the documented framing.
    @Test func rowsNeedAToken() throws {
        let lab = try Lab(site: "lab10")
        let edge = try lab.edge(serial: "EDGE-T")
        #expect(try edge.startRecording(seconds: 1) == 201)
        #expect(edge.waitForRecordingToEnd())
        let rows = edge.base + "/api/recordings/edge-EDGE-T.h5/rows?from=100&count=50"
        for refused in [try httpGet(rows, token: nil), try httpGet(rows, token: "mq_not-a-token")] {
            #expect(refused.status == 401)
            #expect(refused.body.first == UInt8(ascii: "{"), "a JSON error, never rows")
        }
        let byArchive = try httpGet(rows, token: Lab.archiveSecret)
        #expect(byArchive.status == 200)
        let byToken = try httpGet(rows, token: edge.operatorToken)
        #expect(byToken.status == 200)
        #expect(byArchive.body == byToken.body)
        // Format 1 framing: 32-byte header, 50 frames of 24 + 4·C bytes, indices 100…149.
        let b = byArchive.body
        #expect(b.count >= 32)
        let channels = Int(b[2]) | Int(b[3]) << 8, frames = Int(b[4]) | Int(b[5]) << 8
        #expect(frames == 50 && b.count == 32 + frames * (24 + 4 * channels), "\(b.count) bytes, \(channels) channels")
        let first = (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[32 + $1]) << (8 * UInt64($1)) }
        #expect(first == 100)
        #expect(byArchive.headers["x-mosquito-closed"] == "true", "\(byArchive.headers)")
        try edge.stop()
    }

    /// The archive is killed (SIGKILL) while both recordings run and started again: it continues each run in a
    /// `.part2.h5` from the first index its file lacks, and with back-fill the parts together equal the edge.
    @Test func killedArchiveContinuesItsRuns() throws {
        let lab = try Lab(site: "lab11")
        var archive = try lab.archive()
        let edges = try ["EDGE-K", "EDGE-L"].map { try lab.edge(serial: $0) }
        // Recordings long enough to be running whatever the machine's pace: each is stopped once the archive is back.
        for edge in edges { #expect(try edge.startRecording(seconds: 600) == 201) }
        waitUntilArchiving(archive, edges)
        // Killed three seconds into the recordings (by the edges' own count), its files a few flushes long.
        for edge in edges { #expect(waitFor { edge.samplesRecorded() >= 3000 }, "\(edge.serial) never got 3 s into its recording") }
        kill(archive.process.processIdentifier, SIGKILL)
        archive.process.waitUntilExit()
        archive = try lab.archive()
        for edge in edges {
            #expect(waitFor { archive.stdout.contains("continuing the run") && archive.stdout.contains("archiving \(edge.serial):") || !archive.process.isRunning }, "\(archive.stdout) \(archive.stderrText)")
        }
        for edge in edges { #expect(try edge.stopRecording() == 200) }
        let result = try closeRuns(of: edges, in: archive)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(".part2.h5"), "\(result.stdout)")

        let verdict = try compare(lab.folder + "/archive", edges.map(\.recording))
        for edge in edges {
            let v = try #require(verdict[edge.serial], "\(verdict)")
            #expect(v["archive_files"] as? Int == 1 && v["parts"] as? Int == 2, "\(edge.serial): \(v)")
            #expect((v["edge_rows"] as? Int ?? 0) >= 3000, "\(edge.serial): \(v)")
            #expect(v["equal"] as? Bool == true, "\(edge.serial): \(v)")
            #expect(v["gaps_equal"] as? Bool == true, "\(edge.serial): \(v)")
        }
    }

    /// An archive whose edge secret is wrong gets 401 from the edge: one line says so, the samples the broker
    /// lost stay `network` gaps, and nothing else is lost.
    @Test func wrongEdgeSecretLeavesNetworkGaps() throws {
        let lab = try Lab(site: "lab12")
        let wrong = lab.folder + "/wrong-secret"
        try "not-the-archive-secret-at-all\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let archive = try lab.archive(secretFile: wrong)
        let edge = try lab.edge(serial: "EDGE-W")
        #expect(try edge.startRecording(seconds: 8) == 201)
        waitUntilArchiving(archive, [edge])
        lab.broker.vanish()
        Thread.sleep(forTimeInterval: 3)
        try lab.broker.relaunch()
        let result = try closeRuns(of: [edge], in: archive)
        #expect(result.stderr.contains("HTTP 401"), "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("archived EDGE-W:") })
        #expect(!line.contains(" 0 network gaps") && !line.contains("back-filled"), "\(line)")
    }

    /// `serve --archive DIR` lists an archive's recordings beside its own as `archive.SITE.FILE.h5` and reads them
    /// through the same recording routes; a new recording may not take such a name.
    @Test func serveShowsAnArchiveBesideItsOwnRecordings() throws {
        let folder = scratchPath("served-archive")
        let site = folder + "/archive/lab13"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        let recorded = try Processes.mosquito([
            "record", "--device", "sim?serial=ARC-1", "--duration", "1", "--output", site + "/ARC-1-20260101T000000Z.h5",
        ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let token = try Processes.mosquito([
            "serve", "token", "create", "--agent", "ops", "--role", "operator", "--tokens", folder + "/tokens.json",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let serve = try Processes.Running(TestEnvironment.mosquito.path, [
            "serve", "--device", "sim?serial=LOCAL-1", "--idle", "--bind", "127.0.0.1:0", "--recordings", folder + "/rec",
            "--tokens", folder + "/tokens.json", "--archive", folder + "/archive",
        ])
        let p = serve.process
        #expect(waitFor { serve.stdout.contains("mosquito serve: http") || !p.isRunning }, "\(serve.stderrText)")
        let base = try #require(serve.stdout.split(separator: " ").first { $0.hasPrefix("http://") }).trimmingCharacters(in: .init(charactersIn: "/"))
        let name = "archive.lab13.ARC-1-20260101T000000Z.h5"
        let list = try httpGet(base + "/api/recordings", token: nil)
        #expect(list.status == 200 && String(decoding: list.body, as: UTF8.self).contains(name), "\(String(decoding: list.body, as: UTF8.self))")
        let summary = try httpGet(base + "/api/recordings/\(name)/summary", token: nil)
        #expect(summary.status == 200 && String(decoding: summary.body, as: UTF8.self).contains("ARC-1"))
        let refused = try httpPost(base + "/api/recordings", token: token, json: #"{"device":"LOCAL-1","name":"\#(name)"}"#)
        #expect(refused == 400)
        p.terminate()
        #expect(serve.finish().status == 0)
    }

    /// Waits until `archive` has opened a run for each of `edges`.
    private func waitUntilArchiving(_ archive: Processes.Running, _ edges: [Edge]) {
        for edge in edges {
            #expect(waitFor { archive.stdout.contains("archiving \(edge.serial):") || !archive.process.isRunning }, "\(archive.stderrText)")
        }
    }

    /// Waits until each edge's run is archived (closed), then stops the edges and the archive: its last words.
    private func closeRuns(of edges: [Edge], in archive: Processes.Running) throws -> Processes.Result {
        for edge in edges {
            #expect(waitFor(seconds: 120) { archive.stdout.contains("archived \(edge.serial):") || !archive.process.isRunning }, "\(archive.stdout)")
        }
        for edge in edges { try edge.stop() }
        archive.process.interrupt()
        return archive.finish()
    }

    private func compare(_ archive: String, _ edges: [String]) throws -> [String: [String: Any]] {
        let script = TestEnvironment.packageRoot + "/Tests/MQTTTests/Support/compare_archive.py"
        let compared = try Processes.Running(TestEnvironment.python, [script, archive] + edges).finish()
        return try #require(
            try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [String: [String: Any]], "\(compared.stderr)")
    }
}

/// A broker, a folder, the secret edges share with the archive, and the processes of one test.
struct Lab {
    static let archiveSecret = "archive-secret-for-the-tests-0123456789"
    let broker: TestBroker
    let folder: String
    let site: String
    var url: String { broker.url(site: site) }
    var secretFile: String { folder + "/archive.secret" }

    init(site: String) throws {
        self.site = site
        broker = try TestBroker()
        folder = scratchPath(site)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try (Self.archiveSecret + "\n").write(toFile: folder + "/archive.secret", atomically: true, encoding: .utf8)
    }

    /// `mosquito archive` into `folder/archive`, subscribed when this returns.
    func archive(secretFile: String? = nil) throws -> Processes.Running {
        try broker.archive(site: site, output: folder + "/archive", ["--edge-token-file", secretFile ?? self.secretFile])
    }

    /// A `serve` edge holding one idle simulated device, publishing with a 5-message queue.
    func edge(serial: String) throws -> Edge {
        let dir = folder + "/" + serial
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let token = try Processes.mosquito([
            "serve", "token", "create", "--agent", "ops", "--role", "operator", "--tokens", dir + "/tokens.json",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let serve = try Processes.Running(TestEnvironment.mosquito.path, [
            "serve", "--device", "sim?serial=\(serial)&seed=\(serial.utf8.last ?? 0)", "--idle", "--bind", "127.0.0.1:0",
            "--recordings", dir + "/rec", "--tokens", dir + "/tokens.json", "--archive-token-file", secretFile,
            "--publish", url, "--publish-password-file", broker.passwordFile, "--publish-queue", "5",
        ])
        let p = serve.process
        #expect(waitFor { serve.stdout.contains("mosquito serve: http") || !p.isRunning }, "\(serve.stderrText)")
        let base = try #require(serve.stdout.split(separator: " ").first { $0.hasPrefix("http://") }).trimmingCharacters(in: .init(charactersIn: "/"))
        return Edge(serial: serial, serve: serve, base: base, operatorToken: token, recording: dir + "/rec/edge-\(serial).h5")
    }
}

struct Edge {
    let serial: String
    let serve: Processes.Running
    let base: String
    let operatorToken: String
    let recording: String
    var stderr: String { serve.stderrText }

    func startRecording(seconds: Int) throws -> Int {
        try httpPost(base + "/api/recordings", token: operatorToken,
                 json: #"{"device":"\#(serial)","name":"edge-\#(serial).h5","durationSeconds":\#(seconds)}"#)
    }

    /// Ends the recording now (`POST /api/recordings/stop`).
    func stopRecording() throws -> Int {
        try httpPost(base + "/api/recordings/stop", token: operatorToken, json: #"{"device":"\#(serial)"}"#)
    }

    /// The recording's file is closed (the hub closes it as soon as its duration is reached).
    func waitForRecordingToEnd() -> Bool {
        waitFor(seconds: 120) {
            guard let reply = try? httpGet(base + "/api/recordings/edge-\(serial).h5/summary", token: operatorToken), reply.status == 200,
                let summary = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
            else { return false }
            return summary["closedCleanly"] as? Bool == true
        }
    }

    /// The device's next sample index as the edge reports it (its recording's length while it records).
    func samplesRecorded() -> Int {
        guard let reply = try? httpGet(base + "/api/devices/\(serial)/status", token: operatorToken), reply.status == 200,
            let status = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        else { return -1 }
        return (status["nextIndex"] as? Int) ?? -1
    }

    /// SIGTERM: the edge closes cleanly and marks its device offline on the broker.
    func stop() throws {
        serve.process.terminate()
        let r = serve.finish()
        #expect(r.status == 0, "\(r.stderr)")
    }
}

struct Reply {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
}

func httpGet(_ url: String, token: String?) throws -> Reply {
    var request = URLRequest(url: try #require(URL(string: url)))
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    return send(request)
}

func httpPost(_ url: String, token: String, json: String) throws -> Int {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.httpMethod = "POST"
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(json.utf8)
    return send(request).status
}

private func send(_ request: URLRequest) -> Reply {
    let done = DispatchSemaphore(value: 0)
    let reply = Mutex(Reply(status: -1, headers: [:], body: []))
    URLSession.shared.dataTask(with: request) { data, response, _ in
        let http = response as? HTTPURLResponse
        let headers = (http?.allHeaderFields ?? [:]).reduce(into: [String: String]()) { $0["\($1.key)".lowercased()] = "\($1.value)" }
        reply.withLock { $0 = Reply(status: http?.statusCode ?? -1, headers: headers, body: Array(data ?? Data())) }
        done.signal()
    }.resume()
    done.wait()
    return reply.withLock { $0 }
}
