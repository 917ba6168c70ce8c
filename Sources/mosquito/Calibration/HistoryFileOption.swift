import ArgumentParser
import Calibration

/// `--history FILE`: the calibration history a command reads or appends to, one spelling for all of them.
struct HistoryFileOption: ParsableArguments {
    @Option(help: "Calibration history file (JSON lines). Default: $XDG_DATA_HOME/mosquito/calibration-history.jsonl.")
    var history: String?

    var store: CalibrationHistory { CalibrationHistory(path: history ?? CalibrationHistory.defaultPath()) }
}
