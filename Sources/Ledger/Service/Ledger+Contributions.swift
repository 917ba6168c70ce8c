extension Ledger {
    /// Logs a contribution. Work needs hours > 0 and a work type; its value is hours × the agent's
    /// rate (personal override, else the work type's). Other kinds need a value > 0. A draft with a source
    /// reference an event already holds is refused (`LedgerError.alreadyCredited`), checked as it is appended.
    @discardableResult
    public func contribute(_ draft: ContributionDraft) async throws(LedgerError) -> ContributionEvent {
        try await store.append(try await record(for: draft))
    }

    /// Everything `contribute` checks, without appending: a caller about to do work it will credit (a
    /// calibration) refuses before doing it what the ledger would refuse after. Only the append itself can
    /// promise the source reference is still free.
    public func check(_ draft: ContributionDraft) async throws(LedgerError) {
        _ = try await record(for: draft)
        if let reference = draft.sourceReference, let holder = try await store.event(sourceReference: reference) {
            throw .alreadyCredited(reference, event: holder.id)
        }
    }

    /// The event record a draft becomes, once every field is checked against the ledger.
    private func record(for draft: ContributionDraft) async throws(LedgerError) -> EventRecord {
        let project = try await requireProject(draft.project)
        _ = try await requireAgent(draft.agent)
        if let design = draft.design, try await store.design(design) == nil { throw .notFound("no design '\(design)'") }
        if let unit = draft.unit, try await store.unit(unit) == nil { throw .notFound("no unit '\(unit)'") }
        if let lot = draft.lot {
            guard draft.unit == nil else { throw .invalid("a contribution goes to a unit or a lot, not both") }
            guard try await store.lot(lot) != nil else { throw .notFound("no lot '\(lot)' (use `ledger lot add`)") }
        }
        let shared = try await sharedLots(draft)
        var record = EventRecord(date: draft.date, agent: draft.agent, project: draft.project, kind: draft.kind,
                                 hours: nil, workType: nil, rate: nil, value: 0, design: draft.design,
                                 unit: draft.unit ?? draft.lot, note: draft.note, reverses: nil)
        record.lots = shared
        if let reference = draft.sourceReference {
            guard !reference.isEmpty else { throw .invalid("source reference is empty") }
            record.sourceReference = reference
        }
        if let quantity = draft.quantity {
            guard quantity.amount.isPositive else { throw .invalid("quantity \(quantity.amount) must be greater than 0") }
            try Self.checkMeasure(quantity.measure)
            record.quantity = quantity
        }
        record.gift = draft.gift
        if draft.kind == .work {
            guard let hours = draft.hours, hours.isPositive else { throw .invalid("work needs hours greater than 0") }
            guard draft.value == nil else { throw .invalid("work is valued by hours × rate; give no value") }
            guard let workType = draft.workType else { throw .invalid("work needs a work type") }
            guard let type = try await store.workType(project: project.id, name: workType) else {
                throw .notFound("project '\(project.id)' has no work type '\(workType)'")
            }
            let rate = try await store.rateOverride(project: project.id, workType: workType, agent: draft.agent) ?? type.rate
            record.hours = hours
            record.workType = workType
            record.rate = rate
            // Hours and rates are bounded decimals, so their product fits Int128; only the bound can refuse it.
            let field = "work value (hours × rate)"
            do { record.value = try LedgerDecimal.minorUnits(product: [hours, rate], exponent: project.currency.minorExponent) }
            catch { throw AmountLimit.beyondMaximum(field, project.currency) }
            try AmountLimit.check(record.value, field, project.currency)
        } else {
            guard draft.hours == nil, draft.workType == nil else { throw .invalid("only work has hours and a work type") }
            let value = draft.value ?? (draft.gift ? 0 : -1)
            guard value > 0 || (draft.gift && value == 0) else {
                throw .invalid("\(draft.kind.rawValue) needs a value greater than 0")
            }
            try AmountLimit.check(value, "value", project.currency)
            record.value = value
        }
        return record
    }

    /// Corrects an event by appending its reversal; both then drop out of every later distribution.
    @discardableResult
    public func reverse(event id: Int64, date: LedgerDate, note: String?) async throws(LedgerError) -> ContributionEvent {
        guard let original = try await store.event(id) else { throw .notFound("no event \(id)") }
        guard original.reverses == nil else { throw .invalid("event \(id) is itself a reversal") }
        guard date >= original.date else { throw .invalid("a reversal cannot be dated before the event it reverses") }
        let events = try await store.events(project: original.project)
        guard !events.contains(where: { $0.reverses == id }) else { throw .duplicate("event \(id) is already reversed") }
        // Only a tampered row holds Int64.min, whose negation does not exist.
        let (negated, overflow) = Int64(0).subtractingReportingOverflow(original.value)
        guard !overflow else { throw .amountTooLarge("event \(id)'s value \(original.value) cannot be reversed exactly") }
        // A reversal credits nothing, so it carries no source reference: the original keeps its own.
        let record = EventRecord(date: date, agent: original.agent, project: original.project, kind: original.kind,
                                 hours: original.hours.map { LedgerDecimal(mantissa: -$0.mantissa, scale: $0.scale) },
                                 workType: original.workType, rate: original.rate, value: negated,
                                 design: original.design, unit: original.unit, note: note, reverses: id,
                                 quantity: original.quantity.map {
                                     EventQuantity(amount: LedgerDecimal(mantissa: -$0.amount.mantissa, scale: $0.amount.scale), measure: $0.measure)
                                 },
                                 gift: original.gift, lots: original.lots)
        return try await store.append(record)
    }

    // MARK: sales, equations, distributions

    @discardableResult
    public func recordSale(_ draft: SaleDraft) async throws(LedgerError) -> Sale {
        let project = try await requireProject(draft.project)
        guard draft.currency == project.currency else {
            throw .currencyMismatch(sale: draft.currency.code, project: project.currency.code)
        }
        var draft = draft
        if let lines = draft.lines { draft = try await withLines(draft, lines, project.currency) }
        if let quantity = draft.quantity {
            if let problem = Lot.quantityProblem(quantity) { throw .invalid(problem) }
            guard try await store.unit(draft.unit) != nil else { throw .notFound("no lot '\(draft.unit)'") }
        }
        guard try await store.unit(draft.unit) != nil else { throw .notFound("no unit '\(draft.unit)'") }
        guard draft.price >= 0 else { throw .invalid("price must not be negative") }
        try AmountLimit.check(draft.price, "price", project.currency)
        try AmountLimit.check(draft.directCosts, "direct costs", project.currency)
        guard draft.directCosts >= 0, draft.directCosts <= draft.price else {
            throw .invalid("direct costs must be between 0 and the price")
        }
        guard !draft.buyer.isEmpty else { throw .invalid("buyer reference is empty") }
        return try await store.insert(draft)
    }

    /// Checks each line (a product, its quantity, its price) and fills the draft's unit, quantity and price from
    /// them: line 1's product and quantity, the lines' total price.
    private func withLines(_ draft: SaleDraft, _ lines: [SaleLine], _ currency: Currency) async throws(LedgerError) -> SaleDraft {
        guard lines.count >= 2 else {
            throw .invalid("a sale with lines has at least two; sell one product with --unit, or --lot and --quantity")
        }
        var total: Int64 = 0
        for (index, line) in lines.enumerated() {
            let name = "line \(index + 1)"
            if let earlier = lines[..<index].firstIndex(where: { $0.unit == line.unit }) {
                throw .invalid("\(name): '\(line.unit)' is already in line \(earlier + 1); one line per product")
            }
            if let quantity = line.quantity, let problem = Lot.quantityProblem(quantity) { throw .invalid("\(name): \(problem)") }
            guard try await store.unit(line.unit) != nil else {
                throw .notFound("\(name): no \(line.quantity == nil ? "unit" : "lot") '\(line.unit)'")
            }
            guard line.price >= 0 else { throw .invalid("\(name): price must not be negative") }
            try AmountLimit.check(line.price, "\(name) price", currency)
            total = try total.adding(line.price, for: "the lines' total price")
        }
        try AmountLimit.check(total, "price (the lines' total)", currency)
        var draft = draft
        draft.unit = lines[0].unit
        draft.quantity = lines[0].quantity
        draft.price = total
        return draft
    }

    /// Reverses a sale (a return, a cancelled order): its unit can be sold again. A sale reversed before it is
    /// distributed is never distributed; a distribution already made stands, as paid claims do.
    @discardableResult
    public func reverseSale(_ id: Int64, date: LedgerDate, note: String?) async throws(LedgerError) -> SaleReversal {
        try await store.insertReversal(sale: id, date: date, note: note)
    }

    /// Validates an equation file against the ledger (project, agents) and stores it as the new version.
    @discardableResult
    public func setEquation(json: Data) async throws(LedgerError) -> ValueEquation {
        let equation = try ValueEquation.load(json: json)
        try await check(equation)
        try await store.insertEquation(equation)
        return equation
    }

    /// Validates an equation file without storing it.
    public func check(_ equation: ValueEquation) async throws(LedgerError) {
        guard try await store.project(equation.project) != nil else {
            throw .equation("no project '\(equation.project)'")
        }
        for bucket in equation.buckets {
            if let agent = bucket.agent, try await store.agent(agent) == nil {
                throw .equation("bucket '\(bucket.id)': no agent '\(agent)'")
            }
            for (path, name) in bucket.filter?.workTypeNames ?? []
            where try await store.workType(project: equation.project, name: name) == nil {
                throw .equation("bucket '\(bucket.id)': \(path): project '\(equation.project)' has no work type '\(name)'")
            }
        }
    }

    /// Distributes a sale once; `dryRun` computes without writing.
    public func distribute(sale: Int64, dryRun: Bool = false) async throws(LedgerError) -> Distribution {
        try await store.distribute(sale: sale, dryRun: dryRun) { input throws(LedgerError) in
            try DistributionEngine.plan(input)
        }.distribution
    }
}

import Foundation
