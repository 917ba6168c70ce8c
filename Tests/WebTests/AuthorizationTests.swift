import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

/// Every state-changing route: no token is 401, a wrong role is 403, and the roles the action lists get past
/// authorization (to whatever the request itself deserves).
@Suite("authorization", .serialized)
struct AuthorizationTests {
    struct WriteRoute: Sendable, CustomStringConvertible {
        var path: String
        var body: String
        var action: Action
        var description: String { path }
    }

    static let routes: [WriteRoute] = [
        .init(path: "/api/devices/MQ-WEB-1/start", body: "{}", action: .controlDevice),
        .init(path: "/api/devices/MQ-WEB-1/stop", body: "", action: .controlDevice),
        .init(path: "/api/recordings", body: #"{"device":"MQ-WEB-1","name":"auth.h5","durationSeconds":0.2}"#, action: .record),
        .init(path: "/api/recordings/stop", body: #"{"device":"MQ-WEB-1"}"#, action: .record),
        .init(path: "/api/ledger/agents", body: #"{"id":"zed","name":"Zed","kind":"person"}"#, action: .manageNetwork),
        .init(path: "/api/ledger/sales", body: #"{"project":"mosquito","unit":"nope","price":100,"currency":"EUR","date":"2026-05-01","buyer":"x"}"#, action: .recordSale),
        .init(path: "/api/ledger/sales/999/distribute", body: "", action: .distribute),
        .init(path: "/api/ledger/lots", body: #"{"id":"LOT-AUTH","design":"MQ-FORCE-r2","quantity":3,"measure":"box"}"#, action: .recordSale),
        .init(path: "/api/ledger/lots/NOPE/write-offs", body: #"{"quantity":1,"reason":"spoiled","date":"2026-05-01"}"#, action: .recordSale),
        .init(path: "/api/ledger/contributions", body: #"{"date":"2026-05-01","project":"mosquito","kind":"cash","value":100,"agent":"somebody-else"}"#, action: .logContribution),
    ]

    @Test("no token → 401 JSON on every write route")
    func unauthenticated() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        try await f.server.makeApplication().test(.router) { client in
            for route in Self.routes {
                for headers in [f.headers(nil), [.authorization: "Bearer mq_wrong", .contentType: "application/json"] as HTTPFields,
                                [.authorization: "Basic abc"] as HTTPFields] {
                    let r = try await client.execute(uri: route.path, method: .post, headers: headers, body: body(route.body))
                    #expect(r.status == .unauthorized, "\(route.path)")
                    #expect(r.errorCode == "unauthorized", "\(route.path)")
                    #expect(r.headers[.wwwAuthenticate] == "Bearer")
                }
            }
        }
        await f.tearDown()
    }

    @Test("role matrix: 403 for every role an action does not list, never 401/403 for one it does")
    func roleMatrix() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        try await f.server.makeApplication().test(.router) { client in
            for route in Self.routes {
                for role in Role.allCases {
                    let r = try await client.execute(uri: route.path, method: .post, headers: f.headers(role), body: body(route.body))
                    let allowed = route.action.allowedRoles.contains(role)
                        // Logging for another agent is the steward's alone.
                        && (route.action != .logContribution || role == .steward)
                    if allowed {
                        #expect(r.status != .unauthorized && r.status != .forbidden, "\(role) on \(route.path): \(r.status)")
                    } else {
                        #expect(r.status == .forbidden, "\(role) on \(route.path): \(r.status)")
                        #expect(r.errorCode == "forbidden")
                    }
                }
            }
        }
        await f.tearDown()
    }

    @Test("a contributor logs their own contribution; only the custodian records a sale")
    func ownContributionsAndCustodianSales() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        try await f.server.makeApplication().test(.router) { client in
            let own = try await client.execute(
                uri: "/api/ledger/contributions", method: .post, headers: f.headers(.operator),
                body: body(#"{"date":"2026-05-01","project":"mosquito","kind":"cash","value":2500,"note":"web"}"#))
            #expect(own.status == .created)
            let event = try #require(own.json as? [String: Any])
            #expect(event["agent"] as? String == f.agents[.operator])
            #expect(event["value"] as? Int == 2500)
            let sale = try await client.execute(
                uri: "/api/ledger/sales", method: .post, headers: f.headers(.custodian),
                body: body(#"{"project":"mosquito","unit":"MQ-0003","price":100,"currency":"EUR","date":"2026-06-01","buyer":"lab"}"#))
            // MQ-0003 exists in the demo; whatever the ledger says, it is past authorization and JSON.
            #expect(sale.status != .forbidden && sale.status != .unauthorized)
            #expect(sale.json != nil)
        }
        await f.tearDown()
    }

    @Test("bad input is one 4xx JSON error; oversized bodies are refused")
    func badInput() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        try await f.server.makeApplication().test(.router) { client in
            let cases: [(String, String, HTTPResponse.Status)] = [
                ("/api/ledger/contributions", "not json", .badRequest),
                ("/api/ledger/contributions", #"{"date":"yesterday","project":"mosquito","kind":"cash","value":1}"#, .badRequest),
                ("/api/ledger/contributions", #"{"date":"2026-05-01","project":"mosquito","kind":"cash","value":-5}"#, .badRequest),
                ("/api/ledger/contributions", #"{"date":"2026-05-01","project":"nope","kind":"cash","value":5}"#, .notFound),
                ("/api/ledger/contributions", "", .badRequest),
                ("/api/ledger/contributions", String(repeating: " ", count: 70_000) + "{}", .contentTooLarge),
            ]
            for (path, text, status) in cases {
                let r = try await client.execute(uri: path, method: .post, headers: f.headers(.steward), body: body(text))
                #expect(r.status == status, "\(text.prefix(60))")
                #expect(r.errorCode != nil)
            }
            let rate = try await client.execute(uri: "/api/devices/MQ-WEB-1/start", method: .post, headers: f.headers(.operator),
                                                body: body(#"{"rateHz":0}"#))
            #expect(rate.status == .badRequest)
            let unknown = try await client.execute(uri: "/api/devices/NOPE/start", method: .post, headers: f.headers(.operator), body: body("{}"))
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "not_found")
        }
        await f.tearDown()
    }

    @Test("beyond loopback, reads need a token too: the API and the server-rendered ledger pages")
    func readsNeedTokensOffLoopback() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        let guarded = WebServer(
            configuration: .init(host: "0.0.0.0", port: 0, requireTokensForReads: true), devices: f.server.devices,
            ledger: f.server.ledger, tokens: f.server.tokens, recordings: f.server.recordings, calibrationHistory: f.server.calibrationHistory)
        let unit = try #require(try await f.server.ledger?.store.sales(project: nil).first).unit
        try await guarded.makeApplication().test(.router) { client in
            for path in ["/api/devices", "/ledger", "/ledger/unit/\(unit)", "/ledger/agent/ana", "/ledger/equation/mosquito"] {
                let anonymous = try await client.execute(uri: path, method: .get)
                #expect(anonymous.status == .unauthorized, "\(path)")
                let viewer = try await client.execute(uri: path, method: .get, headers: f.headers(.viewer))
                #expect(viewer.status == .ok, "\(path)")
            }
            // Static pages carry no data: they load, then ask for the token.
            for path in ["/", "/ledger/contribute", "/assets/style.css"] {
                #expect(try await client.execute(uri: path, method: .get).status == .ok, "\(path)")
            }
        }
        await f.tearDown()
    }
}
