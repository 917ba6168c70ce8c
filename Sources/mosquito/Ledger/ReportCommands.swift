import ArgumentParser
import Foundation
import Ledger

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Who earned what, and from which sale.",
                                                    subcommands: [AgentReportCommand.self, UnitReportCommand.self,
                                                                  ProjectReportCommand.self])
}

struct AgentReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", abstract: "What an agent contributed and earned.")
    @OptionGroup var options: LedgerOptions
    @Argument var id: String

    func run() async throws {
        try await options.show { ledger throws(LedgerError) in try await ledger.agentReport(id) } text: { report in
            var text = ["agent \(report.agent)"]
            for e in report.earnings {
                text.append("  sale \(e.sale) (\(e.unit)) \(e.bucket ?? "network-fund"): \(Self.money(e.amount, e.currency))")
            }
            for (currency, total) in report.totals.sorted(by: { $0.key < $1.key }) {
                text.append("  total earned: \(Self.money(total, currency))")
            }
            text.append("  outstanding debt/once claims: \(report.outstandingClaims.count)")
            return text.joined(separator: "\n")
        }
    }
}

extension AgentReportCommand {
    static func money(_ minor: Int64, _ code: String) -> String {
        guard let currency = try? Currency(code) else { return "\(minor) minor units" }
        return "\(currency.format(minor)) \(code)"
    }
}

struct UnitReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unit", abstract: "Where every cent of a unit's sale went.")
    @OptionGroup var options: LedgerOptions
    @Argument var serial: String

    func run() async throws {
        try await options.show { ledger throws(LedgerError) in try await ledger.unitReport(serial) } text: { report in
            var text = ["unit \(report.unit.serial) (\(report.unit.design)), \(report.contributions.count) contributions"]
            for breakdown in report.sales {
                if let reversal = breakdown.reversal {
                    text.append("sale \(breakdown.sale.id): reversed on \(reversal.date)" + (reversal.note.map { " (\($0))" } ?? ""))
                }
                if let d = breakdown.distribution {
                    text.append(LedgerText.distribution(d))
                    for p in d.payments {
                        let event = breakdown.events.first { $0.id == p.event }
                        text.append("    \(p.bucket) ← event \(p.event) (\(event?.kind.rawValue ?? "?") by \(p.agent)): \(d.currency.format(p.amount))")
                    }
                } else if breakdown.reversal == nil {
                    text.append("sale \(breakdown.sale.id): not distributed yet")
                }
            }
            return text.joined(separator: "\n")
        }
    }
}

struct ProjectReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "project", abstract: "A project's income and payouts.")
    @OptionGroup var options: LedgerOptions
    @Argument var id: String

    func run() async throws {
        try await options.show { ledger throws(LedgerError) in try await ledger.projectReport(id) } text: { report in
            let c = report.project.currency
            var text = ["project \(report.project.id): \(report.sales) sales, \(report.distributed) distributed, income \(c.format(report.income)) \(c)"]
            for row in report.perAgent { text.append("  \(row.agent.padding(toLength: 16, withPad: " ", startingAt: 0)) \(c.format(row.amount))") }
            return text.joined(separator: "\n")
        }
    }
}

struct LedgerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export",
        abstract: "Export a table as CSV, or the whole ledger as ValueFlows-shaped JSON (--json).")
    @OptionGroup var options: LedgerOptions
    @Option(help: "events, lines or claims (CSV).") var table: String = "lines"

    func run() async throws {
        try await options.run { ledger throws(LedgerError) in
            if options.json {
                print(try await ledger.exportValueFlows())
            } else {
                guard let table = Ledger.ExportTable(rawValue: table) else {
                    throw .invalid("unknown table '\(table)' (events, lines, claims)")
                }
                print(try await ledger.exportCSV(table), terminator: "")
            }
        }
    }
}

struct LedgerVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify",
        abstract: "Check the events' and distributions' hash chains and recompute every distribution; names the first bad row.")
    @OptionGroup var options: LedgerOptions

    func run() async throws {
        try await options.show { ledger throws(LedgerError) in
            let report = try await ledger.store.verifyChain()
            if let problem = report.problem { throw .tampered("ledger tampered: \(problem)") }
            return report
        } text: { report in
            let asFound = report.distributions - report.recomputed
            return "ledger intact: \(report.events) events and \(report.distributions) distributions, hash chains verified, "
                + "\(report.recomputed) distributions recomputed" + (asFound > 0 ? " (\(asFound) chained as found at migration)" : "")
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo",
        abstract: "Build a small Mosquito network (or, with --network food, a community kitchen) in an empty ledger and sell.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "mosquito (three instruments) or food (a community kitchen's batches, sold by the box).")
    var network: String = "mosquito"

    func run() async throws {
        try await options.show { ledger throws(LedgerError) in
            switch network {
            case "mosquito": return try await ledger.runDemo()
            case "food": return try await ledger.runFoodDemo()
            default: throw .invalid("--network '\(network)' is not one of mosquito, food")
            }
        } text: { distributions in distributions.map { LedgerText.distribution($0) }.joined(separator: "\n") }
    }
}
