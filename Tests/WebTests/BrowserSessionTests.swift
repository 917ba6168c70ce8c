import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

/// Beyond loopback a browser reads the ledger pages with a cookie it got for its token; the cookie never writes.
@Suite("browser session cookie")
struct BrowserSessionTests {
    func guardedServer(_ f: WebFixture) -> WebServer {
        WebServer(
            configuration: .init(host: "0.0.0.0", port: 0, requireTokensForReads: true), devices: f.server.devices,
            ledger: f.server.ledger, tokens: f.server.tokens, recordings: f.server.recordings,
            calibrationHistory: f.server.calibrationHistory)
    }

    func cookieHeader(_ value: String) -> HTTPFields {
        var h = HTTPFields()
        h[.cookie] = "\(BrowserSession.cookieName)=\(value)"
        return h
    }

    @Test("the token buys a read-only HttpOnly SameSite=Strict cookie that opens the ledger pages")
    func cookieOpensPagesButNeverWrites() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        let unit = try #require(try await f.server.ledger?.store.sales(project: nil).first).unit
        try await guardedServer(f).makeApplication().test(.router) { client in
            let anonymous = try await client.execute(uri: "/api/session", method: .post)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.setCookie] == nil)

            let opened = try await client.execute(uri: "/api/session", method: .post, headers: f.headers(.viewer))
            #expect(opened.status == .ok)
            let setCookie = try #require(opened.headers[.setCookie])
            let token = f.tokens[.viewer]!
            #expect(setCookie.hasPrefix("\(BrowserSession.cookieName)=\(token)"))
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=86400"] {
                #expect(setCookie.contains(attribute), "\(setCookie)")
            }
            #expect(!setCookie.contains("Secure"), "plain HTTP: no Secure attribute")
            let who = try #require(opened.json as? [String: Any])
            #expect(who["role"] as? String == "viewer")

            for path in ["/ledger", "/ledger/unit/\(unit)", "/ledger/agent/ana", "/api/ledger/agents"] {
                let withCookie = try await client.execute(uri: path, method: .get, headers: cookieHeader(token))
                #expect(withCookie.status == .ok, "\(path)")
                let forged = try await client.execute(uri: path, method: .get, headers: cookieHeader("mq_" + String(repeating: "0", count: 64)))
                #expect(forged.status == .unauthorized, "\(path)")
            }
            // A write with only the cookie is refused even for a role that could make it with the header.
            var steward = cookieHeader(f.tokens[.steward]!)
            steward[.contentType] = "application/json"
            let write = try await client.execute(uri: "/api/ledger/agents", method: .post, headers: steward,
                                                 body: ByteBuffer(string: #"{"id":"zed","name":"Zed","kind":"person"}"#))
            #expect(write.status == .unauthorized)

            let closed = try await client.execute(uri: "/api/session", method: .delete)
            #expect(closed.status == .noContent)
            #expect(closed.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
        await f.tearDown()
    }

    @Test("behind a TLS proxy (X-Forwarded-Proto: https) the cookie is Secure")
    func secureBehindTLS() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        try await guardedServer(f).makeApplication().test(.router) { client in
            var h = f.headers(.viewer)
            h[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let opened = try await client.execute(uri: "/api/session", method: .post, headers: h)
            #expect(opened.status == .ok)
            #expect(opened.headers[.setCookie]?.contains("Secure") == true)
        }
        await f.tearDown()
    }
}
