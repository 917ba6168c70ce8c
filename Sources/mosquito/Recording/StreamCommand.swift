import Acquisition
import ArgumentParser
import Device
import Foundation
import LSLBridge
import MosquitoModel
import Synchronization

/// `mosquito stream`: instruments streaming to subscribers (LSL with `--lsl`, MQTT with `--publish`) without a recording, until Ctrl-C
/// or `--duration`. Exits non-zero if any sample was lost, as `record` does.
struct StreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Stream from instruments without recording (to the Lab Streaming Layer with --lsl, to an MQTT broker with --publish), until Ctrl-C.",
        discussion: """
            Live status goes to stderr. The run exits non-zero if any sample was lost upstream of the subscribers \
            (an inlet that reads too slowly loses only its own samples: counted, shown, not an error).
            """)

    @Option(name: .customLong("device"), help: "Instrument URI (repeatable): sim[?options], serial:PATH, usb:VID:PID[:SERIAL].")
    var devices: [String] = ["sim"]
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var pipeline: PipelineArguments
    @OptionGroup var lsl: LSLOptions
    @OptionGroup var publish: PublishOptions

    func run() async throws {
        let spec = try pipeline.spec()
        var hubs: [StreamHub] = []
        defer { for h in hubs { h.shutdown() } }
        for uri in devices {
            do {
                hubs.append(try StreamHub(uri: uri, session: try Openers.standard.openSession(uri), softwareVersion: MosquitoVersion.string))
            } catch let error as DeviceError {
                throw CLIError.opening(uri, error)
            }
        }
        // Subscribed before the devices start, so the publishers' pipelines begin at each stream's first sample.
        let published = try await lsl.attach(hubs, rateHz: sampling.rate, pipeline: spec)
        let publishing = try publish.publishing()
        for hub in hubs { try publishing?.attach(hub) }
        let stop = StopRequest()
        let interrupts = InterruptWatch { stop.flag.store(true, ordering: .releasing) }
        defer { interrupts.cancel() }
        for hub in hubs {
            do throws(StreamHub.Refusal) { try hub.startStreaming(rateHz: sampling.rate) } catch {
                await published?.finish()
                try? publishing?.finish()
                throw CLIError(error.description)
            }
        }
        let end = sampling.sampleCount
        let started = Date()
        var lastLine = Date.distantPast
        var lastProgress = (value: UInt64(0), at: Date())
        while !stop.flag.load(ordering: .acquiring) {
            try? await Task.sleep(for: .milliseconds(50))
            let s = hubs.map { $0.status() }
            if let end, s.allSatisfy({ $0.nextIndex >= end }) { break }
            if s.contains(where: { $0.linkError != nil }) { break }
            let accounted = s.reduce(UInt64(0)) { $0.addingSaturating($1.nextIndex) }
            if accounted != lastProgress.value {
                lastProgress = (accounted, Date())
            } else if Date().timeIntervalSince(lastProgress.at) > 10 {
                Console.status("no samples for 10 s: stopping", final: true)
                break
            }
            if Date().timeIntervalSince(lastLine) >= 0.5 {
                lastLine = Date()
                Console.status(Self.line(s, elapsed: Date().timeIntervalSince(started), lsl: published))
            }
        }
        for hub in hubs { try? hub.stopStreaming() }
        await published?.finish()
        try publishing?.finish()
        let s = hubs.map { $0.status() }
        Console.status(Self.line(s, elapsed: Date().timeIntervalSince(started), lsl: published), final: true)
        let lost = s.reduce(UInt64(0)) { $0.addingSaturating($1.samplesLost) }
        if lost > 0 { throw LossExit(description: "\(lost) samples lost") }
        if let link = s.compactMap(\.linkError).first { throw LossExit(description: link) }
    }

    private static func line(_ s: [StreamHub.Status], elapsed: Double, lsl: LSLPublishing?) -> String {
        func sum(_ f: (StreamHub.Status) -> UInt64) -> UInt64 { s.reduce(UInt64(0)) { $0.addingSaturating(f($1)) } }
        let base = String(
            format: "%6.1f s  received %llu  gaps %llu  lost %llu  CRC errors %llu", elapsed, sum(\.samplesReceived),
            sum(\.gaps), sum(\.samplesLost), sum(\.crcErrors))
        return lsl.map { base + "  " + $0.statusText } ?? base
    }
}

/// Ctrl-C, seen by the status loop.
private final class StopRequest: Sendable {
    let flag = Atomic<Bool>(false)
}
