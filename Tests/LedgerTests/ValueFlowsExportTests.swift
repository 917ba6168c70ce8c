import Foundation
import Ledger
import Testing
import TestSupport

/// `ledger export --json` of the kitchen network, judged by a JSON-LD processor (PyPI `pyld`): the document
/// expands, every type is a ValueFlows class, and the lots, quantities, sales and settled claims survive expansion.
@Suite("ValueFlows export", .serialized)
struct ValueFlowsExportTests {
    static let judge = """
        import json, sys
        from pyld import jsonld
        VF = "https://w3id.org/valueflows/ont/vf#"
        OM2 = "http://www.ontology-of-units-of-measure.org/resource/om-2/"
        doc = json.load(open(sys.argv[1]))
        expanded = jsonld.expand(doc)
        types, predicates = [], set()
        def walk(node):
            if isinstance(node, list):
                for item in node: walk(item)
            elif isinstance(node, dict):
                for key, value in node.items():
                    if key == "@type": types.extend(value if isinstance(value, list) else [value])
                    elif not key.startswith("@"): predicates.add(key)
                    walk(value)
        walk(expanded)
        bad = sorted({t for t in types if not t.startswith(VF)})
        counts = {t[len(VF):]: types.count(t) for t in set(types) if t.startswith(VF)}
        print(json.dumps({"nonVF": bad, "counts": counts, "predicates": sorted(predicates)}, sort_keys=True))
        """

    @Test("the kitchen's export expands with pyld; every type is in the vf namespace; lots, sale lines and settlements survive")
    func judgedByPyLD() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-vf-\(UUID().uuidString).sqlite").path
        let exported = path + ".jsonld", script = path + ".py"
        defer { for file in [path, exported, script] { try? FileManager.default.removeItem(atPath: file) } }
        #expect(try CLI.run(["ledger", "demo", "--network", "food", "--ledger", path]).status == 0)
        let export = try CLI.run(["ledger", "export", "--json", "--ledger", path])
        #expect(export.status == 0, "\(export.stderr)")
        try Data(export.stdout.utf8).write(to: URL(fileURLWithPath: exported))
        try Data(Self.judge.utf8).write(to: URL(fileURLWithPath: script))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        process.arguments = [script, exported]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "pyld: \(stderr)")

        struct Verdict: Decodable { var nonVF: [String]; var counts: [String: Int]; var predicates: [String] }
        let verdict = try JSONDecoder().decode(Verdict.self, from: stdout)
        #expect(verdict.nonVF.isEmpty)
        // 3 lots; 4 sales; 18 contributions (one a gift) + 1 write-off + 5 sale lines + 44 distribution lines; 4 people, 5 organizations.
        #expect(verdict.counts["EconomicResource"] == 3 && verdict.counts["BatchLotRecord"] == 3)
        #expect(verdict.counts["Agreement"] == 4)
        #expect(verdict.counts["EconomicEvent"] == 18 + 1 + 5 + 44)
        #expect(verdict.counts["Person"] == 4 && verdict.counts["Organization"] == 5)
        let vf = "https://w3id.org/valueflows/ont/vf#", om2 = "http://www.ontology-of-units-of-measure.org/resource/om-2/"
        for predicate in ["lot", "batchLotCode", "expirationDate", "accountingQuantity", "resourceQuantity", "realizationOf",
                          "settles", "resourceInventoriedAs", "action", "provider", "receiver", "triggeredBy"] {
            #expect(verdict.predicates.contains(vf + predicate), "\(predicate)")
        }
        #expect(verdict.predicates.contains(om2 + "hasNumericalValue") && verdict.predicates.contains(om2 + "hasUnit"))
        // The driver's round, shared across two lots: both lots and their weights.
        #expect(verdict.predicates.contains("https://mosquito-daq.org/ns/ledger#split"))
        // Every key the export writes is mapped: nothing outside the three vocabularies is left after expansion.
        #expect(verdict.predicates.allSatisfy { $0.hasPrefix(vf) || $0.hasPrefix(om2) || $0.hasPrefix("https://mosquito-daq.org/ns/ledger#") },
                "\(verdict.predicates)")
    }
}
