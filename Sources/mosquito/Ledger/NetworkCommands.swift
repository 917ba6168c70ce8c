import ArgumentParser
import Device
import Ledger

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", abstract: "People and organizations.",
                                                    subcommands: [Add.self])
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an agent.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "Short id, e.g. ana.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(help: "person or organization.") var kind: String = "person"

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in
                guard let kind = Agent.Kind(rawValue: kind) else { throw .invalid("kind must be person or organization") }
                return try await ledger.addAgent(id: id, name: name, kind: kind)
            } text: { agent in "agent \(agent.id) added" }
        }
    }
}

struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "project", abstract: "Value networks.",
                                                    subcommands: [Add.self])
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a project.")
        @OptionGroup var options: LedgerOptions
        @Option var id: String
        @Option var name: String = ""
        @Option(help: "ISO 4217 code, e.g. CAD.") var currency: String
        @Option(help: "Agent that is the project's legal front.") var custodian: String?
        @Option(help: "Agent receiving what the equation leaves unallocated.") var fund: String

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in
                try await ledger.addProject(id: id, name: name, currency: currency, custodian: custodian,
                                            fundAgent: fund)
            } text: { project in "project \(project.id) added (\(project.currency))" }
        }
    }
}

struct WorkTypeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worktype", abstract: "Work types and hourly rates.",
                                                    subcommands: [Set.self])
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a work type's rate, or an agent's personal rate.")
        @OptionGroup var options: LedgerOptions
        @Option var project: String
        @Option var name: String
        @Option(help: "Rate per hour in the project's currency, e.g. 45.00.") var rate: String
        @Option(help: "Set this agent's personal rate instead.") var agent: String?

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in
                try await ledger.setWorkType(project: project, name: name, rate: rate, agent: agent)
                return ["project": project, "work_type": name, "rate": rate, "agent": agent ?? ""]
            } text: { _ in "work type \(name) rate \(rate)" + (agent.map { " for \($0)" } ?? "") }
        }
    }
}

struct DesignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "design", abstract: "Designs and their lineage.",
                                                    subcommands: [Add.self])
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a design revision.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "Design id, e.g. MQ-FORCE-r2.") var id: String
        @Option(help: "Name, e.g. \"MQ-FORCE rev 2\".") var name: String?
        @Option(help: "The revision this one derives from.") var parent: String?
        @Option(help: "Share of a sale of this design owed to its parent's contributors, in (0, 1), e.g. 0.4; without it the design bucket's lineage_weight applies.")
        var cites: String?

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in
                var weight: LedgerDecimal?
                if let cites {
                    guard let value = LedgerDecimal(cites) else {
                        throw .invalid("cites '\(cites)' is not a decimal like 0.4")
                    }
                    weight = value
                }
                return try await ledger.addDesign(id: id, name: name, parent: parent, cites: weight)
            } text: { design in
                "design \(design.id) added" + (design.parent.map { " (from \($0)" + (design.cites.map { ", cites \($0))" } ?? ")") } ?? "")
            }
        }
    }
}

struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unit", abstract: "Built instruments.",
                                                    subcommands: [Register.self])
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a unit by serial and design, or read both from a connected instrument.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "Serial number, e.g. MQ-2026-0042.") var serial: String?
        @Option(help: "Design id.") var design: String?
        @Option(help: "Take serial and design from this instrument's identity record (e.g. usb:1209:0001, sim).")
        var device: String?

        func run() async throws {
            let (serial, design) = try identify()
            try await options.show { ledger throws(LedgerError) in
                try await ledger.registerUnit(serial: serial, design: design)
            } text: { unit in "unit \(unit.serial) registered (\(unit.design))" }
        }

        /// The serial and design exactly as the instrument reports them (MWP/1 identity), or as given.
        private func identify() throws -> (String, String) {
            if let device {
                guard serial == nil, design == nil else {
                    throw CLIError("give either --device or --serial and --design, not both")
                }
                let session: DeviceSession
                do throws(DeviceError) { session = try Openers.standard.openSession(device) } catch {
                    throw CLIError.opening(device, error)
                }
                defer { session.close() }
                return (session.identity!.serial, session.identity!.design)
            }
            guard let serial, let design else { throw CLIError("unit register needs --device, or --serial and --design") }
            return (serial, design)
        }
    }
}
