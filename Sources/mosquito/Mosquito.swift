import ArgumentParser

@main
struct Mosquito: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mosquito",
        abstract: "Data acquisition for Mosquito instruments: stream, record, calibrate, and account.",
        version: MosquitoVersion.string,
        subcommands: [LedgerCommand.self]
    )
}

enum MosquitoVersion {
    static let string = "0.1.0"
}
