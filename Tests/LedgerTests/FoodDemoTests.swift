import Foundation
@testable import Ledger
import Testing

/// The community kitchen (issue 18's second worked example, docs/ledger.md "A second worked example"): every line
/// of its four sales, checked against the value equation by hand in the docs, on SQLite and PostgreSQL and by command.
@Suite("The community kitchen demo", .serialized)
struct FoodDemoTests {
    static func lines(_ rows: [(String?, String, Int64)]) -> [DistributionLine] {
        rows.map { DistributionLine(bucket: $0.0, agent: $0.1, amount: $0.2) }
    }

    static let expected: [[DistributionLine]] = [
        // 24 of the 40 boxes of dal-0412 for 192.00; the round shared 4/7 with this batch, 24/40 of that part.
        lines([("co-op-fee", "co-op", 960), ("batch", "aubin", 1618), ("batch", "hall", 1798),
               ("batch", "lin", 1618), ("batch", "rosa", 4944), ("batch", "sam", 1542), ("recipe", "malik", 1152),
               ("recipe", "rosa", 768), ("drivers", "sam", 1536), ("running-costs", "sam", 960),
               (nil, "kitchen-fund", 2304)]),
        // The mixed boxes: 6 of dal-0412 for 54.00 and 10 of salad-0413 for 70.00; one payment for the round's two parts.
        lines([("co-op-fee", "co-op", 620), ("batch", "aubin", 455), ("batch", "belanger", 976),
               ("batch", "hall", 1156), ("batch", "lin", 1040), ("batch", "malik", 1431), ("batch", "rosa", 1390),
               ("batch", "sam", 992), ("recipe", "malik", 1024), ("recipe", "rosa", 216), ("drivers", "sam", 992),
               ("running-costs", "sam", 620), (nil, "kitchen-fund", 1488)]),
        // 20 of the 30 boxes of salad-0413 for 140.00.
        lines([("co-op-fee", "co-op", 700), ("batch", "belanger", 1951), ("batch", "hall", 1301),
               ("batch", "lin", 1171), ("batch", "malik", 2862), ("batch", "sam", 1115), ("recipe", "malik", 1400),
               ("drivers", "sam", 1120), ("running-costs", "sam", 700), (nil, "kitchen-fund", 1680)]),
        // 30 boxes of dal-0419 (10 spoiled) for 240.00: the van's fuel is repaid (its last 2.20), the rest is the fund's.
        lines([("co-op-fee", "co-op", 1200), ("batch", "aubin", 2335), ("batch", "hall", 2595),
               ("batch", "lin", 2335), ("batch", "rosa", 7135), ("recipe", "malik", 1440), ("recipe", "rosa", 960),
               ("drivers", "sam", 1920), ("running-costs", "sam", 220), (nil, "kitchen-fund", 3860)]),
    ]

    @Test("the kitchen's four sales distribute exactly as the docs work out", arguments: Backend.enabled)
    func library(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            let distributions = try await ledger.runFoodDemo()
            #expect(distributions.map(\.lines) == Self.expected)
            #expect(distributions.map(\.distributable) == [19200, 12400, 14000, 24000])
            #expect(try await ledger.lotStock("dal-0419").writtenOff == 10)
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 18, distributions: 4, problem: nil))
        }
    }

    @Test("`ledger demo --network food` builds it by command; report project shows where every cent went")
    func command() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-food-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        func ledger(_ arguments: [String]) throws -> CLI.Result { try CLI.run(["ledger"] + arguments + ["--ledger", path]) }
        let demo = try ledger(["demo", "--network", "food", "--json"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let distributions = try JSONDecoder().decode([Distribution].self, from: Data(demo.stdout.utf8))
        #expect(distributions.map(\.lines) == Self.expected)
        #expect(try ledger(["report", "project", "kitchen"]).stdout == """
            project kitchen: 4 sales, 4 distributed, income 696.00 CAD
              aubin            44.08
              belanger         29.27
              co-op            34.80
              hall             68.50
              kitchen-fund     93.32
              lin              61.64
              malik            93.09
              rosa             154.13
              sam              117.17

            """)
        #expect(try ledger(["lot", "show", "--lot", "dal-0419"]).stdout
                == "lot 'dal-0419' holds 0 box (40 produced, 30 sold, 10 written off)\n  written off 10 on 2026-04-20: spoiled: fridge failure\n")
        #expect(try ledger(["verify"]).status == 0)
        let again = try ledger(["demo", "--network", "food"])
        #expect(again.status == 1 && again.stderr == "Error: the demo needs an empty ledger; pass --ledger with a new file\n")
        let unknown = try CLI.run(["ledger", "demo", "--network", "bakery", "--ledger", path + ".other"])
        #expect(unknown.status == 1 && unknown.stderr == "Error: --network 'bakery' is not one of mosquito, food\n")
        try? FileManager.default.removeItem(atPath: path + ".other")
    }
}
