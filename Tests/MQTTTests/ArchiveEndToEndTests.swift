import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
import TestSupport

/// Two edges record simulated instruments and publish; one `mosquito archive` collects both from a real
/// mosquito broker. h5py finds the archive's files equal to the edges' own.
@Suite(.serialized) struct ArchiveEndToEndTests {
    @Test func archiveOfTwoEdgesEqualsTheirRecordings() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let directory = scratchPath("archive")
        let url = broker.url(site: "lab2")
        let archive = try broker.archive(site: "lab2", output: directory)
        let process = archive.process
        // A second archive that keeps only EDGE-A.
        let onlyA = scratchPath("archive-a")
        let archiveA = try broker.archive(site: "lab2", output: onlyA, ["--devices", "EDGE-A"])
        let processA = archiveA.process

        let edges = ["EDGE-A", "EDGE-B"].map { ($0, scratchPath("\($0).h5")) }
        let running = try edges.map { serial, output in
            try Processes.Running(TestEnvironment.mosquito.path, [
                "record", "--device", "sim?serial=\(serial)&seed=\(serial.count)", "--duration", "3", "--rate", "1000",
                "--output", output, "--publish", url, "--publish-password-file", broker.passwordFile,
            ])
        }
        for r in running.map({ $0.finish() }) { #expect(r.status == 0, "\(r.stderr)") }

        // Each run closes when its edge's clean `offline` arrives, after all its data.
        #expect(waitFor { archive.stdout.components(separatedBy: "archived ").count == 3 || !process.isRunning }, "\(archive.stdout)")
        #expect(waitFor { archiveA.stdout.contains("archived ") || !processA.isRunning }, "\(archiveA.stdout)")
        processA.interrupt()
        let resultA = archiveA.finish()
        #expect(resultA.status == 0, "\(resultA.stderr)")
        #expect(resultA.stdout.contains("archived EDGE-A:") && !resultA.stdout.contains("EDGE-B"), "\(resultA.stdout)")
        process.interrupt()
        let result = archive.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("archived EDGE-A:") && result.stdout.contains("(3000 samples, 0 network gaps)"))

        let script = TestEnvironment.packageRoot + "/Tests/MQTTTests/Support/compare_archive.py"
        let compared = try Processes.Running(TestEnvironment.python, [script, directory] + edges.map(\.1)).finish()
        let verdict = try #require(
            try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [String: [String: Any]], "\(compared.stderr)")
        #expect(verdict.keys.sorted() == ["EDGE-A", "EDGE-B"])
        for (serial, v) in verdict {
            #expect(v["archive_files"] as? Int == 1, "\(serial): \(v)")
            #expect(v["edge_rows"] as? Int == 3000, "\(serial): \(v)")
            #expect(v["equal"] as? Bool == true, "\(serial): \(v)")
            #expect(v["host_time_close"] as? Bool == true, "\(serial): \(v)")
            #expect(v["gaps_equal"] as? Bool == true, "\(serial): \(v)")
            #expect(v["channels_equal"] as? Bool == true, "\(serial): \(v)")
        }
    }

    @Test func archiveRefusedByTheBrokerIsOneErrorLine() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let wrong = scratchPath("wrong.password")
        try "not-the-password\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let output = scratchPath("refused-archive")
        let result = try Processes.mosquito([
            "archive", "--broker", broker.url(site: "lab2"), "--output", output, "--password-file", wrong,
        ])
        #expect(result.status != 0)
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        let line = result.errorLines.first ?? ""
        #expect(line.contains("never connected") && line.lowercased().contains("authori"), "\(result.stderr)")
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: output)) ?? []
        #expect(files.filter { $0.hasSuffix(".h5") }.isEmpty)
    }
}

extension ArchiveEndToEndTests {
    /// A broker nothing listens for, and a TLS broker whose certificate chains to a CA the archive does not
    /// trust: each is one `Error: … never connected (why)` line, a non-zero exit, and no file.
    @Test(arguments: ["unreachable", "unknown CA"]) func archiveThatCannotConnectIsOneErrorLine(_ failure: String) throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("unconnected-archive")
        var arguments = ["archive", "--output", output, "--password-file", broker.passwordFile]
        if failure == "unreachable" {
            arguments += ["--broker", "mqtt://\(TestBroker.user)@127.0.0.1:\(try TestBroker.freePort())/lab2"]
        } else {
            arguments += ["--broker", "mqtts://\(TestBroker.user)@127.0.0.1:\(broker.tlsPort)/lab2", "--ca", try broker.unknownCA()]
        }
        let result = try Processes.mosquito(arguments)
        #expect(result.status != 0)
        #expect(result.errorLines.count == 1, "\(result.stderr)")
        #expect(result.errorLines.first?.contains("never connected") == true, "\(result.stderr)")
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: output)) ?? []
        #expect(files.filter { $0.hasSuffix(".h5") }.isEmpty)
    }

    /// A `serve` edge streams, records two seconds through its API, and streams on: the archive makes the
    /// recording a run of its own, equal to the edge's file.
    @Test func recordingOnAServeEdgeIsARunOfItsOwn() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let folder = scratchPath("serve-edge")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let url = broker.url(site: "lab8")
        let archive = try broker.archive(site: "lab8", output: folder + "/archive")
        let process = archive.process

        let token = try Processes.mosquito([
            "serve", "token", "create", "--agent", "ops", "--role", "operator", "--tokens", folder + "/tokens.json",
        ]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let serve = try Processes.Running(TestEnvironment.mosquito.path, [
            "serve", "--device", "sim?serial=MQ-ARC", "--bind", "127.0.0.1:0", "--recordings", folder + "/rec",
            "--tokens", folder + "/tokens.json", "--publish", url, "--publish-password-file", broker.passwordFile,
        ])
        let p = serve.process
        #expect(waitFor { serve.stdout.contains("mosquito serve: http") || !p.isRunning }, "\(serve.stderrText)")
        let base = try #require(serve.stdout.split(separator: " ").first { $0.hasPrefix("http://") }).trimmingCharacters(in: .init(charactersIn: "/"))
        let status = try post(base + "/api/recordings", token: token, json: #"{"device":"MQ-ARC","name":"edge.h5","durationSeconds":2}"#)
        #expect(status == 201)

        // The recording's run closes when streaming resumes after it (a new stream).
        #expect(waitFor { archive.stdout.contains("(2000 samples") || !process.isRunning }, "\(archive.stdout) \(archive.stderrText)")
        p.terminate()
        #expect(serve.finish().status == 0)
        process.interrupt()
        let result = archive.finish()
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("(2000 samples") })
        let path = try #require(line.split(separator: " ").first { $0.hasSuffix(".h5") }).description

        let script = TestEnvironment.packageRoot + "/Tests/MQTTTests/Support/compare_archive.py"
        let compared = try Processes.Running(TestEnvironment.python, [script, path, folder + "/rec/edge.h5"]).finish()
        let verdict = try #require(
            try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [String: [String: Any]], "\(compared.stderr)")
        let v = try #require(verdict["MQ-ARC"])
        #expect(v["edge_rows"] as? Int == 2000, "\(v)")
        #expect(v["equal"] as? Bool == true, "\(v)")
        #expect(v["gaps_equal"] as? Bool == true, "\(v)")
    }

    /// POSTs `json` with a bearer token; the HTTP status.
    private func post(_ url: String, token: String, json: String) throws -> Int {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let done = DispatchSemaphore(value: 0)
        let status = Mutex(0)
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status.withLock { $0 = (response as? HTTPURLResponse)?.statusCode ?? -1 }
            done.signal()
        }.resume()
        done.wait()
        return status.withLock { $0 }
    }
}
