import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing
@testable import Web

/// Reversals over HTTP (`POST /api/ledger/sales/{id}/reverse`, `POST /api/ledger/contributions/{id}/reverse`):
/// each is checked against a twin ledger on the same backend where the library made the same corrections, so
/// what a custodian does from the dashboard is what `ledger sale reverse` / `ledger reverse` does.
@Suite("ledger reversals over HTTP", .serialized)
struct ReversalRoutesTests {
    typealias Client = any TestClientProtocol

    static func post(_ client: Client, _ f: WebFixture, _ path: String, _ role: Role?, _ text: String? = nil) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: f.headers(role), body: text.map(body))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ r: TestResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(r.body.readableBytesView))
    }

    static func message(_ r: TestResponse) -> String { ((r.json as? [String: Any])?["message"] as? String) ?? "" }

    static let cad = try! Currency("CAD")

    /// A demo ledger on `backend` that no server sees, closed and removed by the returned closure.
    static func twin(_ backend: LedgerBackend) async throws -> (Ledger, @Sendable () async -> Void) {
        let (ledger, close) = try await backend.open(sqlitePath: NSTemporaryDirectory() + "mosquito-twin-\(UUID().uuidString).sqlite")
        do { _ = try await ledger.runDemo() } catch { await close(); throw error }
        return (ledger, close)
    }

    /// A fixture over the demo ledger on `backend`, and a twin demo ledger on the same backend that no server sees,
    /// both closed however `body` ends.
    static func withTwins(_ backend: LedgerBackend, _ body: (WebFixture, Ledger, Ledger) async throws -> Void) async throws {
        try await WebFixture.with(backend: backend) { f in
            let ledger = try #require(f.server.ledger)
            let (twin, closeTwin) = try await Self.twin(backend)
            try await closing(closeTwin) { try await body(f, ledger, twin) }
        }
    }

    /// In each ledger, a fourth unit, sold (sale 4) and not distributed: the demo distributes its three sales.
    static func sellFourthUnit(in ledgers: Ledger..., on date: String) async throws {
        for ledger in ledgers {
            try await ledger.registerUnit(serial: "MQ-2026-0044", design: "MQ-FORCE-r2")
            let sale = try await ledger.recordSale(SaleDraft(project: "mosquito", unit: "MQ-2026-0044", price: 125_000, currency: cad,
                                                             date: try LedgerDate(date), buyer: "clinic", directCosts: 3_850))
            #expect(sale.id == 4)
        }
    }

    @Test("a sale reversed over HTTP is the library's reversal: never distributed, its unit sold again pays as the library's resale",
          arguments: LedgerBackend.enabled)
    func saleReversed(_ backend: LedgerBackend) async throws {
        try await Self.withTwins(backend) { f, ledger, twin in
            try await Self.sellFourthUnit(in: ledger, twin, on: "2026-05-01")
            let distributedBefore = try #require(try await ledger.store.distribution(sale: 3))
            let resale = #"{"project":"mosquito","unit":"MQ-2026-0043","price":90000,"currency":"CAD","date":"2026-06-02","buyer":"school-2"}"#

            try await f.server.makeApplication().test(.router) { client in
                let cancelled = try await Self.post(client, f, "/api/ledger/sales/4/reverse", .custodian,
                                                    #"{"date":"2026-05-02","note":"order cancelled"}"#)
                #expect(cancelled.status == .created, "\(Self.message(cancelled))")
                let reversal = try Self.decode(SaleReversal.self, cancelled)
                #expect(reversal.sale == 4 && reversal.date.text == "2026-05-02" && reversal.note == "order cancelled")
                #expect(try await ledger.store.saleReversal(sale: 4) == reversal)

                // Sale 3 was distributed: the library lets it be reversed, and its distribution stands.
                let returned = try await Self.post(client, f, "/api/ledger/sales/3/reverse", .custodian, #"{"date":"2026-06-01","note":"returned"}"#)
                #expect(returned.status == .created, "\(Self.message(returned))")
                #expect(try await ledger.store.saleReversal(sale: 3) == (try Self.decode(SaleReversal.self, returned)))

                let refused = try await Self.post(client, f, "/api/ledger/sales/4/distribute", .custodian)
                #expect(refused.status == .badRequest)
                #expect(Self.message(refused) == "sale 4 was reversed on 2026-05-02; a reversed sale is not distributed")

                let sold = try await Self.post(client, f, "/api/ledger/sales", .custodian, resale)
                #expect(sold.status == .created, "the returned unit can be sold again: \(Self.message(sold))")
                let distributed = try await Self.post(client, f, "/api/ledger/sales/5/distribute", .custodian)
                #expect(distributed.status == .created, "\(Self.message(distributed))")

                _ = try await twin.reverseSale(4, date: try LedgerDate("2026-05-02"), note: "order cancelled")
                _ = try await twin.reverseSale(3, date: try LedgerDate("2026-06-01"), note: "returned")
                await #expect(throws: LedgerError.invalid("sale 4 was reversed on 2026-05-02; a reversed sale is not distributed")) {
                    try await twin.distribute(sale: 4)
                }
                try await twin.recordSale(SaleDraft(project: "mosquito", unit: "MQ-2026-0043", price: 90_000, currency: Self.cad,
                                                    date: try LedgerDate("2026-06-02"), buyer: "school-2", directCosts: 0))
                #expect(try Self.decode(Distribution.self, distributed) == (try await twin.distribute(sale: 5)))
            }
            #expect(try await ledger.store.distribution(sale: 3) == distributedBefore, "a distribution made before the reversal stands")
            #expect(try await ledger.store.distribution(sale: 4) == nil)
            #expect(try await ledger.store.distributions(project: nil) == (try await twin.store.distributions(project: nil)))
            #expect(try await ledger.store.claims(project: "mosquito") == (try await twin.store.claims(project: "mosquito")))
            for sale in Int64(1)...5 {
                let (http, library) = (try await ledger.store.saleReversal(sale: sale), try await twin.store.saleReversal(sale: sale))
                #expect(http.map { [$0.date.text, $0.note] } == library.map { [$0.date.text, $0.note] }, "sale \(sale)")
            }
            #expect(try await ledger.store.verifyChain().isIntact)
        }
    }

    @Test("a contribution reversed over HTTP is the library's reversal: the next sale pays as if it had not been given",
          arguments: LedgerBackend.enabled)
    func contributionReversed(_ backend: LedgerBackend) async throws {
        try await Self.withTwins(backend) { f, ledger, twin in
            try await Self.sellFourthUnit(in: ledger, twin, on: "2026-06-01")
            let unreversed = try await ledger.distribute(sale: 4, dryRun: true)

            try await f.server.makeApplication().test(.router) { client in
                // Ben's own cash (event 2), reversed by ben.
                let own = try await Self.post(client, f, "/api/ledger/contributions/2/reverse", .operator,
                                              #"{"date":"2026-03-01","note":"the rig was bought by the fund"}"#)
                #expect(own.status == .created, "\(Self.message(own))")
                let reversal = try Self.decode(ContributionEvent.self, own)
                #expect(reversal.reverses == 2 && reversal.agent == "ben" && reversal.value == -60_000 && reversal.note == "the rig was bought by the fund")
                #expect(try await ledger.store.event(reversal.id) == reversal)
                let twinReversal = try await twin.reverse(event: 2, date: try LedgerDate("2026-03-01"), note: "the rig was bought by the fund")
                #expect(Self.content(reversal) == Self.content(twinReversal))

                // Ed's documentation hours (event 5), reversed by the steward with an empty body: dated today, UTC.
                let dayBefore = Self.todayUTC()
                let forEd = try await Self.post(client, f, "/api/ledger/contributions/5/reverse", .steward)
                let dayAfter = Self.todayUTC()
                #expect(forEd.status == .created, "\(Self.message(forEd))")
                let hours = try Self.decode(ContributionEvent.self, forEd)
                #expect(hours.reverses == 5 && hours.agent == "ed" && hours.hours == LedgerDecimal("-10") && hours.note == nil)
                #expect(hours.date.text == dayBefore || hours.date.text == dayAfter, "\(hours.date)")
                #expect(Self.content(hours) == Self.content(try await twin.reverse(event: 5, date: hours.date, note: nil)))

                let distributed = try await Self.post(client, f, "/api/ledger/sales/4/distribute", .custodian)
                #expect(distributed.status == .created, "\(Self.message(distributed))")
                let distribution = try Self.decode(Distribution.self, distributed)
                #expect(distribution == (try await twin.distribute(sale: 4)))
                #expect(distribution != unreversed, "ben's reversed cash no longer shares in the sale")
                #expect(!distribution.payments.contains { $0.event == 2 } && unreversed.payments.contains { $0.event == 2 })
            }
            #expect(try await ledger.store.events(project: nil).map(Self.content) == (try await twin.store.events(project: nil)).map(Self.content))
            #expect(try await ledger.store.claims(project: "mosquito") == (try await twin.store.claims(project: "mosquito")))
            #expect(try await ledger.store.verifyChain().isIntact)
        }
    }

    /// An event without what only its moment of appending sets (its time and so its hashes).
    static func content(_ event: ContributionEvent) -> EventRecord {
        var record = event.record
        record.recordedAt = ""
        return record
    }

    /// Today's date in UTC, worked out apart from the server's own default.
    static func todayUTC() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}
