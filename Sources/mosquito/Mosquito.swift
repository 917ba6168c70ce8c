import ArgumentParser

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
            InspectCommand.self,
            ExportCommand.self,
            CalibrateCommand.self,
            VerifyCommand.self,
            CertificateCommand.self,
            CalibrationGroup.self,
            LedgerCommand.self,
            ServeCommand.self,
        ]
    )
}

enum MosquitoVersion {
    static let string = "0.1.0"
}
