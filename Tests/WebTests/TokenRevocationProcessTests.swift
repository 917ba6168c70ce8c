import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `token create`, `list` and `revoke` as a user runs them, against a `mosquito serve` process that keeps running.
@Suite("token revocation on a running server", .serialized)
struct TokenRevocationProcessTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `mosquito` to completion in `folder`.
    static func mosquito(_ arguments: [String], in folder: String) throws -> Run {
        let (p, out, err) = try ServeProcessTests.start(arguments, in: folder)
        #expect(ServeProcessTests.wait(p), "\(arguments) finished")
        return Run(status: p.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
                   stderr: try String(contentsOfFile: err, encoding: .utf8))
    }

    /// A control request that must authenticate first: an unknown device is 404 once the token checks out, 401 before.
    static func status(_ base: String, token: String) async throws -> Int {
        var request = URLRequest(url: URL(string: base + "/api/devices/NO-SUCH-DEVICE/stop")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        return try #require(response as? HTTPURLResponse).statusCode
    }

    @Test("two tokens work; `token revoke` shuts one out of the running server; `token list` shows the survivor")
    func revokeWhileServing() async throws {
        let folder = NSTemporaryDirectory() + "mosquito-revoke-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ana = try Self.mosquito(["serve", "token", "create", "--agent", "ana", "--role", "operator", "--tokens", "t.json"], in: folder)
        let ben = try Self.mosquito(["serve", "token", "create", "--agent", "ben", "--role", "operator", "--tokens", "t.json"], in: folder)
        #expect(ana.status == 0 && ben.status == 0)
        let anaToken = ana.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let benToken = ben.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(anaToken.hasPrefix("mq_") && !anaToken.contains("\n"), "stdout is the secret alone")
        let benID = try #require(ben.stderr.firstMatch(of: /token id ([0-9a-f]{12}) \(ben, operator\)/).map { String($0.1) })

        let (server, out, _) = try ServeProcessTests.start(["serve", "--bind", "127.0.0.1:0", "--tokens", "t.json"], in: folder)
        defer { if server.isRunning { server.terminate() } }
        let port = ServeProcessTests.listeningPort(server, stdout: out)
        let base = "http://127.0.0.1:\(try #require(port, "serve printed its URL"))"
        #expect(try await Self.status(base, token: anaToken) == 404)
        #expect(try await Self.status(base, token: benToken) == 404)
        #expect(try await Self.status(base, token: "mq_not_a_token") == 401)

        let revoke = try Self.mosquito(["serve", "token", "revoke", benID, "--tokens", "t.json"], in: folder)
        #expect(revoke.status == 0)
        #expect(revoke.stdout == "revoked \(benID) (ben, operator)\n")
        #expect(try await Self.status(base, token: benToken) == 401, "revoked without a restart")
        #expect(try await Self.status(base, token: anaToken) == 404, "the other token still works")

        let list = try Self.mosquito(["serve", "token", "list", "--json", "--tokens", "t.json"], in: folder)
        #expect(list.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: String]])
        #expect(rows.count == 1)
        #expect(rows.first?["agent"] == "ana" && rows.first?["role"] == "operator")
        #expect(rows.first?["id"]?.count == 12 && rows.first?["createdAt"]?.hasSuffix("Z") == true)
        #expect(rows.first.map { Set($0.keys) } == ["id", "agent", "role", "createdAt"])
        let table = try Self.mosquito(["serve", "token", "list", "--tokens", "t.json"], in: folder)
        #expect(table.stdout.split(separator: "\n").count == 2)
        #expect(table.stdout.contains(rows.first!["id"]!) && !table.stdout.contains(benID))
        #expect(!table.stdout.contains(anaToken) && !list.stdout.contains(anaToken), "the secret is never listed")
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/t.json")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test("revoking an unknown id: one Error line, non-zero exit, the file unchanged")
    func unknownID() throws {
        let folder = NSTemporaryDirectory() + "mosquito-revoke-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try Self.mosquito(["serve", "token", "create", "--agent", "ana", "--role", "viewer", "--tokens", "t.json"], in: folder).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/t.json"))
        for id in ["0000000000aa", "xyz"] {
            let run = try Self.mosquito(["serve", "token", "revoke", id, "--tokens", "t.json"], in: folder)
            #expect(run.status != 0)
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.hasPrefix("Error: ") == true, "\(run.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/t.json")) == before)
    }
}
