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

    @Test("the kitchen's pages: every lot's produced, sold, written off and remaining; quantities, gifts, the shared round and sale lines")
    func lotPages() async throws {
        let f = try await WebFixture.make(devices: [], streamRate: nil, demoLedger: true, foodNetwork: true)
        try await f.server.makeApplication().test(.router) { client in
            func page(_ uri: String) async throws -> String {
                let response = try await client.execute(uri: uri, method: .get, headers: f.headers(.viewer))
                #expect(response.status == .ok, "\(uri)")
                return String(buffer: response.body)
            }
            let lots = try await page("/ledger/lots")
            func row(_ cells: String...) -> String { "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>" }
            #expect(lots.contains(row("<a href=\"/ledger/unit/dal-0412\">dal-0412</a>", "dal-r2", "40", "30", "0",
                                      "<span class=\"remaining\">10</span>", "box", "")))
            #expect(lots.contains(row("<a href=\"/ledger/unit/dal-0419\">dal-0419</a>", "dal-r2", "40", "30", "10",
                                      "<span class=\"remaining\">0</span>", "box", "2026-04-24")))
            #expect(lots.contains(row("<a href=\"/ledger/unit/salad-0413\">salad-0413</a>", "salad-r1", "30", "30", "0",
                                      "<span class=\"remaining\">0</span>", "box", "")))

            let dal = try await page("/ledger/unit/dal-0412")
            #expect(dal.contains("<td>material</td><td>CAD 36.00</td><td>12 kg</td><td></td><td></td>"), "the lentils with their kilos")
            #expect(dal.contains("<td>work</td><td>CAD 60.00</td><td></td><td></td><td>4/7 of dal-0412, salad-0413</td>"),
                    "the driver's round, shared 40 : 30")
            // The mixed box: a sale of two lines, each its product, quantity and price.
            #expect(dal.contains("<tr><td>1</td><td><a href=\"/ledger/unit/dal-0412\">dal-0412</a></td><td>6</td><td>CAD 54.00</td></tr>"
                                 + "<tr><td>2</td><td><a href=\"/ledger/unit/salad-0413\">salad-0413</a></td><td>10</td><td>CAD 70.00</td></tr>"))
            let salad = try await page("/ledger/unit/salad-0413")
            #expect(salad.contains("<td>3/7 of dal-0412, salad-0413</td>"))
            let spoiled = try await page("/ledger/unit/dal-0419")
            #expect(spoiled.contains("<td>CAD 0.00</td><td>0.5 kg</td><td><span class=\"gift\">gift</span></td>"), "the donated coriander")
            let index = try await page("/ledger")
            #expect(index.contains("<a href=\"/ledger/lots\">"))
            #expect(index.contains("<td>24</td><td>CAD 192.00</td>"), "sale 1: 24 boxes of dal-0412")
        }
        await f.tearDown()
    }
}
