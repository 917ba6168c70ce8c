import ArgumentParser
import Ledger

struct ContributeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "contribute",
        abstract: "Log a contribution: work, material, cash, expense, use or cite.")
    @OptionGroup var options: LedgerOptions
    @Argument(help: "work, material, cash, expense, use or cite.") var kind: String
    @Option var project: String
    @Option var agent: String
    @Option(help: "Hours of work, e.g. 1.5.") var hours: String?
    @Option(name: .customLong("work-type")) var workType: String?
    @Option(help: "Value in the project's currency, e.g. 185.40 (not for work).") var value: String?
    @Option var design: String?
    @Option var unit: String?
    @Option(help: "A lot the contribution went into (`ledger lot add`); repeat to share it across lots (by their produced quantities unless --split).")
    var lot: [String] = []
    @Option(help: "With several --lot: one weight per lot, in their order, e.g. 0.6,0.4.") var split: String?
    @Option(help: "What was given, as a decimal in --measure, e.g. 12 (kg of lentils); beside its value.") var quantity: String?
    @Option(help: "The quantity's unit of measure: one, box, portion, kg, g, l, ml or h.") var measure: String?
    @Flag(help: "A gift: recorded, but creates no claim (a gift other than work may have no --value).") var gift = false
    @Option var note: String?
    @Option(help: "YYYY-MM-DD (default: today, UTC).") var date: LedgerDate?

    func run() async throws {
        try await options.show { ledger throws(LedgerError) in
            guard let kind = ContributionKind(rawValue: kind) else {
                throw .invalid("unknown contribution kind '\(kind)' (work, material, cash, expense, use, cite)")
            }
            var parsedHours: LedgerDecimal?
            if let hours {
                guard let value = LedgerDecimal(hours) else {
                    throw .invalid("hours '\(hours)' is not a decimal like 1.5 with at most 6 decimals and 12 digits")
                }
                parsedHours = value
            }
            var minor: Int64?
            if let value {
                guard let currency = try await ledger.store.project(project)?.currency else {
                    throw .notFound("no project '\(project)'")
                }
                minor = try currency.parse(value, field: "value")
            }
            var given: EventQuantity?
            switch (quantity, measure) {
            case (nil, nil): break
            case (let quantity?, let measure?):
                guard let amount = LedgerDecimal(quantity) else {
                    throw .invalid("quantity '\(quantity)' is not a decimal like 12.5 with at most 6 decimals and 12 digits")
                }
                given = EventQuantity(amount: amount, measure: measure)
            default:
                throw .invalid("quantity: give both --quantity and --measure (one, box, portion, kg, g, l, ml, h)")
            }
            return try await ledger.contribute(ContributionDraft(
                date: date ?? LedgerDate.today(), agent: agent, project: project, kind: kind, hours: parsedHours,
                workType: workType, value: minor, design: design, unit: unit, lot: lot.count == 1 ? lot[0] : nil, note: note,
                quantity: given, gift: gift, lots: lot.count > 1 ? lot : [], split: try split.map(Self.weights)))
        } text: { event in "event \(event.id) recorded: \(event.kind.rawValue) by \(event.agent), value \(event.value) minor units" }
    }
}

extension ContributeCommand {
    /// `--split 0.6,0.4`: decimals separated by commas.
    static func weights(_ text: String) throws(LedgerError) -> [LedgerDecimal] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { part throws(LedgerError) in
            guard let weight = LedgerDecimal(String(part)) else {
                throw .invalid("split: '\(part)' is not a decimal like 0.6 with at most 6 decimals and 12 digits")
            }
            return weight
        }
    }
}

struct ReverseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reverse",
        abstract: "Correct a contribution by appending its reversal (events are never edited).")
    @OptionGroup var options: LedgerOptions
    @Option(help: "The event's number.") var event: String
    @Option var note: String?
    @Option var date: LedgerDate?

    func run() async throws {
        try await options.run { ledger throws(LedgerError) in
            let event = try recordNumber(event, "--event")
            let reversal = try await ledger.reverse(event: event, date: date ?? LedgerDate.today(), note: note)
            options.emit(reversal) { "event \(reversal.id) reverses event \(event)" }
        }
    }
}

struct SaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sale", abstract: "Units sold by the custodian.",
                                                    subcommands: [Record.self, Reverse.self])
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a sale.")
        @OptionGroup var options: LedgerOptions
        @Option var project: String
        @Option(help: "Serial of the sold unit.") var unit: String?
        @Option(help: "The lot part of which is sold (with --quantity).") var lot: String?
        @Option(help: "How much of the lot is sold, in its unit of measure.") var quantity: String?
        @Option(help: "One line of a sale of several products: UNIT=PRICE or LOT:QUANTITY=PRICE (repeat; instead of --unit/--lot and --price).")
        var line: [String] = []
        @Option(help: "Price, e.g. 1250.00.") var price: String?
        @Option(help: "ISO 4217 code; must be the project's.") var currency: String
        @Option(help: "Buyer reference.") var buyer: String
        @Option(name: .customLong("direct-costs")) var directCosts: String = "0"
        @Option var date: LedgerDate?

        func run() async throws {
            try await options.run { ledger throws(LedgerError) in
                guard line.isEmpty else { return try await recordLines(ledger) }
                guard let price else { throw .invalid("price: a sale needs --price (or --line for each product)") }
                let product: String
                var sold: Int64?
                switch (unit, lot) {
                case (let unit?, nil):
                    guard quantity == nil else { throw .invalid("quantity: a unit is sold whole; --quantity goes with --lot") }
                    product = unit
                case (nil, let lot?):
                    guard let quantity else { throw .invalid("quantity: a sale of lot '\(lot)' needs --quantity") }
                    guard try await ledger.store.lot(lot) != nil else { throw .notFound("no lot '\(lot)' (use `ledger lot add`)") }
                    product = lot
                    sold = try quantityArgument(quantity)
                default:
                    throw .invalid("a sale sells a unit (--unit) or part of a lot (--lot and --quantity), one of them")
                }
                let currency = try Currency(currency)
                let sale = try await ledger.recordSale(SaleDraft(
                    project: project, unit: product, price: try currency.parse(price, field: "price"), currency: currency,
                    date: date ?? LedgerDate.today(), buyer: buyer, directCosts: try currency.parse(directCosts, field: "direct costs"),
                    quantity: sold))
                options.emit(sale) {
                    "sale \(sale.id) recorded: " + (sold.map { "\($0) of " } ?? "") + "\(product) for \(currency.format(sale.price)) \(currency)"
                }
            }
        }

        /// A sale of several lines, each `UNIT=PRICE` or `LOT:QUANTITY=PRICE`.
        private func recordLines(_ ledger: Ledger) async throws(LedgerError) {
            guard unit == nil, lot == nil, quantity == nil, price == nil else {
                throw .invalid("a sale of lines gives every product with --line, without --unit, --lot, --quantity or --price")
            }
            let currency = try Currency(currency)
            var lines = [SaleLine]()
            for (index, text) in line.enumerated() {
                let name = "line \(index + 1)"
                guard let equals = text.lastIndex(of: "="), equals != text.startIndex else {
                    throw .invalid("\(name) '\(text)' is not UNIT=PRICE or LOT:QUANTITY=PRICE")
                }
                var product = String(text[..<equals])
                let linePrice = try currency.parse(String(text[text.index(after: equals)...]), field: "\(name) price")
                var sold: Int64?
                if let colon = product.lastIndex(of: ":") {
                    do throws(LedgerError) { sold = try quantityArgument(String(product[product.index(after: colon)...])) } catch {
                        throw error.prefixed("\(name): ")
                    }
                    product = String(product[..<colon])
                }
                lines.append(SaleLine(unit: product, quantity: sold, price: linePrice))
            }
            let sale = try await ledger.recordSale(SaleDraft(
                project: project, lines: lines, currency: currency, date: date ?? LedgerDate.today(), buyer: buyer,
                directCosts: try currency.parse(directCosts, field: "direct costs")))
            options.emit(sale) {
                "sale \(sale.id) recorded: \(lines.count) lines for \(currency.format(sale.price)) \(currency)"
            }
        }
    }

    struct Reverse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reverse a sale (a return, a cancelled order): its unit can be sold again.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "The sale's number.") var sale: String
        @Option var note: String?
        @Option(help: "YYYY-MM-DD (default: today, UTC).") var date: LedgerDate?

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in
                try await ledger.reverseSale(try recordNumber(sale, "--sale"), date: date ?? LedgerDate.today(), note: note)
            } text: { reversal in "sale \(reversal.sale) reversed on \(reversal.date)" }
        }
    }
}

struct DistributeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "distribute",
        abstract: "Distribute a sale by the project's value equation (once per sale).")
    @OptionGroup var options: LedgerOptions
    @Option(help: "The sale's number.") var sale: String
    @Flag(name: .customLong("dry-run"), help: "Compute and show, write nothing.") var dryRun = false

    func run() async throws {
        try await options.show { ledger throws(LedgerError) in
            try await ledger.distribute(sale: try recordNumber(sale, "--sale"), dryRun: dryRun)
        } text: { distribution in LedgerText.distribution(distribution, dryRun: dryRun) }
    }
}

enum LedgerText {
    static func distribution(_ d: Distribution, dryRun: Bool = false) -> String {
        var lines = ["sale \(d.sale): \(d.currency.format(d.distributable)) \(d.currency) distributable, equation v\(d.equationVersion)"
                     + (dryRun ? " (dry run, nothing written)" : "")]
        for line in d.lines {
            lines.append("  \((line.bucket ?? "network-fund").padding(toLength: 16, withPad: " ", startingAt: 0)) "
                         + "\(line.agent.padding(toLength: 16, withPad: " ", startingAt: 0)) \(d.currency.format(line.amount))")
        }
        return lines.joined(separator: "\n")
    }
}
