import ArgumentParser
import Foundation
import MosquitoModel

@main
struct Mosquito: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mosquito",
        abstract: "Data acquisition for Mosquito instruments: stream, record, calibrate, and account.",
        version: MosquitoVersion.string,
        subcommands: [
            ListCommand.self,
            InfoCommand.self,
            SimulateCommand.self,
            RecordCommand.self,
            StreamCommand.self,
            InspectCommand.self,
            ExportCommand.self,
            CalibrateCommand.self,
            VerifyCommand.self,
            CertificateCommand.self,
            CalibrationGroup.self,
            LedgerCommand.self,
            ServeCommand.self,
            LSLCommand.self,
            ArchiveCommand.self,
        ]
    )

    static func main() async {
        ProcessMemory.applyPolicy()
        ProcessSignals.ignoreFileSizeLimitSignal()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(oneLine: error)
        }
    }

    /// ArgumentParser follows a usage error with the usage text; here bad input is one line on stderr, with
    /// ArgumentParser's exit code. Help and version requests still print in full.
    private static func exit(oneLine error: Error) -> Never {
        let code = exitCode(for: error)
        guard code != .success else { exit(withError: error) }
        // `ExitCode` carries no message: the command already said what happened.
        if let message = message(for: error).split(separator: "\n", omittingEmptySubsequences: true).first {
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        }
        Foundation.exit(code.rawValue)
    }
}
