import Foundation

/// `mosquito ledger demo`: a small, realistic Mosquito network selling three units.
extension Ledger {
    public static let demoEquationJSON = demoEquation(project: "mosquito", buckets: """
        {"id": "custodian-fee", "percent": "5", "agent": "tactus"},
        {"id": "build", "percent": "45", "filter": {"kind": "unit"},
         "rules": [{"event": "material", "claim": "debt"},
                   {"event": "use", "claim": "debt"},
                   {"event": "work", "claim": "debt"}]},
        {"id": "design", "percent": "40", "filter": {"kind": "design", "lineage_weight": "0.25"},
         "rules": [{"event": "work", "claim": "equity"},
                   {"event": "cite", "claim": "equity"},
                   {"event": "material", "claim": "debt"}]},
        {"id": "community", "percent": "5", "filter": {"kind": "project_dates", "from": "2026-01-01"},
         "rules": [{"event": "cash", "claim": "debt"}, {"event": "expense", "claim": "debt"}]}
    """)

    /// A demo network's value equation: version 1 of `project`'s, in straight mode, dividing by `buckets` (the
    /// bucket objects, comma-separated).
    static func demoEquation(project: String, buckets: String) -> String {
        """
        {
          "format": "mosquito-value-equation/1",
          "project": "\(project)",
          "version": 1,
          "mode": "straight",
          "buckets": [
        \(buckets)
          ]
        }
        """
    }

    /// Builds the demo network in an empty ledger and distributes three sales.
    public func runDemo() async throws(LedgerError) -> [Distribution] {
        guard try await store.agents().isEmpty else {
            throw .invalid("the demo needs an empty ledger; pass --ledger with a new file")
        }
        for (id, name, kind) in [("ana", "Ana Duval", Agent.Kind.person), ("ben", "Ben Okafor", .person),
                                 ("chloe", "Chloé Tremblay", .person), ("dev", "Dev Raman", .person),
                                 ("ed", "Ed Lindqvist", .person),
                                 ("tactus", "Tactus Scientific Inc.", .organization),
                                 ("mosquito-fund", "Mosquito Network Fund", .organization)] {
            try await addAgent(id: id, name: name, kind: kind)
        }
        try await addProject(id: "mosquito", name: "Mosquito", currency: "CAD", custodian: "tactus",
                             fundAgent: "mosquito-fund")
        for (name, rate) in [("design-engineering", "45.00"), ("assembly", "30.00"), ("calibration", "35.00"),
                             ("documentation", "25.00")] {
            try await setWorkType(project: "mosquito", name: name, rate: rate)
        }
        try await setWorkType(project: "mosquito", name: "design-engineering", rate: "52.50", agent: "ana")
        try await addDesign(id: "MQ-FORCE-r1", name: "MQ-FORCE rev 1", parent: nil)
        try await addDesign(id: "MQ-FORCE-r2", name: "MQ-FORCE rev 2", parent: "MQ-FORCE-r1")
        let serials = ["MQ-2026-0041", "MQ-2026-0042", "MQ-2026-0043"]
        for serial in serials { try await registerUnit(serial: serial, design: "MQ-FORCE-r2") }

        func on(_ date: String) throws(LedgerError) -> LedgerDate { try LedgerDate(date) }
        func hours(_ text: String) -> LedgerDecimal { LedgerDecimal(text)! }
        let cad = try Currency("CAD")
        // Design work across two revisions, a citation, documentation, and community cash.
        try await contribute(.init(date: try on("2026-01-12"), agent: "ana", project: "mosquito", kind: .work,
                                   hours: hours("40"), workType: "design-engineering", design: "MQ-FORCE-r1",
                                   note: "force sensor front end, rev 1"))
        try await contribute(.init(date: try on("2026-01-20"), agent: "ben", project: "mosquito", kind: .cash,
                                   value: try cad.parse("600.00"), note: "bought the shared calibration rig"))
        try await contribute(.init(date: try on("2026-02-03"), agent: "ben", project: "mosquito", kind: .work,
                                   hours: hours("32.5"), workType: "design-engineering", design: "MQ-FORCE-r2",
                                   note: "rev 2: lower noise, USB-C"))
        try await contribute(.init(date: try on("2026-02-10"), agent: "ana", project: "mosquito", kind: .work,
                                   hours: hours("12"), workType: "design-engineering", design: "MQ-FORCE-r2"))
        try await contribute(.init(date: try on("2026-02-18"), agent: "ed", project: "mosquito", kind: .work,
                                   hours: hours("10"), workType: "documentation", design: "MQ-FORCE-r2",
                                   note: "assembly and calibration guide"))
        try await contribute(.init(date: try on("2026-02-20"), agent: "ben", project: "mosquito", kind: .material,
                                   value: try cad.parse("240.00"), design: "MQ-FORCE-r2", note: "prototype boards"))
        try await contribute(.init(date: try on("2026-02-25"), agent: "ed", project: "mosquito", kind: .expense,
                                   value: try cad.parse("45.00"), note: "documentation hosting, one year"))
        // Each unit: parts and assembly by Chloé, calibration on the shared rig by Dev.
        for (index, serial) in serials.enumerated() {
            let day = String(format: "2026-03-%02d", 2 + index * 7)
            try await contribute(.init(date: try on(day), agent: "chloe", project: "mosquito", kind: .material,
                                       value: try cad.parse("185.40"), unit: serial, note: "parts kit"))
            try await contribute(.init(date: try on(day), agent: "chloe", project: "mosquito", kind: .work,
                                       hours: hours("3.5"), workType: "assembly", unit: serial))
            try await contribute(.init(date: try on(day), agent: "dev", project: "mosquito", kind: .work,
                                       hours: hours("1.25"), workType: "calibration", unit: serial))
            try await contribute(.init(date: try on(day), agent: "dev", project: "mosquito", kind: .use,
                                       value: try cad.parse("15.00"), unit: serial, note: "calibration rig time"))
        }
        try await setEquation(json: Data(Self.demoEquationJSON.utf8))
        var distributions = [Distribution]()
        for (index, (serial, buyer)) in zip(serials, ["lab-udem-biomech", "physio-clinic-qc", "school-makerspace"]).enumerated() {
            let sale = try await recordSale(SaleDraft(
                project: "mosquito", unit: serial, price: try cad.parse("1250.00"), currency: cad,
                date: try on(String(format: "2026-04-%02d", 6 + index * 10)), buyer: buyer,
                directCosts: try cad.parse("38.50")))
            distributions.append(try await distribute(sale: sale.id))
        }
        return distributions
    }
}
