import Foundation
import TestSupport
import HTTPTypes
import Hummingbird
import Ledger
import HummingbirdTesting
import Testing
@testable import Web

/// Exercises every documented JSON route (successes and errors) and checks each body against the schema the
/// OpenAPI document gives for that path, method and status (Python jsonschema; the document itself is
/// validated with openapi-spec-validator).
@Suite("OpenAPI conformance", .serialized)
struct OpenAPIConformanceTests {
    struct Captured: Encodable {
        var method: String
        var path: String
        var status: Int
        var body: JSONValue
    }

    @Test("every response matches its documented schema")
    func responsesConform() async throws {
        let f = try await WebFixture.make(streamRate: 1000, demoLedger: true)
        let captured = try await f.server.makeApplication().test(.router) { client in
            var captured: [Captured] = []
            func call(_ method: HTTPRequest.Method, _ uri: String, as template: String, role: Role? = nil, _ text: String? = nil) async throws -> TestResponse {
                let r = try await client.execute(uri: uri, method: method, headers: f.headers(role), body: text.map(body))
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(r.body.readableBytesView))
                captured.append(Captured(method: method.rawValue, path: template, status: Int(r.status.code), body: value))
                return r
            }
            _ = try await call(.get, "/api/devices", as: "/api/devices")
            _ = try await call(.get, "/api/devices/MQ-WEB-1", as: "/api/devices/{id}")
            _ = try await call(.get, "/api/devices/NOPE", as: "/api/devices/{id}")
            _ = try await call(.get, "/api/devices/MQ-WEB-1/status", as: "/api/devices/{id}/status")
            _ = try await call(.post, "/api/devices/MQ-WEB-1/stop", as: "/api/devices/{id}/stop", role: .operator)
            _ = try await call(.post, "/api/devices/MQ-WEB-1/stop", as: "/api/devices/{id}/stop", role: .operator)
            _ = try await call(.post, "/api/devices/MQ-WEB-1/start", as: "/api/devices/{id}/start", role: .operator, #"{"rateHz":500}"#)
            _ = try await call(.post, "/api/devices/MQ-WEB-1/start", as: "/api/devices/{id}/start")
            _ = try await call(.post, "/api/devices/MQ-WEB-1/start", as: "/api/devices/{id}/start", role: .custodian, "{}")
            _ = try await call(.post, "/api/recordings", as: "/api/recordings", role: .operator, #"{"device":"MQ-WEB-1","name":"c.h5"}"#)
            _ = try await call(.post, "/api/recordings", as: "/api/recordings", role: .operator, #"{"device":"MQ-WEB-1","name":"../c.h5"}"#)
            try await Task.sleep(for: .milliseconds(300))
            _ = try await call(.post, "/api/recordings/stop", as: "/api/recordings/stop", role: .operator, #"{"device":"MQ-WEB-1"}"#)
            _ = try await call(.get, "/api/recordings", as: "/api/recordings")
            _ = try await call(.get, "/api/recordings/c.h5/summary", as: "/api/recordings/{name}/summary")
            _ = try await call(.get, "/api/recordings/none.h5/summary", as: "/api/recordings/{name}/summary")
            _ = try await call(.get, "/api/calibration/MQ-WEB-1/history", as: "/api/calibration/{serial}/history")
            _ = try await call(.get, "/api/ledger/agents", as: "/api/ledger/agents")
            _ = try await call(.post, "/api/ledger/agents", as: "/api/ledger/agents", role: .steward, #"{"id":"fay","name":"Fay","kind":"person"}"#)
            _ = try await call(.get, "/api/ledger/agents/ana", as: "/api/ledger/agents/{id}")
            _ = try await call(.get, "/api/ledger/agents/nobody", as: "/api/ledger/agents/{id}")
            let sales = try await call(.get, "/api/ledger/sales", as: "/api/ledger/sales")
            let units = ((sales.json as? [[String: Any]]) ?? []).compactMap { $0["unit"] as? String }
            #expect(units.count == 3, "the demo sells three units")
            for unit in units { _ = try await call(.get, "/api/ledger/units/\(unit)", as: "/api/ledger/units/{serial}") }
            _ = try await call(.get, "/api/ledger/projects/mosquito", as: "/api/ledger/projects/{id}")
            _ = try await call(.get, "/api/ledger/projects/mosquito/equation", as: "/api/ledger/projects/{id}/equation")
            // A credited calibration's event carries its source reference: the documented event must allow it.
            let reference = "calibration certificate MQC-20260501-0000CAFE"
            _ = try await #require(f.server.ledger).contribute(ContributionDraft(
                date: try LedgerDate("2026-05-01"), agent: "ana", project: "mosquito", kind: .material, value: 1250,
                note: reference, sourceReference: reference))
            let events = try await call(.get, "/api/ledger/contributions?project=mosquito", as: "/api/ledger/contributions")
            #expect((events.json as? [[String: Any]])?.contains { $0["sourceReference"] as? String == reference } == true)
            _ = try await call(.post, "/api/ledger/contributions", as: "/api/ledger/contributions", role: .operator,
                               #"{"date":"2026-05-02","project":"mosquito","kind":"material","value":1234,"unit":"\#(units[0])"}"#)
            _ = try await call(.post, "/api/ledger/contributions", as: "/api/ledger/contributions", role: .operator, #"{"project":"mosquito"}"#)
            _ = try await call(.post, "/api/ledger/lots", as: "/api/ledger/lots", role: .custodian,
                               #"{"id":"LOT-1","design":"MQ-FORCE-r2","quantity":40,"measure":"box","expires":"2026-12-31"}"#)
            _ = try await call(.post, "/api/ledger/lots", as: "/api/ledger/lots", role: .custodian,
                               #"{"id":"LOT-2","design":"MQ-FORCE-r2","quantity":-1,"measure":"box"}"#)
            _ = try await call(.post, "/api/ledger/lots", as: "/api/ledger/lots", role: .custodian,
                               #"{"id":"LOT-3","design":"MQ-FORCE-r2","quantity":1,"measure":"kg"}"#)
            _ = try await call(.post, "/api/ledger/lots/LOT-1/write-offs", as: "/api/ledger/lots/{id}/write-offs", role: .custodian,
                               #"{"quantity":4,"reason":"spoiled","date":"2026-05-02"}"#)
            _ = try await call(.post, "/api/ledger/lots/NOPE/write-offs", as: "/api/ledger/lots/{id}/write-offs", role: .custodian,
                               #"{"quantity":4,"reason":"spoiled","date":"2026-05-02"}"#)
            _ = try await call(.post, "/api/ledger/contributions", as: "/api/ledger/contributions", role: .operator,
                               #"{"date":"2026-05-02","project":"mosquito","kind":"material","lot":"LOT-1","gift":true,"quantity":{"amount":"12","measure":"kg"}}"#)
            let sale = #""project":"mosquito","currency":"CAD","date":"2026-05-03","buyer":"co-op""#
            _ = try await call(.post, "/api/ledger/sales", as: "/api/ledger/sales", role: .custodian,
                               #"{\#(sale),"lot":"LOT-1","quantity":10,"price":50000}"#)
            _ = try await call(.post, "/api/ledger/sales", as: "/api/ledger/sales", role: .custodian,
                               #"{\#(sale),"lines":[{"lot":"LOT-1","quantity":2,"price":100},{"lot":"LOT-3","quantity":1,"price":5}]}"#)
            _ = try await call(.post, "/api/ledger/sales", as: "/api/ledger/sales", role: .custodian,
                               #"{\#(sale),"lot":"LOT-1","quantity":100,"price":50000}"#)
            _ = try await call(.get, "/api/ledger/sales", as: "/api/ledger/sales")
            _ = try await call(.get, "/api/ledger/lots", as: "/api/ledger/lots")
            _ = try await call(.get, "/api/ledger/lots/LOT-1", as: "/api/ledger/lots/{id}")
            _ = try await call(.get, "/api/ledger/lots/NOPE", as: "/api/ledger/lots/{id}")
            _ = try await call(.get, "/api/ledger/distributions", as: "/api/ledger/distributions")
            _ = try await call(.post, "/api/ledger/sales/1/distribute", as: "/api/ledger/sales/{id}/distribute", role: .custodian)
            let reverseEvent = "/api/ledger/contributions/{id}/reverse", reverseSale = "/api/ledger/sales/{id}/reverse"
            _ = try await call(.post, "/api/ledger/contributions/2/reverse", as: reverseEvent, role: .operator, #"{"date":"2026-03-01","note":"typo"}"#)
            _ = try await call(.post, "/api/ledger/contributions/5/reverse", as: reverseEvent, role: .steward)
            _ = try await call(.post, "/api/ledger/contributions/2/reverse", as: reverseEvent, role: .operator)
            _ = try await call(.post, "/api/ledger/contributions/999/reverse", as: reverseEvent, role: .steward)
            _ = try await call(.post, "/api/ledger/contributions/3/reverse", as: reverseEvent, role: .viewer)
            _ = try await call(.post, "/api/ledger/contributions/3/reverse", as: reverseEvent, role: .operator, #"{"date":"03/01/2026"}"#)
            _ = try await call(.post, "/api/ledger/sales/2/reverse", as: reverseSale, role: .custodian, #"{"date":"2026-06-01","note":"returned"}"#)
            _ = try await call(.post, "/api/ledger/sales/3/reverse", as: reverseSale, role: .custodian)
            _ = try await call(.post, "/api/ledger/sales/2/reverse", as: reverseSale, role: .custodian)
            _ = try await call(.post, "/api/ledger/sales/999/reverse", as: reverseSale, role: .custodian)
            _ = try await call(.post, "/api/ledger/sales/2/reverse", as: reverseSale, role: .custodian, #"{"date":"June"}"#)
            _ = try await call(.post, "/api/ledger/sales/2/reverse", as: reverseSale, role: .steward)
            _ = try await call(.post, "/api/ledger/sales/2/reverse", as: reverseSale)
            _ = try await call(.post, "/api/session", as: "/api/session", role: .viewer)
            _ = try await call(.post, "/api/session", as: "/api/session")
            return captured
        }
        await f.tearDown()
        #expect(captured.count >= 30)
        let statuses = Set(captured.map(\.status))
        #expect(statuses.isSuperset(of: [200, 201, 400, 401, 403, 404, 409]))
        let reached = Dictionary(grouping: captured, by: \.path).mapValues { Set($0.map(\.status)) }
        #expect(reached["/api/ledger/contributions/{id}/reverse"] == [201, 400, 403, 404, 409])
        #expect(reached["/api/ledger/sales/{id}/reverse"] == [201, 400, 401, 403, 404, 409])
        let out = NSTemporaryDirectory() + "mosquito-captured-\(UUID().uuidString).json"
        try JSONEncoder().encode(captured).write(to: URL(fileURLWithPath: out))
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, output) = try runPython(["Tests/WebTests/Support/validate_responses.py", "Sources/Web/openapi.json", out])
        #expect(status == 0, "\(output)")
    }
}

extension OpenAPIConformanceTests {
    @Test("the checker itself rejects a body that breaks its schema and an undocumented status")
    func checkerCanFail() throws {
        let bad: [[String: Any]] = [
            ["method": "GET", "path": "/api/devices/{id}/status", "status": 200, "body": ["mode": "dancing"]],
            ["method": "GET", "path": "/api/devices", "status": 418, "body": [:] as [String: Any]],
        ]
        let out = NSTemporaryDirectory() + "mosquito-bad-\(UUID().uuidString).json"
        try JSONSerialization.data(withJSONObject: bad).write(to: URL(fileURLWithPath: out))
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, output) = try runPython(["Tests/WebTests/Support/validate_responses.py", "Sources/Web/openapi.json", out])
        #expect(status == 1)
        #expect(output.contains("2 responses checked"))
        #expect(output.contains("status 418 not documented"))
        #expect(output.contains("dancing") || output.contains("required"))
    }
}

/// Any JSON, to re-encode a response body unchanged.
indirect enum JSONValue: Codable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n == n.rounded(), abs(n) < 9e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

func runPython(_ arguments: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: TestEnvironment.python)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: TestEnvironment.packageRoot)
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
