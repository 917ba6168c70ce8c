import ArgumentParser
import Foundation
import Ledger

struct EquationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "equation", abstract: "A project's value equation.",
                                                    subcommands: [Show.self, Check.self, Set.self])

    static func read(_ path: String) throws(LedgerError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw .notFound("cannot read \(path)") }
        return data
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the project's current equation.")
        @OptionGroup var options: LedgerOptions
        @Option var project: String

        func run() async throws {
            try await options.run { ledger throws(LedgerError) in
                guard let equation = try await ledger.store.latestEquation(project: project) else {
                    throw .notFound("project '\(project)' has no value equation")
                }
                print(equation.canonicalJSON())
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate an equation file without storing it.")
        @OptionGroup var options: LedgerOptions
        @Option var file: String

        func run() async throws {
            try await options.run { ledger throws(LedgerError) in
                let equation = try ValueEquation.load(json: try EquationCommand.read(file))
                try await ledger.check(equation)
                options.emit(["valid": "true", "project": equation.project, "version": String(equation.version)]) {
                    "\(file): valid (project \(equation.project), version \(equation.version))"
                }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate and store an equation file as a new version.")
        @OptionGroup var options: LedgerOptions
        @Option var file: String

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in
                try await ledger.setEquation(json: try EquationCommand.read(file))
            } text: { equation in "equation version \(equation.version) set for \(equation.project)" }
        }
    }
}
