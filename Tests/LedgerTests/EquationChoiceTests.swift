import Foundation
import Ledger
import Testing

/// Every field of the value equation that takes one of a set of names: a wrong name is one message naming the
/// bucket (for the fields inside one) and listing the allowed values — never Swift's decoding text.
@Suite("Value equation names")
struct EquationChoiceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var field: String
        var json: String
        var message: String
        var testDescription: String { field }
    }

    static func equation(mode: String = "straight", event: String = "work", claim: String = "debt", filter: String = "unit",
                         id: String = #""id": "build", "#) -> String {
        """
        {"format": "mosquito-value-equation/1", "project": "p", "version": 1, "mode": "\(mode)", "buckets": [
          {"id": "fee", "percent": "5", "agent": "custodian"},
          {\(id)"percent": "45", "filter": {"kind": "\(filter)"},
           "rules": [{"event": "material", "claim": "debt"}, {"event": "\(event)", "claim": "\(claim)"}]}]}
        """
    }

    static let kinds = "(work, material, cash, expense, use, cite)"
    static let cases: [Case] = [
        Case(field: "mode", json: equation(mode: "fair"), message: "value equation: mode: unknown mode 'fair' (straight, remaining)"),
        Case(field: "mode, wrong case", json: equation(mode: "Straight"),
             message: "value equation: mode: unknown mode 'Straight' (straight, remaining)"),
        Case(field: "rules[].event", json: equation(event: "labour"),
             message: "value equation: bucket 'build': rules[1].event: unknown contribution kind 'labour' \(kinds)"),
        Case(field: "rules[].event, empty", json: equation(event: ""),
             message: "value equation: bucket 'build': rules[1].event: unknown contribution kind '' \(kinds)"),
        Case(field: "rules[].claim", json: equation(claim: "forever"),
             message: "value equation: bucket 'build': rules[1].claim: unknown claim rule 'forever' (debt, equity, once)"),
        Case(field: "filter.kind", json: equation(filter: "moon"),
             message: "value equation: bucket 'build': filter.kind: unknown filter kind 'moon' (unit, design, project_dates, work_type, contribution, all)"),
        Case(field: "a bucket without an id is named by its position", json: equation(event: "labour", id: ""),
             message: "value equation: bucket #2: missing 'id'"),
    ]

    @Test("a wrong name in an equation file is one message naming the bucket and the allowed values", arguments: cases)
    func names(testCase: Case) {
        #expect(throws: LedgerError.equation(String(testCase.message.dropFirst("value equation: ".count)))) {
            try ValueEquation.load(json: Data(testCase.json.utf8))
        }
    }

    @Test("over the CLI: `equation check` prints that one line")
    func command() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-eq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for testCase in Self.cases {
            let file = folder.appendingPathComponent("equation.json")
            try Data(testCase.json.utf8).write(to: file)
            let result = try CLI.run(["ledger", "equation", "check", "--file", file.path, "--ledger", folder.path + "/l.sqlite"])
            #expect(result.status == 1)
            #expect(result.stderr == "Error: \(testCase.message)\n", "\(testCase.field)")
        }
    }
}
