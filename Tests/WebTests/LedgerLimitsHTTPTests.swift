import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The ledger's limits as an HTTP client meets them, against `mosquito serve` running as its own process (a
/// trap in a handler would kill it): amounts beyond the maximum, a unit sold twice, a tampered ledger cell.
@Suite("Ledger limits over HTTP", .serialized)
struct LedgerLimitsHTTPTests {
    struct Server {
        let process: Process
        let base: String
        let folder: String
        /// Bearer tokens: ed is a viewer, tactus the custodian (both agents of the demo network).
        let viewer: String, custodian: String
        var ledger: String { folder + "/ledger.sqlite" }

        func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws -> (Int, [String: Any]) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body.utf8)
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let json = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
        }

        func stop() {
            if process.isRunning { process.terminate() }
            _ = ServeProcessTests.wait(process, seconds: 20)
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// `serve` over a fresh demo ledger, once it has printed the address it listens on.
    static func serve() throws -> Server {
        let folder = NSTemporaryDirectory() + "mosquito-limits-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func token(_ agent: String, _ role: String) throws -> String {
            let (p, out, _) = try ServeProcessTests.start(
                ["serve", "token", "create", "--agent", agent, "--role", role, "--tokens", "t.json"], in: folder)
            #expect(ServeProcessTests.wait(p, seconds: 30) && p.terminationStatus == 0)
            return try String(contentsOfFile: out, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let viewer = try token("ed", "viewer"), custodian = try token("tactus", "custodian")
        let (p, out, _) = try ServeProcessTests.start(
            ["serve", "--ledger", "ledger.sqlite", "--demo-ledger", "--bind", "127.0.0.1:0", "--tokens", "t.json",
             "--recordings", "rec"], in: folder)
        var port: Int?
        let deadline = Date().addingTimeInterval(60)
        while port == nil, p.isRunning, Date() < deadline {
            usleep(20_000)
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            port = text.firstMatch(of: /127\.0\.0\.1:(\d+)\//).flatMap { Int($0.1) }
        }
        guard let port else {
            if p.isRunning { p.terminate() }
            throw ServeDidNotStart()
        }
        return Server(process: p, base: "http://127.0.0.1:\(port)", folder: folder, viewer: viewer, custodian: custodian)
    }

    struct ServeDidNotStart: Error {}

    static let beyond = " is beyond the maximum amount, 10000000000000.00 CAD (10^15 minor units)"

    @Test("two contributions of Int64.max are refused naming the value; amounts at the maximum are reported exactly")
    func maximumAmount() async throws {
        let server = try Self.serve()
        defer { server.stop() }
        let (_, before) = try await server.call("GET", "/api/ledger/agents/ed")
        let contributed = try #require((before["contributed"] as? [String: Any])?["CAD"] as? Int)
        for _ in 0..<2 {
            let (status, error) = try await server.call(
                "POST", "/api/ledger/contributions", token: server.viewer,
                body: #"{"date":"2026-05-01","project":"mosquito","kind":"cash","value":9223372036854775807}"#)
            #expect(status == 400)
            #expect(error["error"] as? String == "bad_request" && error["message"] as? String == "value" + Self.beyond, "\(error)")
        }
        for _ in 0..<2 {
            let (status, _) = try await server.call(
                "POST", "/api/ledger/contributions", token: server.viewer,
                body: #"{"date":"2026-05-01","project":"mosquito","kind":"cash","value":1000000000000000}"#)
            #expect(status == 201)
        }
        let (status, report) = try await server.call("GET", "/api/ledger/agents/ed")
        #expect(status == 200)
        #expect((report["contributed"] as? [String: Any])?["CAD"] as? Int == contributed + 2_000_000_000_000_000, "\(report)")

        for (body, field) in [
            (#"{"project":"mosquito","unit":"MQ-2026-0041","price":9223372036854775807,"currency":"CAD","date":"2026-06-01","buyer":"x"}"#, "price"),
            (#"{"project":"mosquito","unit":"MQ-2026-0041","price":1000,"directCosts":9223372036854775807,"currency":"CAD","date":"2026-06-01","buyer":"x"}"#,
             "direct costs"),
        ] {
            let (status, error) = try await server.call("POST", "/api/ledger/sales", token: server.custodian, body: body)
            #expect(status == 400 && error["message"] as? String == field + Self.beyond, "\(error)")
        }
        #expect(server.process.isRunning)
    }

    @Test("a unit the demo sold cannot be sold again: 409 naming its sale")
    func soldOnce() async throws {
        let server = try Self.serve()
        defer { server.stop() }
        let (status, error) = try await server.call(
            "POST", "/api/ledger/sales", token: server.custodian,
            body: #"{"project":"mosquito","unit":"MQ-2026-0041","price":125000,"currency":"CAD","date":"2026-07-01","buyer":"again"}"#)
        #expect(status == 409)
        #expect(error["error"] as? String == "conflict")
        #expect((error["message"] as? String)?.hasPrefix("unit 'MQ-2026-0041' is already sold (sale 1 on 2026-04-06)") == true, "\(error)")
        let (_, sales) = try await server.call("GET", "/api/ledger/units/MQ-2026-0041")
        #expect((sales["sales"] as? [Any])?.count == 1)
    }

    @Test("a tampered cell: 500 naming it for each request that reads it, every other request answered, the server up")
    func tamperedCell() async throws {
        let server = try Self.serve()
        defer { server.stop() }
        let message = "ledger tampered: table events, row seq=2, column value: 1e+300 is not an exact 64-bit integer"
        try Self.sqlite(server.ledger, "update events set value=1e300 where seq=2")
        for _ in 0..<2 {
            for path in ["/api/ledger/contributions", "/api/ledger/agents/ben", "/api/ledger/units/MQ-2026-0041"] {
                let (status, error) = try await server.call("GET", path)
                #expect(status == 500, "\(path)")
                #expect(error["error"] as? String == "internal_error" && error["message"] as? String == message, "\(path): \(error)")
            }
            for path in ["/api/ledger/agents", "/api/ledger/projects/mosquito", "/api/ledger/sales"] {
                #expect(try await server.call("GET", path).0 == 200, "\(path)")
            }
        }
        #expect(server.process.isRunning)
        // Put back, the same requests are answered again: only they failed, nothing stuck.
        try Self.sqlite(server.ledger, "update events set value=60000 where seq=2")
        #expect(try await server.call("GET", "/api/ledger/contributions").0 == 200)
        #expect(try await server.call("GET", "/api/ledger/agents/ben").0 == 200)
    }

    /// Edits the ledger file as the sqlite3 tool would (Python's sqlite3 module), while `serve` has it open.
    static func sqlite(_ path: String, _ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        process.arguments = ["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=30); c.execute(sys.argv[2]); c.commit()",
                             path, statement]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(statement)")
    }
}
