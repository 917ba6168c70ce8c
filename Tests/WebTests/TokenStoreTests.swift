import Foundation
import Testing
@testable import Web

@Suite("tokens")
struct TokenStoreTests {
    @Test("stored as SHA-256 only, in a 0600 file; a token maps back to its agent and role")
    func hashedAndPrivate() throws {
        let dir = NSTemporaryDirectory() + "mosquito-tokens-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var store = try TokenStore(path: dir + "/t.json")
        let secret = try store.create(agent: "ana", role: .steward)
        let other = try store.create(agent: "ben", role: .viewer)
        let text = try String(contentsOfFile: dir + "/t.json", encoding: .utf8)
        #expect(!text.contains(secret) && !text.contains(String(secret.dropFirst(3))))
        #expect(text.contains(TokenStore.digest(secret)))
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/t.json")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let reread = try TokenStore(path: dir + "/t.json")
        #expect(reread.principal(for: secret) == Principal(agent: "ana", role: .steward))
        #expect(reread.principal(for: other) == Principal(agent: "ben", role: .viewer))
        #expect(reread.principal(for: secret + "x") == nil)
        #expect(reread.principal(for: "") == nil)
    }

    @Test("an agent id with path or shell characters is refused")
    func badAgent() throws {
        var store = try TokenStore(path: NSTemporaryDirectory() + "mosquito-tokens-\(UUID().uuidString)/t.json")
        #expect(throws: WebError.self) { try store.create(agent: "../x", role: .viewer) }
        #expect(throws: WebError.self) { try store.create(agent: "", role: .viewer) }
    }
}

@Suite("token revocation")
struct TokenRevocationTests {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "mosquito-tokens-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("revoking by the listed id removes exactly that token; the file stays 0600")
    func revokeById() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var store = try TokenStore(path: dir + "/t.json")
        let keep = try store.create(agent: "ana", role: .steward)
        let drop = try store.create(agent: "ben", role: .operator)
        let dropID = TokenStore.Entry.id(of: drop)
        #expect(dropID.count == 12 && dropID == String(TokenStore.digest(drop).prefix(12)))
        #expect(store.entries.map(\.id) == [TokenStore.Entry.id(of: keep), dropID])
        let gone = try store.revoke(id: dropID.uppercased())
        #expect(gone.agent == "ben" && gone.role == .operator)
        let reread = try TokenStore(path: dir + "/t.json")
        #expect(reread.principal(for: drop) == nil)
        #expect(reread.principal(for: keep) == Principal(agent: "ana", role: .steward))
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/t.json")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["t.json", "t.json.lock"], "no temporary left behind")
    }

    @Test("unknown, ambiguous or malformed ids are errors and leave the file byte for byte")
    func badIdsChangeNothing() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Two digests sharing their first 8 hex digits: an 8-digit id matches both.
        let a = "abcdef12" + String(repeating: "0", count: 56), b = "abcdef12" + String(repeating: "1", count: 56)
        let text = #"[{"agent":"ana","createdAt":"2026-01-01T00:00:00Z","role":"steward","sha256":"\#(a)"},"#
            + #"{"agent":"ben","createdAt":"2026-01-02T00:00:00Z","role":"viewer","sha256":"\#(b)"}]"#
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/t.json"))
        var store = try TokenStore(path: dir + "/t.json")
        #expect(throws: WebError.notFound("no token with id 0123456789ab in \(dir)/t.json")) { try store.revoke(id: "0123456789ab") }
        #expect(throws: WebError.badRequest("token id abcdef12 is ambiguous (2 tokens); give more digits")) {
            try store.revoke(id: "abcdef12")
        }
        for bad in ["abc", "not-hex-at-all", ""] {
            #expect(throws: WebError.self) { try store.revoke(id: bad) }
        }
        #expect(try String(contentsOfFile: dir + "/t.json", encoding: .utf8) == text)
        #expect(store.entries.count == 2)
        try store.revoke(id: "abcdef121")
        #expect(try TokenStore(path: dir + "/t.json").entries.map(\.agent) == ["ana"])
    }

    @Test("a server's token file follows the file: revocation, new tokens, deletion, and a broken file fails closed")
    func tokenFileReloads() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/t.json"
        var cli = try TokenStore(path: path)
        let first = try cli.create(agent: "ana", role: .steward)
        let second = try cli.create(agent: "ben", role: .viewer)
        let live = try TokenFile(path: path)
        #expect(live.principal(for: first)?.agent == "ana")
        #expect(live.principal(for: second)?.agent == "ben")

        // Another store (as another process would) revokes and creates.
        var other = try TokenStore(path: path)
        try other.revoke(id: TokenStore.Entry.id(of: first))
        let third = try other.create(agent: "chloe", role: .technician)
        #expect(live.principal(for: first) == nil)
        #expect(live.principal(for: second)?.agent == "ben")
        #expect(live.principal(for: third) == Principal(agent: "chloe", role: .technician))

        try Data("not json".utf8).write(to: URL(fileURLWithPath: path))
        #expect(live.principal(for: second) == nil, "malformed file: nothing accepted")
        #expect(live.isEmpty)
        try FileManager.default.removeItem(atPath: path)
        #expect(live.principal(for: second) == nil)
        var again = try TokenStore(path: path)
        let fourth = try again.create(agent: "ed", role: .viewer)
        #expect(live.principal(for: fourth)?.agent == "ed")
        #expect(live.principal(for: second) == nil)
    }

    @Test("a stale store cannot resurrect a token another process revoked")
    func noLostUpdate() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var early = try TokenStore(path: dir + "/t.json")
        let revoked = try early.create(agent: "ana", role: .steward)
        var late = try TokenStore(path: dir + "/t.json")
        try late.revoke(id: TokenStore.Entry.id(of: revoked))
        // `early` still holds ana in memory; its next write starts from the file, not from that.
        _ = try early.create(agent: "ben", role: .viewer)
        #expect(try TokenStore(path: dir + "/t.json").entries.map(\.agent) == ["ben"])
        #expect(early.principal(for: revoked) == nil)
    }
}
