import Foundation

/// `mosquito ledger demo --network food`: the community kitchen of issue 18 — farmers' produce, the hall's
/// kitchen, cooks' and packers' work on batches, a driver's round shared across two batches, recipes citing their parents, a spoiled
/// batch written off, boxes sold in quantities and one mixed box. docs/ledger.md walks through it.
extension Ledger {
    public static let foodEquationJSON = demoEquation(project: "kitchen", buckets: """
        {"id": "co-op-fee", "percent": "5", "agent": "co-op"},
        {"id": "batch", "percent": "60", "filter": {"kind": "unit"},
         "rules": [{"event": "material", "claim": "debt"}, {"event": "use", "claim": "debt"}, {"event": "work", "claim": "debt"}]},
        {"id": "recipe", "percent": "10", "filter": {"kind": "design", "lineage_weight": "0.5"},
         "rules": [{"event": "work", "claim": "equity"}]},
        {"id": "drivers", "percent": "8",
         "filter": {"kind": "all", "of": [{"kind": "project_dates", "from": "2026-04-01", "to": "2026-04-30"},
                                          {"kind": "work_type", "names": ["delivery"]}]},
         "rules": [{"event": "work", "claim": "equity"}]},
        {"id": "running-costs", "percent": "5", "filter": {"kind": "contribution", "kinds": ["expense"]},
         "rules": [{"event": "expense", "claim": "debt"}]}
    """)

    /// Builds the kitchen network in an empty ledger and distributes its four sales.
    public func runFoodDemo() async throws(LedgerError) -> [Distribution] {
        guard try await store.agents().isEmpty else {
            throw .invalid("the demo needs an empty ledger; pass --ledger with a new file")
        }
        for (id, name, kind) in [("aubin", "Ferme Aubin", Agent.Kind.organization), ("belanger", "Jardins Bélanger", .organization),
                                 ("rosa", "Rosa Méndez", .person), ("malik", "Malik Haddad", .person),
                                 ("lin", "Lin Zhou", .person), ("sam", "Sam Gagnon", .person),
                                 ("hall", "Saint-Roch Community Hall", .organization),
                                 ("co-op", "Co-op Saint-Roch", .organization), ("kitchen-fund", "Kitchen Fund", .organization)] {
            try await addAgent(id: id, name: name, kind: kind)
        }
        try await addProject(id: "kitchen", name: "Community kitchen", currency: "CAD", custodian: "co-op", fundAgent: "kitchen-fund")
        for (name, rate) in [("cooking", "22.00"), ("packing", "18.00"), ("delivery", "20.00")] {
            try await setWorkType(project: "kitchen", name: name, rate: rate)
        }
        // Recipes: dal rev 2 adapts rev 1 and owes it 40 % of what reaches it.
        try await addDesign(id: "dal-r1", name: "Red lentil dal", parent: nil)
        try await addDesign(id: "dal-r2", name: "Red lentil dal, less salt", parent: "dal-r1", cites: LedgerDecimal("0.4"))
        try await addDesign(id: "salad-r1", name: "Market salad", parent: nil)
        try await addLot(id: "dal-0412", design: "dal-r2", quantity: 40, measure: "box")
        try await addLot(id: "salad-0413", design: "salad-r1", quantity: 30, measure: "box")
        try await addLot(id: "dal-0419", design: "dal-r2", quantity: 40, measure: "box", expires: try LedgerDate("2026-04-24"))

        let cad = try Currency("CAD")
        func log(_ date: String, _ agent: String, _ kind: ContributionKind, hours: String? = nil, as workType: String? = nil,
                 value: String? = nil, design: String? = nil, lot: String? = nil, note: String? = nil,
                 quantity: (String, String)? = nil, gift: Bool = false, lots: [String] = []) async throws(LedgerError) {
            try await contribute(ContributionDraft(
                date: try LedgerDate(date), agent: agent, project: "kitchen", kind: kind, hours: hours.flatMap(LedgerDecimal.init),
                workType: workType, value: try value.map { v throws(LedgerError) in try cad.parse(v, field: "value") },
                design: design, lot: lot, note: note,
                quantity: quantity.map { EventQuantity(amount: LedgerDecimal($0.0)!, measure: $0.1) }, gift: gift, lots: lots))
        }
        // The recipes.
        try await log("2026-03-02", "rosa", .work, hours: "6", as: "cooking", design: "dal-r1", note: "the dal recipe")
        try await log("2026-03-20", "malik", .work, hours: "4", as: "cooking", design: "dal-r2", note: "less salt, more ginger")
        try await log("2026-03-21", "malik", .work, hours: "3", as: "cooking", design: "salad-r1", note: "the salad recipe")
        // Batch of 12 April: 40 boxes of dal; 13 April: 30 boxes of salad.
        try await log("2026-04-11", "aubin", .material, value: "36.00", lot: "dal-0412", note: "red lentils", quantity: ("12", "kg"))
        try await log("2026-04-12", "hall", .use, value: "40.00", lot: "dal-0412", note: "the kitchen", quantity: ("4", "h"))
        try await log("2026-04-12", "rosa", .work, hours: "5", as: "cooking", lot: "dal-0412")
        try await log("2026-04-12", "lin", .work, hours: "2", as: "packing", lot: "dal-0412")
        try await log("2026-04-13", "belanger", .material, value: "45.00", lot: "salad-0413", note: "greens and radishes",
                      quantity: ("15", "kg"))
        try await log("2026-04-13", "hall", .use, value: "30.00", lot: "salad-0413", note: "the kitchen", quantity: ("3", "h"))
        try await log("2026-04-13", "malik", .work, hours: "3", as: "cooking", lot: "salad-0413")
        try await log("2026-04-13", "lin", .work, hours: "1.5", as: "packing", lot: "salad-0413")
        // One delivery round for both batches, shared by their produced quantities (40 : 30), so each batch's boxes
        // repay their part of it; the van's fuel belongs to no batch.
        try await log("2026-04-14", "sam", .work, hours: "3", as: "delivery", note: "round: co-op store, daycare",
                      lots: ["dal-0412", "salad-0413"])
        try await log("2026-04-14", "sam", .expense, value: "25.00", note: "van fuel")
        // Batch of 19 April: 40 boxes of dal, 10 of which spoil in a broken fridge.
        try await log("2026-04-18", "aubin", .material, value: "36.00", lot: "dal-0419", note: "red lentils", quantity: ("12", "kg"))
        try await log("2026-04-19", "hall", .use, value: "40.00", lot: "dal-0419", note: "the kitchen", quantity: ("4", "h"))
        // Donated herbs: recorded with their weight, worth nothing, owed nothing.
        try await log("2026-04-19", "belanger", .material, value: "0", lot: "dal-0419", note: "coriander, donated",
                      quantity: ("0.5", "kg"), gift: true)
        try await log("2026-04-19", "rosa", .work, hours: "5", as: "cooking", lot: "dal-0419")
        try await log("2026-04-19", "lin", .work, hours: "2", as: "packing", lot: "dal-0419")
        try await writeOff(lot: "dal-0419", quantity: 10, date: try LedgerDate("2026-04-20"), reason: "spoiled: fridge failure")
        try await setEquation(json: Data(Self.foodEquationJSON.utf8))

        func price(_ text: String) throws(LedgerError) -> Int64 { try cad.parse(text, field: "price") }
        let sales = [
            SaleDraft(project: "kitchen", unit: "dal-0412", price: try price("192.00"), currency: cad,
                      date: try LedgerDate("2026-04-14"), buyer: "co-op-store", quantity: 24),
            SaleDraft(project: "kitchen", lines: [SaleLine(unit: "dal-0412", quantity: 6, price: try price("54.00")),
                                                  SaleLine(unit: "salad-0413", quantity: 10, price: try price("70.00"))],
                      currency: cad, date: try LedgerDate("2026-04-14"), buyer: "daycare-mixed-boxes"),
            SaleDraft(project: "kitchen", unit: "salad-0413", price: try price("140.00"), currency: cad,
                      date: try LedgerDate("2026-04-15"), buyer: "co-op-store", quantity: 20),
            SaleDraft(project: "kitchen", unit: "dal-0419", price: try price("240.00"), currency: cad,
                      date: try LedgerDate("2026-04-21"), buyer: "co-op-store", quantity: 30),
        ]
        var distributions = [Distribution]()
        for draft in sales {
            distributions.append(try await distribute(sale: try await recordSale(draft).id))
        }
        return distributions
    }
}
