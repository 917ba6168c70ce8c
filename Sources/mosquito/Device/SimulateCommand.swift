import ArgumentParser
import Device
import Foundation
import Simulator

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve a simulated Mosquito behind a pseudo-terminal until killed.",
        discussion: """
            Prints the pty path as the first line on stdout; open it as `--device serial:PATH`.
            Signals are given per channel in physical units: --signal 0:sine:10:5:0 (amplitude, Hz, offset),
            square, ramp, step (amplitude, at seconds, offset), noise (sigma, offset), constant (value).
            """)

    @Flag(help: "Serve on a new pseudo-terminal (the simulator's link).") var pty = false
    @Option(help: "Serial number the unit reports.") var serial = "MQ-SIM-0001"
    @Option(help: "Design name the unit reports.") var design = "MQ-FORCE"
    @Option(help: "Number of channels (1-32).") var channels = 4
    @Option(help: "Seed for the deterministic noise.") var seed: UInt64 = 1
    @Option(help: "Highest rate the unit accepts, in Hz.") var maxRate: UInt32 = 100_000
    @Option(help: "Device clock error in parts per million.") var driftPpm: Double = 0
    @Option(help: "Per-channel signal, CH:KIND[:AMPLITUDE[:FREQ|AT[:OFFSET]]]; repeatable.") var signal: [String] = []
    @Option(help: "Fault: do not send every Nth samples frame.") var dropEvery = 0
    @Option(help: "Fault: corrupt one byte of every Nth samples frame.") var corruptEvery = 0
    @Option(help: "Fault: after N frames stall for --stall-ms.") var stallAfter = 0
    @Option(help: "Fault: stall length in milliseconds.") var stallMs = 0
    @Option(help: "Fault: close the link after N frames.") var disconnectAfter = 0
    @Option(help: "Fault: device buffer overrun every N frames.") var overrunEvery = 0
    @Option(help: "Fault: samples lost per device overrun.") var overrunSamples = 10
    @Option(help: "Fault: calibration storage healthy|refuses|corrupts.") var calibrationStorage = "healthy"
    @Option(help: "Fault: send every Nth samples frame twice.") var repeatEvery = 0
    @Option(help: "Fault: send every Nth samples frame late, after the next one.") var lateEvery = 0
    @Option(help: "Fault: count sample indices from this value (up to 2^64-1, wrapping) instead of 0.")
    var firstIndex: UInt64 = 0

    func run() throws {
        guard pty else { throw CLIError("simulate serves on a pseudo-terminal: pass --pty") }
        // "Serves until killed": a parent may have started us with SIGTERM ignored or blocked; undo that.
        ProcessSignals.restoreDefaults([SIGTERM, SIGINT, SIGHUP])
        let options: [String: String] = [
            "serial": serial, "design": design, "channels": "\(channels)", "seed": "\(seed)",
            "max_rate": "\(maxRate)", "drift_ppm": "\(driftPpm)", "drop_every": "\(dropEvery)",
            "corrupt_every": "\(corruptEvery)", "stall_after": "\(stallAfter)", "stall_ms": "\(stallMs)",
            "disconnect_after": "\(disconnectAfter)", "overrun_every": "\(overrunEvery)",
            "overrun_samples": "\(overrunSamples)", "calibration_storage": calibrationStorage,
            "repeat_every": "\(repeatEvery)", "late_every": "\(lateEvery)", "first_index": "\(firstIndex)",
        ]
        let signals = try signal.map { spec in
            guard let colon = spec.firstIndex(of: ":"), let channel = Int(spec[..<colon]) else {
                throw CLIError("--signal '\(spec)': expected CH:KIND[…], e.g. 0:sine:10:5")
            }
            return (spec: spec, channel: channel, shape: String(spec[spec.index(after: colon)...]))
        }
        var config: SimulatorConfig
        do throws(SimulatorError) {
            config = try SimulatorConfig(options: options)
            // Set here rather than passed as `signalN` options, so that a refusal names `--signal` as given.
            for s in signals { try config.setSignal(channel: s.channel, spec: s.shape, given: "--signal '\(s.spec)'") }
        } catch { throw CLIError(error.description) }
        let server: SimulatorServer
        do throws(SystemError) { server = try SimulatorServer(config: config) } catch {
            throw CLIError("cannot create a pseudo-terminal: \(error)")
        }
        Console.line(server.path)
        do throws(SystemError) { try server.run() } catch { throw CLIError("simulator link failed: \(error)") }
    }
}
