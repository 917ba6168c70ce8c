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
