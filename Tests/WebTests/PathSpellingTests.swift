import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
@testable import Web

/// With reads guarded (`serve --require-tokens`), no spelling of any path reaches data without a token. The sweep
/// covers every operation the OpenAPI document lists and every page, each with real path values (a simulated
/// device, a recording on disk, a certificate from a real calibration, a sold ledger unit), spelled every way a
/// client or an attacker might, as GET and HEAD; WebSocket routes as upgrade handshakes. Requests go out on raw
/// sockets, byte for byte. The canonical spelling with a token must still work, so the sweep cannot pass by
/// refusing everything.
@Suite("read guard × path spellings", .serialized)
struct PathSpellingTests {
    struct Route: Hashable, CustomStringConvertible {
        var method: String
        var template: String
        var description: String { "\(method) \(template)" }
    }

    /// Pages are not in the OpenAPI document (it describes the JSON API); the sweep lists them here.
    static let pages = ["/", "/device/{id}", "/recording/{name}", "/ledger", "/ledger/unit/{serial}", "/ledger/agent/{id}",
                        "/ledger/equation/{project}", "/ledger/lots", "/ledger/contribute", "/assets/{name}", "/openapi.json"]
        .map { Route(method: "GET", template: $0) }

    /// These carry no data and are meant to load without a token: static pages (they ask for the token before
    /// calling the API), the API's own description, and forgetting the session cookie.
    static let open: Set<Route> = Set(["/", "/device/{id}", "/recording/{name}", "/ledger/contribute", "/assets/{name}", "/openapi.json"]
        .map { Route(method: "GET", template: $0) } + [Route(method: "DELETE", template: "/api/session")])

    struct Document {
        var routes: [Route]
        /// Operations documented as answering 101: WebSocket upgrades.
        var webSockets: Set<Route>
    }

    static func document() throws -> Document {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestEnvironment.packageRoot + "/Sources/Web/openapi.json"))
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var routes: [Route] = [], webSockets: Set<Route> = []
        for (template, operations) in paths {
            for (method, operation) in operations where ["get", "post", "put", "patch", "delete"].contains(method) {
                let route = Route(method: method.uppercased(), template: template)
                routes.append(route)
                let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                if responses["101"] != nil { webSockets.insert(route) }
            }
        }
        return Document(routes: routes.sorted { $0.description < $1.description }, webSockets: webSockets)
    }

    /// The spellings of `path` that are not `path` itself: doubled, dotted, trailing and percent-encoded slashes,
    /// `..` back to the same place, and upper case.
    static func oddSpellings(of path: String) -> [String] {
        let segments = path.split(separator: "/").map(String.init)
        let tail = String(path.dropFirst())
        var odd = ["/" + path, "/." + path, path + "/", path + "/.", "/%2F" + tail, "/%2f" + tail, "/x/.." + path,
                   path.uppercased(), "/" + tail.prefix(1).uppercased() + tail.dropFirst()]
        if let last = segments.last { odd.append(path + "/../" + last) }
        if segments.count >= 2 {
            let rest = segments.dropFirst().joined(separator: "/")
            odd += ["/\(segments[0])//\(rest)", "/\(segments[0])/./\(rest)", "/\(segments[0])%2F\(rest)",
                    "/\(segments[0])/x/../\(rest)"]
        }
        var seen: Set<String> = [path]
        return odd.filter { seen.insert($0).inserted }
    }

    /// A spelling the server takes as written but which names no route (it differs only in case).
    static func isOnlyCase(_ spelling: String, of path: String) -> Bool {
        spelling.lowercased() == path.lowercased() && spelling != path
    }

    /// Real values for every path parameter, made for the sweep.
    struct RealPaths {
        var concrete: [String: String]
        func path(_ template: String) throws -> String {
            guard template.contains("{") else { return template }
            return try #require(concrete[template], "no real value for \(template): add one to the sweep")
        }
    }

    static func realPaths(_ f: WebFixture) async throws -> (RealPaths, saleUnit: String) {
        let device = try #require(f.server.devices.first)
        let serial = device.id
        // A real recording, closed: its summary reads back.
        try device.startRecording(path: try f.server.recordings.newPath("sweep.h5"), rateHz: nil, durationSeconds: nil)
        try device.stopRecording()
        // A real calibration of a simulated instrument with the same serial, filed in the server's history.
        let script = #"{"format":"mosquito-calibration-script/1"}"#
        try Data(script.utf8).write(to: URL(fileURLWithPath: f.folder + "/script.json"))
        let calibration = try TokenRevocationProcessTests.mosquito(
            ["calibrate", "--device", "sim?serial=\(serial)", "--channel", "0", "--reference", "DWT-0042:0.01",
             "--points", "0,50,100", "--script", "script.json", "--history", "history.jsonl", "--samples", "400",
             "--rate", "20000", "--technician", "t"], in: f.folder)
        #expect(calibration.status == 0, "\(calibration.stderr)")
        let certificate = try #require(
            calibration.stdout.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("MQC-") }.map(String.init),
            "calibrate printed a certificate id: \(calibration.stdout)")
        let sale = try #require(try await f.server.ledger?.store.sales(project: nil).first)
        let lot = try #require(try await f.server.ledger?.addLot(id: "LOT-SWEEP", design: "MQ-FORCE-r2", quantity: 10, measure: "box"))
        return (RealPaths(concrete: [
            "/api/devices/{id}": "/api/devices/\(serial)",
            "/api/devices/{id}/status": "/api/devices/\(serial)/status",
            "/api/devices/{id}/start": "/api/devices/\(serial)/start",
            "/api/devices/{id}/stop": "/api/devices/\(serial)/stop",
            "/api/recordings/{name}": "/api/recordings/sweep.h5",
            "/api/recordings/{name}/summary": "/api/recordings/sweep.h5/summary",
            "/api/recordings/{name}/range": "/api/recordings/sweep.h5/range",
            "/api/recordings/{name}/export": "/api/recordings/sweep.h5/export",
            "/api/recordings/{name}/rows": "/api/recordings/sweep.h5/rows",
            "/recording/{name}": "/recording/sweep.h5",
            "/api/calibration/{serial}/history": "/api/calibration/\(serial)/history",
            "/api/calibration/certificates/{id}": "/api/calibration/certificates/\(certificate)",
            "/api/ledger/agents/{id}": "/api/ledger/agents/ana",
            "/api/ledger/units/{serial}": "/api/ledger/units/\(sale.unit)",
            "/api/ledger/projects/{id}": "/api/ledger/projects/\(sale.project)",
            "/api/ledger/projects/{id}/equation": "/api/ledger/projects/\(sale.project)/equation",
            "/api/ledger/sales/{id}/distribute": "/api/ledger/sales/\(sale.id)/distribute",
            "/api/ledger/sales/{id}/reverse": "/api/ledger/sales/\(sale.id)/reverse",
            // The demo's event 2 is ben's (the operator's) cash.
            "/api/ledger/contributions/{id}/reverse": "/api/ledger/contributions/2/reverse",
            "/api/ledger/lots/{id}": "/api/ledger/lots/\(lot.id)",
            "/api/ledger/lots/{id}/write-offs": "/api/ledger/lots/\(lot.id)/write-offs",
            "/ws/devices/{id}": "/ws/devices/\(serial)",
            "/device/{id}": "/device/\(serial)",
            "/ledger/unit/{serial}": "/ledger/unit/\(sale.unit)",
            "/ledger/agent/{id}": "/ledger/agent/ana",
            "/ledger/equation/{project}": "/ledger/equation/\(sale.project)",
            "/assets/{name}": "/assets/style.css",
        ]), sale.unit)
    }

    /// Who may make each write and a body it accepts: the canonical spelling with this token must get past the guard.
    static func writes(serial: String) -> [Route: (Role, String?)] {
        [
            Route(method: "POST", template: "/api/devices/{id}/stop"): (.operator, nil),
            Route(method: "POST", template: "/api/devices/{id}/start"): (.operator, "{}"),
            Route(method: "POST", template: "/api/recordings"): (.operator, #"{"device":"\#(serial)","name":"sweep-2.h5"}"#),
            Route(method: "POST", template: "/api/recordings/stop"): (.operator, #"{"device":"\#(serial)"}"#),
            Route(method: "POST", template: "/api/ledger/agents"): (.steward, #"{"id":"zed","name":"Zed","kind":"person"}"#),
            Route(method: "POST", template: "/api/ledger/contributions"):
                (.operator, #"{"date":"2026-05-01","project":"mosquito","kind":"cash","value":100}"#),
            Route(method: "POST", template: "/api/ledger/sales"):
                (.custodian, #"{"project":"mosquito","unit":"MQ-SWEEP-1","price":100,"currency":"EUR","date":"2026-05-01","buyer":"lab"}"#),
            Route(method: "POST", template: "/api/ledger/sales/{id}/distribute"): (.custodian, nil),
            Route(method: "POST", template: "/api/ledger/sales/{id}/reverse"): (.custodian, #"{"date":"2026-06-01"}"#),
            Route(method: "POST", template: "/api/ledger/contributions/{id}/reverse"): (.operator, nil),
            Route(method: "POST", template: "/api/ledger/lots"):
                (.custodian, #"{"id":"LOT-SWEEP-2","design":"MQ-FORCE-r2","quantity":3,"measure":"box"}"#),
            Route(method: "POST", template: "/api/ledger/lots/{id}/write-offs"):
                (.custodian, #"{"quantity":1,"reason":"spoiled","date":"2026-05-01"}"#),
            Route(method: "POST", template: "/api/session"): (.viewer, nil),
            Route(method: "DELETE", template: "/api/session"): (.viewer, nil),
        ]
    }

    static func guarded(_ f: WebFixture) -> WebServer {
        WebServer(
            configuration: .init(host: "127.0.0.1", port: 0, requireTokensForReads: true), devices: f.server.devices,
            ledger: f.server.ledger, tokens: f.server.tokens, recordings: f.server.recordings,
            calibrationHistory: f.server.calibrationHistory)
    }

    @Test("no token: no spelling of any route or page is served (no 2xx, no upgrade); the canonical one with a token is")
    func everyRouteEverySpelling() async throws {
        let f = try await WebFixture.make(streamRate: 1000, demoLedger: true)
        let (real, _) = try await Self.realPaths(f)
        let server = Self.guarded(f)
        let document = try Self.document()
        let routes = document.routes + Self.pages
        // Every route the server answers is in the sweep: a new one must be documented (or listed as a page) first.
        let served = Set(server.makeRouter().routes.map { Route(method: $0.method.rawValue, template: $0.path.description) })
        #expect(served == Set(routes), "served but not swept: \(served.subtracting(routes)); swept but not served: \(Set(routes).subtracting(served))")
        let serial = try #require(f.server.devices.first).id
        let writes = Self.writes(serial: serial)

        try await server.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            var requests = 0
            for route in routes {
                let path = try real.path(route.template)
                let isWebSocket = document.webSockets.contains(route)
                let body: String? = route.method == "POST" ? "{}" : nil
                for spelling in [path] + Self.oddSpellings(of: path) {
                    for method in route.method == "GET" ? ["GET", "HEAD"] : [route.method] {
                        let reply = try await RawHTTP.send(
                            port: port, method, spelling, body: body, upgrade: isWebSocket && method == "GET")
                        requests += 1
                        let what = "\(method) \(spelling) (\(route)) without a token: \(reply)"
                        if spelling == path && method == route.method {
                            if Self.open.contains(route) {
                                #expect((200..<300).contains(reply.status), "\(what)")
                            } else {
                                #expect(reply.status == 401, "\(what)")
                            }
                            continue
                        }
                        // The property that matters: nothing served, nothing upgraded.
                        #expect(!(200..<300).contains(reply.status) && reply.status != 101, "\(what)")
                        // And what docs/web.md promises for each kind of odd spelling.
                        if Self.isOnlyCase(spelling, of: path) {
                            #expect(reply.status == 404, "\(what)")
                        } else if spelling != path {
                            #expect(reply.status == 400, "\(what)")
                            if method != "HEAD" { #expect(reply.json?["error"] as? String == "bad_request", "\(what)") }
                        }
                    }
                }
            }
            #expect(requests > 500, "the sweep ran (\(requests) requests)")

            // The canonical spelling with a token works: reads are 200, the stream upgrades, writes pass the guard.
            let viewer = ["Authorization": "Bearer \(f.tokens[.viewer]!)"]
            for route in routes where route.method == "GET" && !Self.open.contains(route) {
                let path = try real.path(route.template)
                if document.webSockets.contains(route) {
                    let header = try await RawHTTP.send(port: port, "GET", path, headers: viewer, upgrade: true)
                    #expect(header.status == 101, "\(route) with a bearer header: \(header)")
                    let query = try await RawHTTP.send(port: port, "GET", path + "?token=\(f.tokens[.viewer]!)", upgrade: true)
                    #expect(query.status == 101, "\(route) with ?token=: \(query)")
                } else {
                    let reply = try await RawHTTP.send(port: port, "GET", path, headers: viewer)
                    #expect(reply.status == 200, "\(route) with a token: \(reply)")
                }
            }
            for route in routes where route.method != "GET" {
                let (role, body) = try #require(writes[route], "no token and body for the write \(route): add one to the sweep")
                let reply = try await RawHTTP.send(
                    port: port, route.method, try real.path(route.template),
                    headers: ["Authorization": "Bearer \(f.tokens[role]!)"], body: body)
                #expect(reply.status != 401 && reply.status != 403 && reply.status < 500, "\(route) as \(role): \(reply)")
            }
        }
        await f.tearDown()
    }

    @Test("the spellings are the ones the sweep claims")
    func spellings() {
        let odd = Self.oddSpellings(of: "/api/devices")
        for expected in ["//api/devices", "/./api/devices", "/api/devices/", "/%2Fapi/devices", "/api/devices/../devices",
                         "/API/DEVICES", "/Api/devices", "/api//devices", "/api/./devices", "/api%2Fdevices"] {
            #expect(odd.contains(expected), "\(expected)")
        }
        #expect(!odd.contains("/api/devices"))
        #expect(Self.oddSpellings(of: "/").allSatisfy { $0 != "/" })
    }
}
