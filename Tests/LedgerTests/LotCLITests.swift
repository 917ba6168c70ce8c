import Foundation
import Ledger
import Testing

/// `mosquito ledger lot …`, `contribute --lot` and `sale record --lot --quantity` as a user meets them.
@Suite("Lots over the CLI", .serialized)
struct LotCLITests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-lots-\(UUID().uuidString).sqlite").path

    func ledger(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["ledger"] + arguments + ["--ledger", path])
    }

    func expectSuccess(_ arguments: [String], prints expected: String? = nil) throws {
        let result = try ledger(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        if let expected { #expect(result.stdout == expected + "\n", "\(arguments)") }
    }

    @Test("a lot is added, contributed to, sold in parts, written off and shown; bad input is one error line and changes nothing")
    func lotByCommand() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let equation = URL(fileURLWithPath: path + ".json")
        defer { try? FileManager.default.removeItem(at: equation) }
        try Data("""
            {"format": "mosquito-value-equation/1", "project": "p", "version": 1, "mode": "straight",
             "buckets": [{"id": "lot", "percent": "100", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]}]}
            """.utf8).write(to: equation)
        for arguments in [["agent", "add", "--id", "farmer", "--name", "Farmer"],
                          ["agent", "add", "--id", "fund", "--name", "Fund", "--kind", "organization"],
                          ["project", "add", "--id", "p", "--currency", "CAD", "--fund", "fund"],
                          ["design", "add", "--id", "dal"],
                          ["unit", "register", "--serial", "U1", "--design", "dal"],
                          ["equation", "set", "--file", equation.path]] {
            try expectSuccess(arguments)
        }
        try expectSuccess(["lot", "add", "--id", "dal-0412", "--design", "dal", "--quantity", "40", "--unit", "box",
                           "--expires", "2026-04-30"], prints: "lot dal-0412 added: 40 box of dal")
        try expectSuccess(["contribute", "material", "--project", "p", "--agent", "farmer", "--lot", "dal-0412",
                           "--value", "120.00", "--date", "2026-04-12", "--note", "12 kg lentils"])
        try expectSuccess(["sale", "record", "--project", "p", "--lot", "dal-0412", "--quantity", "10", "--price", "100.00",
                           "--currency", "CAD", "--buyer", "co-op", "--date", "2026-04-14"],
                          prints: "sale 1 recorded: 10 of dal-0412 for 100.00 CAD")
        try expectSuccess(["distribute", "--sale", "1"], prints: """
            sale 1: 100.00 CAD distributable, equation v1
              lot              farmer           30.00
              network-fund     fund             70.00
            """)
        try expectSuccess(["lot", "write-off", "--lot", "dal-0412", "--quantity", "6", "--reason", "spoiled", "--date", "2026-04-20"],
                          prints: "write-off 1: 6 of lot dal-0412 (spoiled)")

        let shown = "lot 'dal-0412' holds 24 box (40 produced, 10 sold, 6 written off)\n  written off 6 on 2026-04-20: spoiled"
        try expectSuccess(["lot", "show", "--lot", "dal-0412"], prints: shown)
        let dump = try ledger(["export", "--json"]).stdout
        let refusals: [([String], String)] = [
            (["lot", "add", "--id", "x", "--design", "dal", "--quantity", "2.5", "--unit", "kg"],
             "Error: quantity '2.5' is not a whole number like 24 (count in a smaller unit: g instead of kg)"),
            (["lot", "add", "--id", "x", "--design", "dal", "--quantity=-3", "--unit", "kg"],
             "Error: quantity -3 must be a whole number greater than 0"),
            (["lot", "add", "--id", "x", "--design", "dal", "--quantity", "3", "--unit", "stone"],
             "Error: unit of measure 'stone' is not one of one, box, portion, kg, g, l, ml, h"),
            (["sale", "record", "--project", "p", "--lot", "dal-0412", "--quantity", "25", "--price", "1.00", "--currency", "CAD",
              "--buyer", "b", "--date", "2026-04-21"],
             "Error: quantity: lot 'dal-0412' holds 24 box (40 produced, 10 sold, 6 written off); cannot sell 25"),
            (["sale", "record", "--project", "p", "--lot", "dal-0412", "--price", "1.00", "--currency", "CAD", "--buyer", "b"],
             "Error: quantity: a sale of lot 'dal-0412' needs --quantity"),
            (["sale", "record", "--project", "p", "--unit", "U1", "--quantity", "1", "--price", "1.00", "--currency", "CAD", "--buyer", "b"],
             "Error: quantity: a unit is sold whole; --quantity goes with --lot"),
            (["sale", "record", "--project", "p", "--lot", "rice", "--quantity", "1", "--price", "1.00", "--currency", "CAD", "--buyer", "b"],
             "Error: no lot 'rice' (use `ledger lot add`)"),
            (["sale", "record", "--project", "p", "--price", "1.00", "--currency", "CAD", "--buyer", "b"],
             "Error: a sale sells a unit (--unit) or part of a lot (--lot and --quantity), one of them"),
            (["sale", "record", "--project", "p", "--lot", "dal-0412", "--quantity", "1", "--price", "1.00", "--currency", "CAD",
              "--buyer", "b", "--date", "2026-05-01"],
             "Error: lot 'dal-0412' expired on 2026-04-30; it cannot be sold on 2026-05-01"),
            (["lot", "write-off", "--lot", "dal-0412", "--quantity", "25", "--reason", "lost"],
             "Error: quantity: lot 'dal-0412' holds 24 box (40 produced, 10 sold, 6 written off); cannot write off 25"),
            (["lot", "write-off", "--lot", "dal-0412", "--quantity", "0", "--reason", "lost"],
             "Error: quantity 0 must be a whole number greater than 0"),
            (["contribute", "work", "--project", "p", "--agent", "farmer", "--lot", "rice", "--value", "1.00"],
             "Error: no lot 'rice' (use `ledger lot add`)"),
        ]
        for (arguments, message) in refusals {
            let result = try ledger(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr == message + "\n", "\(arguments)")
            #expect(try ledger(["export", "--json"]).stdout == dump, "\(arguments)")
            #expect(try ledger(["lot", "show", "--lot", "dal-0412"]).stdout == shown + "\n", "\(arguments)")
        }
        #expect(try ledger(["lot", "show", "--lot", "x"]).stderr == "Error: no lot 'x'\n")
        #expect(try ledger(["verify"]).stdout == "ledger intact: 1 events and 1 distributions, hash chains verified, 1 distributions recomputed\n")
    }
}
