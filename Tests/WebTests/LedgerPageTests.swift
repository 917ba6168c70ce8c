import Foundation
import HummingbirdTesting
import Ledger
import Testing
@testable import Web

/// The ledger's server-rendered pages show money in major units; the JSON API keeps integer minor units.
@Suite("ledger pages")
struct LedgerPageTests {
    @Test("the demo unit page shows CAD 1,250.00 and the rest in major units; its JSON still says 125000")
    func unitPage() async throws {
        let f = try await WebFixture.make(devices: [], streamRate: nil, demoLedger: true)
        let ledger = try #require(f.server.ledger)
        let unit = try #require(try await ledger.store.sales(project: nil).first).unit
        try await f.server.makeApplication().test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/ledger/unit/\(unit)", method: .get).body)
            // The demo sells every unit for 1250.00 CAD with 38.50 CAD of direct costs.
            #expect(page.contains("<td class=\"price\">CAD 1,250.00</td>"))
            #expect(page.contains("<td>CAD 38.50</td>"))
            #expect(page.contains("<td class=\"distributable\">CAD 1,211.50</td>"))
            // Contributions to the unit: the 185.40 CAD parts kit and the 15.00 CAD rig time.
            #expect(page.contains("<td>CAD 185.40</td>") && page.contains("<td>CAD 15.00</td>"))
            #expect(!page.contains("125000") && !page.contains("18540"), "no minor units on the page")

            let json = try #require(try await client.execute(uri: "/api/ledger/units/\(unit)", method: .get).json as? [String: Any])
            let sale = try #require((json["sales"] as? [[String: Any]])?.first?["sale"] as? [String: Any])
            #expect(sale["price"] as? Int == 125_000, "the API contract stays integer minor units")
        }
        await f.tearDown()
    }

    @Test("the agent page shows earnings and contributions in major units")
    func agentPage() async throws {
        let f = try await WebFixture.make(devices: [], streamRate: nil, demoLedger: true)
        let report = try await #require(f.server.ledger).agentReport("chloe")
        let earned = try #require(report.totals["CAD"])
        #expect(earned > 0)
        try await f.server.makeApplication().test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/ledger/agent/chloe", method: .get).body)
            #expect(page.contains("<span class=\"total\">\(MoneyText.format(earned, code: "CAD"))</span>"))
            #expect(page.contains(MoneyText.format(try #require(report.contributed["CAD"]), code: "CAD")))
            for e in report.earnings { #expect(page.contains("<td>\(MoneyText.format(e.amount, code: e.currency))</td>")) }
            #expect(!page.contains("minor units"))
        }
        await f.tearDown()
    }
}
