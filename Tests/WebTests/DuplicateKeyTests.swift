import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

/// A JSON body that names a field twice says two things at once; JSONDecoder would silently keep one of them.
/// Every write route that reads JSON refuses it with 400 and changes nothing.
@Suite("duplicate JSON keys", .serialized)
struct DuplicateKeyTests {
    struct Case: Sendable, CustomStringConvertible {
        var path: String
        var role: Role
        /// The body with each field once: the control, which must not be refused as a duplicate.
        var unique: String
        var duplicated: String
        var key: String
        var description: String { path }
    }

    static let cases: [Case] = [
        .init(path: "/api/devices/MQ-WEB-1/start", role: .operator, unique: #"{"rateHz":500}"#,
              duplicated: #"{"rateHz":500,"rateHz":0}"#, key: "rateHz"),
        .init(path: "/api/recordings", role: .operator, unique: #"{"device":"MQ-WEB-1","name":"dup.h5"}"#,
              duplicated: #"{"device":"MQ-WEB-1","name":"a.h5","name":"b.h5"}"#, key: "name"),
        .init(path: "/api/recordings/stop", role: .operator, unique: #"{"device":"MQ-WEB-1"}"#,
              duplicated: #"{"device":"MQ-WEB-1","device":"MQ-WEB-1"}"#, key: "device"),
        .init(path: "/api/ledger/agents", role: .steward, unique: #"{"id":"zed","name":"Zed","kind":"person"}"#,
              duplicated: #"{"id":"zed","name":"Zed","kind":"person","id":"zed2"}"#, key: "id"),
        .init(path: "/api/ledger/contributions", role: .operator,
              unique: #"{"date":"2026-05-01","project":"mosquito","kind":"cash","value":100}"#,
              // The same key spelled with an escape is the same key.
              duplicated: #"{"date":"2026-05-01","project":"mosquito","kind":"cash","value":100,"\u0076alue":5000000}"#, key: "value"),
        .init(path: "/api/ledger/sales", role: .custodian,
              unique: #"{"project":"mosquito","unit":"MQ-DUP-1","price":100,"currency":"EUR","date":"2026-05-01","buyer":"lab"}"#,
              duplicated: #"{"project":"mosquito","unit":"MQ-DUP-1","price":100,"currency":"EUR","date":"2026-05-01","buyer":"lab","price":1}"#,
              key: "price"),
    ]

    @Test("every write route that takes JSON: a duplicate key is 400 naming the key, and nothing changes", arguments: cases)
    func refusedOnEveryWriteRoute(_ c: Case) async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        let ledger = try #require(f.server.ledger)
        let eventsBefore = try await ledger.store.events(project: nil).count
        let agentsBefore = try await ledger.store.agents().count
        let salesBefore = try await ledger.store.sales(project: nil).count
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.execute(uri: c.path, method: .post, headers: f.headers(c.role), body: body(c.duplicated))
            #expect(r.status == .badRequest, "\(c.path): \(String(buffer: r.body))")
            #expect(r.errorCode == "bad_request")
            let message = (r.json as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("duplicate key '\(c.key)'"), "\(message)")
        }
        #expect(try await ledger.store.events(project: nil).count == eventsBefore)
        #expect(try await ledger.store.agents().count == agentsBefore)
        #expect(try await ledger.store.sales(project: nil).count == salesBefore)
        #expect(f.server.recordings.list().isEmpty)
        #expect(f.server.devices[0].status().mode == .idle)
        // The control: the same body with each key once is not refused as a duplicate.
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.execute(uri: c.path, method: .post, headers: f.headers(c.role), body: body(c.unique))
            let message = (r.json as? [String: Any])?["message"] as? String ?? ""
            #expect(!message.contains("duplicate"), "\(c.path): \(r.status) \(message)")
        }
        if f.server.devices[0].status().mode == .recording { _ = try f.server.devices[0].stopRecording() }
        await f.tearDown()
    }

    @Test("the scanner: same object only, escapes decoded, strings and nesting understood", arguments: [
        (#"{"a":1,"b":2}"#, nil),
        (#"{"a":{"a":1},"b":{"a":2}}"#, nil),
        (#"{"x":[{"a":1},{"a":2}]}"#, nil),
        (#"{"s":"{\"a\":1,\"a\":2}","t":"\\\"a\""}"#, nil),
        (#"[1,"a",{"a":[],"b":{}},[[{"c":null}]]]"#, nil),
        (#"{"a":1,"a":2}"#, "a@"),
        (#"{"a":1,"\u0061":2}"#, "a@"),
        (#"{"\ud83d\ude00":1,"😀":2}"#, "😀@"),
        (#"{"é":1,"e\u0301":2}"#, "é@"),
        (#"{"outer":{"list":[{"k":1},{"k":1,"k":2}]}}"#, "k@outer.list[1]"),
        (#"  {"x" : [ 1 , { "y" : true , "y" : false } ] }  "#, "y@x[1]"),
    ] as [(String, String?)])
    func scanner(_ json: String, _ expected: String?) {
        let found = DuplicateKeys.first(in: Array(json.utf8))
        #expect(found.map { "\($0.key)@\($0.path)" } == expected, "\(json)")
    }

    @Test("deep nesting is scanned without recursion")
    func deepNesting() {
        let depth = 20_000
        let json = String(repeating: "[", count: depth) + #"{"a":1,"a":2}"# + String(repeating: "]", count: depth)
        #expect(DuplicateKeys.first(in: Array(json.utf8))?.key == "a")
    }
}
