import Foundation
import Ledger
import Testing

/// The community kitchen (issue 18's second worked example, docs/ledger.md "A second worked example"): every line
/// of its four sales, checked against the value equation by hand in the docs, on SQLite and PostgreSQL and by command.
@Suite("The community kitchen demo", .serialized)
struct FoodDemoTests {
    static func lines(_ rows: [(String?, String, Int64)]) -> [DistributionLine] {
        rows.map { DistributionLine(bucket: $0.0, agent: $0.1, amount: $0.2) }
    }

    static let expected: [[DistributionLine]] = [
        // 24 of the 40 boxes of dal-0412 for 192.00.
        lines([("co-op-fee", "co-op", 960), ("batch", "aubin", 1868), ("batch", "hall", 2076), ("batch", "lin", 1868),
               ("batch", "rosa", 5708), ("recipe", "malik", 1152), ("recipe", "rosa", 768), ("drivers", "sam", 1536),
               ("running-costs", "sam", 960), (nil, "kitchen-fund", 2304)]),
        // The mixed boxes: 6 of dal-0412 for 54.00 and 10 of salad-0413 for 70.00.
        lines([("co-op-fee", "co-op", 620), ("batch", "aubin", 526), ("batch", "belanger", 1125), ("batch", "hall", 1334),
               ("batch", "lin", 1200), ("batch", "malik", 1650), ("batch", "rosa", 1605), ("recipe", "malik", 1024),
               ("recipe", "rosa", 216), ("drivers", "sam", 992), ("running-costs", "sam", 620), (nil, "kitchen-fund", 1488)]),
        // 20 of the 30 boxes of salad-0413 for 140.00.
        lines([("co-op-fee", "co-op", 700), ("batch", "belanger", 2250), ("batch", "hall", 1500), ("batch", "lin", 1350),
               ("batch", "malik", 3300), ("recipe", "malik", 1400), ("drivers", "sam", 1120), ("running-costs", "sam", 700),
               (nil, "kitchen-fund", 1680)]),
        // 30 boxes of dal-0419 (10 spoiled) for 240.00: the van's fuel is repaid (its last 2.20), the rest is the fund's.
        lines([("co-op-fee", "co-op", 1200), ("batch", "aubin", 2335), ("batch", "hall", 2595), ("batch", "lin", 2335),
               ("batch", "rosa", 7135), ("recipe", "malik", 1440), ("recipe", "rosa", 960), ("drivers", "sam", 1920),
               ("running-costs", "sam", 220), (nil, "kitchen-fund", 3860)]),
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
              aubin            47.29
              belanger         33.75
              co-op            34.80
              hall             75.05
              kitchen-fund     93.32
              lin              67.53
              malik            99.66
              rosa             163.92
              sam              80.68

            """)
        #expect(try ledger(["lot", "show", "--lot", "dal-0419"]).stdout
                == "lot 'dal-0419' holds 0 box (40 produced, 30 sold, 10 written off)\n  written off 10 on 2026-04-20: spoiled: fridge failure\n")
        #expect(try ledger(["verify"]).status == 0)
        let again = try ledger(["demo", "--network", "food"])
        #expect(again.status == 1 && again.stderr == "error: the demo needs an empty ledger; pass --ledger with a new file\n")
        let unknown = try CLI.run(["ledger", "demo", "--network", "bakery", "--ledger", path + ".other"])
        #expect(unknown.status == 1 && unknown.stderr == "error: --network 'bakery' is not one of mosquito, food\n")
        try? FileManager.default.removeItem(atPath: path + ".other")
    }
}
