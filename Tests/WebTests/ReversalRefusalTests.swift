import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import TestSupport
import Testing
@testable import Web

/// What a reversal over HTTP refuses, on both databases: one JSON error with the status the other ledger routes
/// give the same `LedgerError`, the ledger byte for byte as it was and its chains intact. And what it answers is
/// the CLI's `--json`.
@Suite("ledger reversals over HTTP: refusals and the CLI's shape", .serialized)
struct ReversalRefusalTests {
    struct Refusal: Sendable, CustomStringConvertible {
        var path: String
        var role: Role?
        var body: String?
        var status: UInt
        var says: String
        var description: String { "POST \(path) \(body ?? "") as \(role.map(\.rawValue) ?? "nobody")" }
    }

    /// The demo, plus event 20 reversing ben's event 2 and sale 1 reversed: so both can be reversed "again".
    static let refusals: [Refusal] = [
        .init(path: "/api/ledger/sales/999/reverse", role: .custodian, status: 404, says: "no sale 999"),
        .init(path: "/api/ledger/contributions/999/reverse", role: .steward, status: 404, says: "no event 999"),
        .init(path: "/api/ledger/contributions/999/reverse", role: .operator, status: 404, says: "no event 999"),
        .init(path: "/api/ledger/sales/1/reverse", role: .custodian, status: 409, says: "sale 1 is already reversed (on 2026-06-01)"),
        .init(path: "/api/ledger/contributions/2/reverse", role: .operator, status: 409, says: "event 2 is already reversed"),
        .init(path: "/api/ledger/contributions/20/reverse", role: .operator, status: 400, says: "event 20 is itself a reversal"),
        .init(path: "/api/ledger/sales/2/reverse", role: .custodian, body: #"{"date":"2026-13-40"}"#, status: 400,
              says: "date '2026-13-40' is not a calendar date YYYY-MM-DD"),
        .init(path: "/api/ledger/contributions/3/reverse", role: .operator, body: #"{"date":"03/01/2026"}"#, status: 400,
              says: "date '03/01/2026' is not a calendar date YYYY-MM-DD"),
        .init(path: "/api/ledger/sales/2/reverse", role: .custodian, body: #"{"date":20260601}"#, status: 400, says: "wrong type at 'date'"),
        .init(path: "/api/ledger/sales/2/reverse", role: .custodian, body: #"{"note":"a","note":"b"}"#, status: 400,
              says: "duplicate key 'note'"),
        .init(path: "/api/ledger/sales/2/reverse", role: .custodian, body: #"{"date":"2026-04-01"}"#, status: 400,
              says: "a reversal cannot be dated before the sale it reverses (2026-04-16)"),
        .init(path: "/api/ledger/contributions/3/reverse", role: .operator, body: #"{"date":"2026-01-01"}"#, status: 400,
              says: "a reversal cannot be dated before the event it reverses"),
        .init(path: "/api/ledger/sales/two/reverse", role: .custodian, status: 400, says: "sale id must be a number"),
        .init(path: "/api/ledger/sales/99999999999999999999/reverse", role: .custodian, status: 400, says: "sale id must be a number"),
        .init(path: "/api/ledger/contributions/two/reverse", role: .operator, status: 400, says: "contribution id must be a number"),
        .init(path: "/api/ledger/sales/2/reverse", role: nil, status: 401, says: "bearer token"),
        .init(path: "/api/ledger/contributions/3/reverse", role: nil, status: 401, says: "bearer token"),
        .init(path: "/api/ledger/sales/2/reverse", role: .steward, status: 403, says: "may not recordSale (needs custodian)"),
        .init(path: "/api/ledger/sales/2/reverse", role: .operator, status: 403, says: "may not recordSale (needs custodian)"),
        .init(path: "/api/ledger/contributions/5/reverse", role: .operator, status: 403,
              says: "'ben' may reverse only their own contributions, not 'ed's"),
        .init(path: "/api/ledger/contributions/3/reverse", role: .viewer, status: 403,
              says: "'ed' may reverse only their own contributions, not 'ben's"),
        .init(path: "/api/ledger/contributions/2/reverse", role: .custodian, status: 403,
              says: "'tactus' may reverse only their own contributions, not 'ben's"),
    ]

    static var cases: [(LedgerBackend, Refusal)] {
        LedgerBackend.enabled.flatMap { backend in refusals.map { (backend, $0) } }
    }

    @Test("a refused reversal: one JSON error, the ledger unchanged, verify intact", arguments: Self.cases)
    func refused(_ backend: LedgerBackend, _ refusal: Refusal) async throws {
        try await WebFixture.with(backend: backend) { f in
            let ledger = try #require(f.server.ledger)
            #expect(try await ledger.reverse(event: 2, date: try LedgerDate("2026-03-01"), note: "typo").id == 20)
            _ = try await ledger.reverseSale(1, date: try LedgerDate("2026-06-01"), note: "returned")
            let before = try await Self.dump(ledger)
            try await f.server.makeApplication().test(.router) { client in
                let r = try await client.execute(uri: refusal.path, method: .post, headers: f.headers(refusal.role), body: refusal.body.map(body))
                let answer = try #require(r.json as? [String: Any], "\(refusal): one JSON object")
                #expect(r.status.code == refusal.status, "\(refusal): \(r.status) \(answer)")
                #expect(answer.keys.sorted() == ["error", "message"], "\(refusal): \(answer)")
                let message = answer["message"] as? String ?? ""
                #expect(message.contains(refusal.says), "\(refusal): \(message)")
                #expect(!message.contains("\n"))
            }
            #expect(try await Self.dump(ledger) == before, "\(refusal) left the ledger unchanged")
            #expect(try await ledger.store.verifyChain().isIntact)
        }
    }

    /// Everything a reversal could change: the value flows export, every event with its hashes, every sale with its
    /// reversal, every distribution and claim.
    static func dump(_ ledger: Ledger) async throws -> String {
        var text = try await ledger.exportValueFlows()
        text += "\n\(try await ledger.store.events(project: nil))"
        for sale in try await ledger.store.sales(project: nil) {
            text += "\n\(sale) \(String(describing: try await ledger.store.saleReversal(sale: sale.id)))"
        }
        text += "\n\(try await ledger.store.distributions(project: nil))\n\(try await ledger.store.claims(project: "mosquito"))"
        return text
    }

    @Test("a reversal's answer is what the CLI's `--json` prints for the same reversal, field for field")
    func cliShape() async throws {
        try await WebFixture.with(backend: .sqlite) { f in
            // The CLI on a demo ledger of its own: the same demo, so the same records.
            func cli(_ arguments: [String]) throws -> Data {
                let (p, out, err) = try ServeProcessTests.start(["ledger"] + arguments + ["--ledger", "cli.sqlite", "--json"], in: f.folder)
                #expect(ServeProcessTests.wait(p) && p.terminationStatus == 0,
                        "\(arguments): \((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
                return try Data(contentsOf: URL(fileURLWithPath: out))
            }
            /// A JSON object without what only the moment of appending sets (an event's time, so its hashes),
            /// re-encoded with sorted keys.
            @Sendable func timeless(_ data: Data) throws -> String {
                let object = try JSONDecoder().decode([String: JSONValue].self, from: data)
                    .filter { !["recordedAt", "hash", "previousHash"].contains($0.key) }
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                return String(decoding: try encoder.encode(object), as: UTF8.self)
            }
            _ = try cli(["demo"])
            let cliSale = try cli(["sale", "reverse", "--sale", "2", "--date", "2026-06-01", "--note", "returned"])
            let cliEvent = try cli(["reverse", "--event", "3", "--date", "2026-03-01", "--note", "typo"])
            try await f.server.makeApplication().test(.router) { client in
                let sale = try await client.execute(uri: "/api/ledger/sales/2/reverse", method: .post, headers: f.headers(.custodian),
                                                    body: body(#"{"date":"2026-06-01","note":"returned"}"#))
                let event = try await client.execute(uri: "/api/ledger/contributions/3/reverse", method: .post, headers: f.headers(.operator),
                                                     body: body(#"{"date":"2026-03-01","note":"typo"}"#))
                #expect(sale.status == .created && event.status == .created)
                for (http, printed) in [(sale, cliSale), (event, cliEvent)] {
                    let answered = Data(http.body.readableBytesView)
                    let (keys, printedKeys) = ((try JSONDecoder().decode([String: JSONValue].self, from: answered)).keys.sorted(),
                                               (try JSONDecoder().decode([String: JSONValue].self, from: printed)).keys.sorted())
                    #expect(keys == printedKeys && keys.contains("recordedAt"))
                    #expect(try timeless(answered) == (try timeless(printed)))
                }
            }
        }
    }
}
