import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing
@testable import Web

/// Lots, sales of parts of lots, multi-line sales and gifts with quantities over HTTP: each answer is what the
/// library holds afterwards, and each refusal is one 4xx naming the field with the ledger left as it was.
@Suite("ledger lots over HTTP", .serialized)
struct LotRoutesTests {
    typealias Client = any TestClientProtocol

    static func post(_ client: Client, _ f: WebFixture, _ path: String, _ role: Role?, _ text: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: f.headers(role), body: body(text))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ r: TestResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(r.body.readableBytesView))
    }

    static func message(_ r: TestResponse) -> String { ((r.json as? [String: Any])?["message"] as? String) ?? "" }

    @Test("add, write off, sell in parts and in lines, give with a quantity: every answer is the ledger's record")
    func successes() async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        let ledger = try #require(f.server.ledger)
        try await ledger.registerUnit(serial: "MQ-LINE-1", design: "MQ-FORCE-r2")
        try await f.server.makeApplication().test(.router) { client in
            let added = try await Self.post(client, f, "/api/ledger/lots", .custodian,
                #"{"id":"LOT-A","design":"MQ-FORCE-r2","quantity":40,"measure":"box","expires":"2026-12-31"}"#)
            #expect(added.status == .created, "\(Self.message(added))")
            let stored = try #require(try await ledger.store.lot("LOT-A"))
            #expect(stored == Lot(id: "LOT-A", design: "MQ-FORCE-r2", quantity: 40, measure: "box", expires: try LedgerDate("2026-12-31")))
            #expect((added.json as? [String: Any])?["available"] as? Int == 40)

            let writeOff = try await Self.post(client, f, "/api/ledger/lots/LOT-A/write-offs", .custodian,
                                               #"{"quantity":4,"reason":"spoiled","date":"2026-05-02"}"#)
            #expect(writeOff.status == .created, "\(Self.message(writeOff))")
            #expect(try Self.decode(LotWriteOff.self, writeOff) == (try await ledger.store.writeOffs(lot: "LOT-A")).first)

            let part = try await Self.post(client, f, "/api/ledger/sales", .custodian,
                #"{"project":"mosquito","lot":"LOT-A","quantity":10,"price":50000,"currency":"CAD","date":"2026-05-03","buyer":"co-op"}"#)
            #expect(part.status == .created, "\(Self.message(part))")
            let partSale = try Self.decode(Sale.self, part)
            #expect(partSale.unit == "LOT-A" && partSale.quantity == 10 && partSale.price == 50000)
            #expect(try await ledger.store.sales(project: "mosquito").last == partSale)

            let mixed = try await Self.post(client, f, "/api/ledger/sales", .custodian,
                #"{"project":"mosquito","lines":[{"lot":"LOT-A","quantity":2,"price":10000},{"unit":"MQ-LINE-1","price":125000}],"currency":"CAD","date":"2026-05-04","buyer":"lab"}"#)
            #expect(mixed.status == .created, "\(Self.message(mixed))")
            let mixedSale = try Self.decode(Sale.self, mixed)
            #expect(mixedSale.lines == [SaleLine(unit: "LOT-A", quantity: 2, price: 10000), SaleLine(unit: "MQ-LINE-1", price: 125000)])
            #expect(mixedSale.price == 135000)
            #expect(try await ledger.store.sales(project: "mosquito").last == mixedSale)

            let gift = try await Self.post(client, f, "/api/ledger/contributions", .operator,
                #"{"date":"2026-05-01","project":"mosquito","kind":"material","lot":"LOT-A","quantity":{"amount":"12.5","measure":"kg"},"gift":true}"#)
            #expect(gift.status == .created, "\(Self.message(gift))")
            let event = try Self.decode(ContributionEvent.self, gift)
            #expect(event.gift && event.value == 0 && event.unit == "LOT-A" && event.agent == "ben")
            #expect(event.quantity == EventQuantity(amount: try #require(LedgerDecimal("12.5")), measure: "kg"))
            #expect(try await ledger.store.events(project: "mosquito").last == event)

            // One delivery round shared across two lots, by their produced quantities (40 : 10 = 4 : 1).
            try await ledger.addLot(id: "LOT-S", design: "MQ-FORCE-r2", quantity: 10, measure: "box")
            let round = try await Self.post(client, f, "/api/ledger/contributions", .operator,
                #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":6000,"lots":["LOT-A","LOT-S"],"note":"round"}"#)
            #expect(round.status == .created, "\(Self.message(round))")
            let shared = try Self.decode(ContributionEvent.self, round)
            #expect(shared.lots == [LotSplit(lot: "LOT-A", weight: LedgerDecimal(4)), LotSplit(lot: "LOT-S", weight: LedgerDecimal(1))])
            #expect(try await ledger.store.events(project: "mosquito").last == shared)
            let stated = try await Self.post(client, f, "/api/ledger/contributions", .operator,
                #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":6000,"lots":["LOT-A","LOT-S"],"split":["0.7","0.3"]}"#)
            #expect(stated.status == .created, "\(Self.message(stated))")
            #expect(try Self.decode(ContributionEvent.self, stated).lots
                    == [LotSplit(lot: "LOT-A", weight: try #require(LedgerDecimal("0.7"))), LotSplit(lot: "LOT-S", weight: try #require(LedgerDecimal("0.3")))])

            // What `lot show` shows, one lot and all of them: the library's stock.
            let stock = try await ledger.lotStock("LOT-A")
            #expect(stock.sold == 12 && stock.writtenOff == 4 && stock.available == 24)
            let shown = try await client.execute(uri: "/api/ledger/lots/LOT-A", method: .get)
            #expect(shown.status == .ok)
            let one = try #require(shown.json as? [String: Any])
            #expect(one["sold"] as? Int == 12 && one["writtenOff"] as? Int == 4 && one["available"] as? Int == 24, "\(one)")
            #expect((one["writeOffs"] as? [[String: Any]])?.first?["reason"] as? String == "spoiled")
            let all = try await client.execute(uri: "/api/ledger/lots", method: .get)
            let lots = try #require(all.json as? [[String: Any]])
            #expect(lots.count == 2 && (lots.first?["lot"] as? [String: Any])?["id"] as? String == "LOT-A")
            #expect(lots.first?["available"] as? Int == 24)
        }
        await f.tearDown()
    }

    @Test("bad input: one 4xx naming the field, the ledger unchanged", arguments: Self.badInputs)
    func refusals(_ refusal: Refusal) async throws {
        let f = try await WebFixture.make(streamRate: nil, demoLedger: true)
        let ledger = try #require(f.server.ledger)
        try await ledger.addLot(id: "LOT-B", design: "MQ-FORCE-r2", quantity: 5, measure: "box")
        try await ledger.addLot(id: "LOT-W", design: "MQ-FORCE-r2", quantity: 2, measure: "box")
        try await ledger.writeOff(lot: "LOT-W", quantity: 2, date: try LedgerDate("2026-05-01"), reason: "spoiled")
        let before = try await ledger.exportValueFlows()
        try await f.server.makeApplication().test(.router) { client in
            let r = refusal.method == .get
                ? try await client.execute(uri: refusal.path, method: .get)
                : try await Self.post(client, f, refusal.path, refusal.role, refusal.body)
            #expect(r.status.code == refusal.status, "\(refusal): \(r.status) \(Self.message(r))")
            #expect(Self.message(r).contains(refusal.says), "\(refusal): \(Self.message(r))")
            #expect(!Self.message(r).contains("\n"))
        }
        #expect(try await ledger.exportValueFlows() == before, "\(refusal) left the ledger unchanged")
        #expect(try await ledger.lotStock("LOT-B").available == 5)
        await f.tearDown()
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method = .post
        var path: String
        var role: Role? = .custodian
        var body = ""
        var status: UInt
        var says: String
        var description: String { "\(method) \(path) \(body) as \(role.map(\.rawValue) ?? "nobody")" }
    }

    static let saleFields = #""project":"mosquito","currency":"CAD","date":"2026-05-03","buyer":"co-op""#
    static let badInputs: [Refusal] = [
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lot":"LOT-B","quantity":6,"price":100}"#, status: 400,
              says: "quantity: lot 'LOT-B' holds 5 box"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lot":"NOPE","quantity":1,"price":100}"#, status: 404, says: "no lot 'NOPE'"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lot":"LOT-B","price":100}"#, status: 400,
              says: "quantity: a sale of lot 'LOT-B' needs 'quantity'"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lot":"LOT-B","quantity":-2,"price":100}"#, status: 400,
              says: "quantity -2 must be a whole number greater than 0"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"unit":"MQ-2026-0041","lot":"LOT-B","quantity":1,"price":100}"#, status: 400,
              says: "a sale sells a unit ('unit') or part of a lot ('lot' and 'quantity'), one of them"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lines":[{"lot":"LOT-B","quantity":1,"price":100},{"lot":"NOPE","quantity":1,"price":5}]}"#,
              status: 404, says: "line 2: no lot 'NOPE'"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lines":[{"lot":"LOT-B","quantity":1,"price":-100},{"unit":"MQ-2026-0041","price":5}]}"#,
              status: 400, says: "line 1: price must not be negative"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"price":1,"lines":[{"lot":"LOT-B","quantity":1,"price":1},{"lot":"LOT-B","quantity":2,"price":1}]}"#,
              status: 400, says: "lines: a sale of lines gives every product in 'lines'"),
        .init(path: "/api/ledger/sales", role: .operator, body: #"{\#(saleFields),"lot":"LOT-B","quantity":1,"price":100}"#, status: 403, says: "custodian"),
        .init(path: "/api/ledger/lots", body: #"{"id":"LOT-C","design":"MQ-FORCE-r2","quantity":-1,"measure":"box"}"#, status: 400,
              says: "quantity -1 must be a whole number greater than 0"),
        .init(path: "/api/ledger/lots", body: #"{"id":"LOT-C","design":"MQ-FORCE-r2","quantity":9223372036854775807,"measure":"box"}"#,
              status: 400, says: "quantity 9223372036854775807 is beyond the maximum"),
        .init(path: "/api/ledger/lots", body: #"{"id":"LOT-C","design":"MQ-FORCE-r2","quantity":99999999999999999999,"measure":"box"}"#,
              status: 400, says: "quantity 99999999999999999999 is beyond a 64-bit whole number"),
        .init(path: "/api/ledger/lots", body: #"{"id":"LOT-C","design":"MQ-FORCE-r2","quantity":3,"measure":"stone"}"#, status: 400,
              says: "unit of measure 'stone' is not one of"),
        .init(path: "/api/ledger/lots", body: #"{"id":"LOT-C","design":"NOPE","quantity":3,"measure":"box"}"#, status: 404, says: "no design 'NOPE'"),
        .init(path: "/api/ledger/lots", body: #"{"id":"LOT-C","design":"MQ-FORCE-r2","quantity":3,"quantity":4,"measure":"box"}"#,
              status: 400, says: "duplicate key 'quantity'"),
        .init(path: "/api/ledger/lots", role: nil, body: #"{"id":"LOT-C","design":"MQ-FORCE-r2","quantity":3,"measure":"box"}"#,
              status: 401, says: "token"),
        .init(path: "/api/ledger/lots", role: .viewer, body: #"{"id":"LOT-C","design":"MQ-FORCE-r2","quantity":3,"measure":"box"}"#,
              status: 403, says: "custodian"),
        .init(path: "/api/ledger/lots/LOT-B/write-offs", body: #"{"quantity":6,"reason":"spoiled","date":"2026-05-02"}"#, status: 400,
              says: "quantity: lot 'LOT-B' holds 5 box (5 produced, 0 sold, 0 written off); cannot write off 6"),
        .init(path: "/api/ledger/lots/LOT-B/write-offs", body: #"{"quantity":0,"reason":"spoiled","date":"2026-05-02"}"#, status: 400,
              says: "quantity 0 must be a whole number greater than 0"),
        .init(path: "/api/ledger/lots/LOT-B/write-offs", body: #"{"quantity":1,"reason":"","date":"2026-05-02"}"#, status: 400,
              says: "reason is empty"),
        .init(path: "/api/ledger/lots/NOPE/write-offs", body: #"{"quantity":1,"reason":"spoiled","date":"2026-05-02"}"#, status: 404,
              says: "no lot 'NOPE'"),
        .init(path: "/api/ledger/lots/LOT-B/write-offs", role: .steward, body: #"{"quantity":1,"reason":"spoiled","date":"2026-05-02"}"#,
              status: 403, says: "custodian"),
        .init(path: "/api/ledger/contributions", role: .operator,
              body: #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":100,"lot":"LOT-B","quantity":{"amount":"12","measure":"stone"}}"#,
              status: 400, says: "unit of measure 'stone'"),
        .init(path: "/api/ledger/contributions", role: .operator,
              body: #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":9223372036854775807,"lot":"LOT-B"}"#,
              status: 400, says: "value is beyond the maximum amount"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lines":[{"lot":"LOT-B","quantity":1,"price":-99999999999999999999},{"unit":"MQ-2026-0041","price":5}]}"#,
              status: 400, says: "price -99999999999999999999 is beyond a 64-bit whole number"),
        .init(method: .get, path: "/api/ledger/lots/NOPE", status: 404, says: "no lot 'NOPE'"),
        // The rest of issue 18's bad input, as the CLI refuses it.
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lot":"LOT-W","quantity":1,"price":100}"#, status: 400,
              says: "quantity: lot 'LOT-W' holds 0 box (2 produced, 0 sold, 2 written off); cannot sell 1"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"lines":[{"lot":"LOT-B","quantity":1,"price":100},{"lot":"LOT-W","quantity":1,"price":5}]}"#,
              status: 400, says: "line 2: quantity: lot 'LOT-W' holds 0 box"),
        .init(path: "/api/ledger/sales", body: #"{\#(saleFields),"unit":"MQ-2026-0042","price":100}"#, status: 409,
              says: "unit 'MQ-2026-0042' is already sold"),
        .init(path: "/api/ledger/sales", body: #"{"project":"mosquito","currency":"EUR","date":"2026-05-03","buyer":"co-op","lines":[{"lot":"LOT-B","quantity":1,"price":100},{"lot":"LOT-W","quantity":1,"price":5}]}"#,
              status: 400, says: "sale currency EUR does not match the project's currency CAD"),
        .init(path: "/api/ledger/contributions", role: .operator,
              body: #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":100,"lot":"LOT-B","quantity":{"amount":"-2","measure":"kg"}}"#,
              status: 400, says: "quantity -2 must be greater than 0"),
        .init(path: "/api/ledger/contributions", role: .operator,
              body: #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":100,"lots":["LOT-B"]}"#,
              status: 400, says: "lots: work shared across lots names at least two"),
        .init(path: "/api/ledger/contributions", role: .operator,
              body: #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":100,"lots":["LOT-B","NOPE"]}"#,
              status: 404, says: "lots: no lot 'NOPE'"),
        .init(path: "/api/ledger/contributions", role: .operator,
              body: #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":100,"lots":["LOT-B","LOT-W"],"split":["1"]}"#,
              status: 400, says: "split: 1 weights for 2 lots"),
        .init(path: "/api/ledger/contributions", role: .operator,
              body: #"{"date":"2026-05-01","project":"mosquito","kind":"material","value":100,"lots":["LOT-B","LOT-W"],"split":["1","0"]}"#,
              status: 400, says: "split: weight 0 must be greater than 0"),
    ]
}
