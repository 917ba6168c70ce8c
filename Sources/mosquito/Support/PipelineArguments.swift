import ArgumentParser
import Signal

/// `--filter …` (repeatable) and `--decimate N`, applied in the order they appear on the command line.
struct PipelineArguments: ParsableArguments {
    @Option(name: .customLong("filter"), help: "lowpass:ORDER:HZ, highpass:ORDER:HZ, bandpass:ORDER:LOW_HZ:HIGH_HZ or notch:HZ; repeatable, in order.")
    var filters: [String] = []
    @Option(help: "Keep every Nth sample after an anti-alias low-pass.") var decimate: [Int] = []

    /// The stages in command-line order: argument parsers group options by name, so the order comes from
    /// the raw arguments.
    func spec(arguments: [String] = CommandLine.arguments) throws -> PipelineSpec {
        var tokens: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            for (flag, prefix) in [("--filter", ""), ("--decimate", "decimate:")] {
                if a == flag, i + 1 < arguments.count {
                    tokens.append(prefix + arguments[i + 1])
                    i += 1
                } else if a.hasPrefix(flag + "=") {
                    tokens.append(prefix + a.dropFirst(flag.count + 1))
                }
            }
            i += 1
        }
        // Parsed values win if the raw scan saw something different (e.g. arguments from a test harness).
        if tokens.count != filters.count + decimate.count {
            tokens = filters + decimate.map { "decimate:\($0)" }
        }
        do throws(PipelineSpecError) { return try PipelineSpec(tokens: tokens) } catch { throw CLIError(error.description) }
    }
}
