import ArgumentParser

/// `--duration` and `--rate`, which `record` and `stream` take alike: how fast the instruments sample, and for how
/// many seconds of samples (seconds × rate: a count of samples, not of wall-clock time; `record` writes exactly that
/// many, `stream` stops once it has sent them, with what the last block carried past).
struct SamplingOptions: ParsableArguments {
    @Option(help: "Seconds of samples to take (seconds × rate samples: exactly, in a recording; stream stops once it has sent them); omit to run until Ctrl-C.")
    var duration: Double?
    @Option(help: "Sampling rate in Hz.") var rate: UInt32 = 1000

    func validate() throws {
        if let d = duration, !(d > 0 && d.isFinite) { throw ValidationError("--duration must be a positive number of seconds") }
        if rate == 0 { throw ValidationError("--rate must be positive") }
        // Sample indices are UInt64: a longer run has no count to stop at (and converting it would trap).
        if let d = duration, !(d * Double(rate) < 0x1p64) {
            throw ValidationError("--duration × --rate must be fewer than 2^64 samples")
        }
    }

    /// The sample count `--duration` asks for, if it asks (validated to fit).
    var sampleCount: UInt64? { duration.map { UInt64(($0 * Double(rate)).rounded()) } }
}
