import Acquisition
import Calibration
import ArgumentParser
import Device
import Foundation
import MosquitoModel
import Recording
import Signal

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Acquire from one or more instruments into an HDF5 (.h5) or CSV (.csv) file.",
        discussion: """
            Live status goes to stderr; Ctrl-C stops cleanly and keeps everything received. The run exits \
            non-zero if any sample was lost, or if the instrument sent a sample index again, backwards or past \
            2^64-1 (those samples are discarded: the file holds each index once, in order); the summary says \
            how many and why.
            """)

    @Option(name: .customLong("device"), help: """
        Instrument URI (repeatable: devices are aligned on host time): sim[?options], serial:PATH, usb:VID:PID[:SERIAL], \
        or replay:FILE.h5[#SERIAL][:SPEED] to play a recording back (its first device unless #SERIAL; SPEED 1 is real \
        time, 0 as fast as possible; it accepts only the recorded --rate and channels, and ends when the recording does).
        """)
    var devices: [String] = ["sim"]
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "Channels to record, e.g. 0,2,3 (default: all).") var channels: String?
    @Option(help: "Output file: .h5/.hdf5 or .csv.") var output: String
    @Flag(help: "CSV: write raw ADC counts instead of calibrated values.") var raw = false
    @Flag(help: "HDF5: deflate + shuffle compression.") var compress = false
    @Flag(help: "Replace the output file if it exists.") var overwrite = false
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: "Keep recording when the instrument goes away: wait for the same serial to come back, reconfigure, restart; the outage is a gap.")
    var follow = false
    @Option(help: ArgumentHelp("""
        Start recording where device channel CH's calibrated value (before filters) meets a condition: \
        rising or falling through LEVEL, or above or below it. Earlier samples are not written; --duration \
        counts from the trigger; the file's events say where it fired. One device.
        """, valueName: "CH:rising|falling|above|below:LEVEL"))
    var trigger: String?
    @Option(help: """
        Seconds of data the recorder may fall behind before the instrument is held back, and past that samples \
        are counted lost (memory grows with it: 16 channels at 100 kS/s take 8 MB a second).
        """)
    var buffer: Double = RingSizing.defaultSeconds
    @Option(help: "Calibration history whose certificate IDs go into the recording (default: the user's data directory).")
    var calibrationHistory: String?
    @OptionGroup var pipeline: PipelineArguments
    @OptionGroup var lsl: LSLOptions
    @OptionGroup var publish: PublishOptions

    func validate() throws {
        if !(buffer > 0 && buffer <= 600) { throw ValidationError("--buffer must be between 0 and 600 seconds") }
        if RecordingFormat(path: output) == nil { throw ValidationError("--output must end in .h5, .hdf5 or .csv") }
    }

    func run() throws {
        let channelList = try parseChannels()
        let spec = try pipeline.spec()
        var triggerSpec: TriggerSpec?
        if let trigger {
            do throws(AcquisitionError) { triggerSpec = try TriggerSpec(parsing: trigger) } catch { throw CLIError(error.description) }
        }
        var opened: [(uri: String, session: DeviceSession)] = []
        defer { for o in opened { o.session.close() } }
        for text in devices {
            do throws(DeviceError) { opened.append((text, try Openers.standard.openSession(text))) } catch {
                throw CLIError.opening(text, error)
            }
        }
        var plan = AcquisitionPlan(
            rateHz: sampling.rate, channels: channelList, pipeline: spec, durationSeconds: sampling.duration, output: output,
            options: RecordingOptions(compress: compress, overwrite: overwrite, csvRawCounts: raw),
            softwareVersion: MosquitoVersion.string, bufferSeconds: buffer,
            certificateLookup: { serial, record in
                try? CalibrationHistory(path: calibrationHistory ?? CalibrationHistory.defaultPath())
                    .certificateID(serial: serial, stored: record)
            },
            follow: follow, trigger: triggerSpec)
        lsl.prepare(&plan, sessions: opened)
        let publishing = try publish.attach(to: &plan, sessions: opened)
        let run: AcquisitionRun
        // Up to a second's wait for a USB unit's hotplug arrival; other links are tried again every 250 ms.
        let reopen: @Sendable (String, String) -> DeviceSession? = { uri, serial in
            try? Openers.standard.reopenSession(uri, serial: serial, waitMs: 1000, requestTimeoutMs: 500)
        }
        do throws(AcquisitionError) { run = try AcquisitionRun(sessions: opened, plan: plan, reopen: reopen) } catch {
            throw CLIError(error.description)
        }
        let published = try lsl.attach(run)
        let interrupts = InterruptWatch { run.requestStop() }
        defer { interrupts.cancel() }
        do throws(AcquisitionError) { try run.start() } catch { throw CLIError(error.description) }
        try publishing?.start(run)
        watch(run)
        let summary = run.finish()
        published?.finish(recording: summary)
        if json { try Console.json(summary) } else { SummaryText.print(summary) }
        if let e = summary.recordingError { throw CLIError(e) }
        try publishing?.finish()
        // A duplicate is as much a failure as a loss: the instrument broke the index rule, and the file
        // differs from what it sent. Both go into the one error line.
        var failures: [String] = []
        if summary.samplesLost > 0 { failures.append("\(summary.samplesLost) samples lost (\(SummaryText.causes(summary)))") }
        failures += SummaryText.violations(summary.indexViolations)
        if !failures.isEmpty { throw LossExit(description: failures.joined(separator: "; ")) }
        if let link = summary.devices.compactMap(\.linkError).first { throw LossExit(description: link) }
        if triggerSpec != nil && summary.devices.allSatisfy({ $0.triggeredAtIndex == nil }) {
            throw LossExit(description: "the trigger never fired: nothing was recorded")
        }
    }

    /// Prints the live status line until the run ends; a stream that stops moving ends it too.
    private func watch(_ run: AcquisitionRun) {
        var lastProgress = (value: UInt64(0), at: Date())
        var lastLine = Date.distantPast
        var lastWritten: (n: UInt64, t: Double) = (0, 0)
        var rateShown = 0.0
        while !run.isDone {
            Thread.sleep(forTimeInterval: 0.05)
            let s = run.status()
            // Saturating: a device may account for up to 2^64 - 1 indices, received and lost together.
            let accounted = s.samplesReceived.addingSaturating(s.samplesLost)
            if accounted != lastProgress.value {
                lastProgress = (accounted, Date())
            } else if !follow && Date().timeIntervalSince(lastProgress.at) > 10 {
                Console.status("no samples for 10 s: stopping", final: true)
                run.requestStop()
            }
            if Date().timeIntervalSince(lastLine) >= 0.5 {
                lastLine = Date()
                if s.elapsedSeconds - lastWritten.t > 0 {
                    // Written falls back to the last flush when the disk refuses a write: no rate then.
                    let grown = s.samplesWritten >= lastWritten.n ? s.samplesWritten - lastWritten.n : 0
                    rateShown = Double(grown) / (s.elapsedSeconds - lastWritten.t)
                }
                lastWritten = (s.samplesWritten, s.elapsedSeconds)
                Console.status(String(
                    format: "%6.1f s  %8.0f samples/s  written %llu  gaps %llu  lost %llu  CRC errors %llu",
                    s.elapsedSeconds, rateShown, s.samplesWritten, s.gaps, s.samplesLost, s.crcErrors))
            }
        }
        let s = run.status()
        Console.status(String(
            format: "%6.1f s  written %llu  gaps %llu  lost %llu  CRC errors %llu",
            s.elapsedSeconds, s.samplesWritten, s.gaps, s.samplesLost, s.crcErrors), final: true)
    }

    private func parseChannels() throws -> [Int]? {
        guard let channels else { return nil }
        var list: [Int] = []
        for part in channels.split(separator: ",", omittingEmptySubsequences: false) {
            guard let c = Int(part.trimmingCharacters(in: .whitespaces)), c >= 0 else {
                throw CLIError("--channels '\(channels)': expected channel numbers like 0,2,3")
            }
            guard !list.contains(c) else { throw CLIError("--channels '\(channels)': channel \(c) listed twice") }
            list.append(c)
        }
        return list
    }
}
