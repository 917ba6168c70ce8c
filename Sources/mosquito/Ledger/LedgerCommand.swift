import ArgumentParser

/// `mosquito ledger …`: the contribution ledger of an open value network.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Log contributions, record sales, and distribute income by the network's value equation.",
        subcommands: [
            AgentCommand.self, ProjectCommand.self, WorkTypeCommand.self, DesignCommand.self, UnitCommand.self, LotCommand.self,
            ContributeCommand.self, ReverseCommand.self, SaleCommand.self, DistributeCommand.self,
            EquationCommand.self, ReportCommand.self, LedgerExportCommand.self, LedgerVerifyCommand.self, DemoCommand.self,
            CreditCalibrationCommand.self,
        ]
    )
}
