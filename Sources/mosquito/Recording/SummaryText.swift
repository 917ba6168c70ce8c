import Acquisition
import Foundation
import MosquitoModel
import Signal

enum SummaryText {
    static func print(_ s: RunSummary) {
        Console.line("recorded \(s.output) in \(String(format: "%.2f", s.elapsedSeconds)) s")
        for d in s.devices {
            let expected = d.samplesExpected.map { " of \($0)" } ?? ""
            Console.line("  \(d.uri) (\(d.serial)) \(d.rateHz) Hz → \(formatRate(d.outputRateHz)) Hz, channels \(d.channels.joined(separator: ","))")
            Console.line("    samples received \(d.samplesReceived)\(expected), written \(d.samplesWritten), frames \(d.framesReceived)")
            Console.line("    lost \(d.lost.total): \(causes(d.lost))")
            Console.line("    CRC errors \(d.crcErrors), malformed frames \(d.malformedFrames)")
            let violations = Self.violations(d.indexViolations)
            if !violations.isEmpty { Console.line("    index: " + violations.joined(separator: "; ")) }
            if let u = d.clockOffsetUncertaintyNs, let drift = d.clockDriftPPM {
                Console.line(String(format: "    clock: drift %.2f ppm, offset uncertainty %.1f µs", drift, u / 1000))
            }
            let seconds = Double(d.bufferFrames) / Double(d.rateHz)
            let peak = 100 * Double(d.bufferHighWaterFrames) / Double(d.bufferFrames)
            Console.line(String(format: "    buffer: %.2f s (%d frames), peak backlog %.1f %%", seconds, d.bufferFrames, peak))
            if let t = d.triggeredAtIndex { Console.line("    trigger fired at index \(t); the samples before it were not written") }
            if d.reconnects > 0 { Console.line("    reconnected \(d.reconnects) time(s); each outage is a transport gap") }
            if let e = d.linkError { Console.line("    link: \(e)") }
        }
    }

    /// Across devices, cause by cause.
    static func causes(_ s: RunSummary) -> String {
        causes(s.devices.reduce(LossTotals()) { $0.addingSaturating($1.lost) })
    }

    /// "transport gap 0, CRC error 2, …": the causes the totals report (write failures only when there were any,
    /// so a run that wrote everything reads as it always did).
    static func causes(_ lost: LossTotals) -> String {
        lost.reported.map { "\(phrase($0)) \(lost[$0])" }.joined(separator: ", ")
    }

    private static func phrase(_ cause: GapCause) -> String {
        switch cause {
        case .transportGap: "transport gap"
        case .crcError: "CRC error"
        case .deviceOverrun: "device overrun"
        case .hostOverrun: "host overrun"
        case .network: "network"
        case .writeFailed: "write failed"
        }
    }

    /// What broke the index rule, one phrase per kind; empty when nothing did.
    static func violations(_ v: IndexViolations) -> [String] {
        var out: [String] = []
        if v.duplicateFrames > 0 {
            out.append("\(v.duplicateSamples) duplicate samples discarded (\(frames(v.duplicateFrames)) sent again, backwards or late)")
        }
        if v.overflowFrames > 0 {
            out.append("\(frames(v.overflowFrames)) refused whose indices would reach 2^64-1 (\(v.overflowSamples) samples)")
        }
        return out
    }

    private static func frames(_ n: UInt64) -> String { n == 1 ? "1 frame" : "\(n) frames" }

    private static func formatRate(_ r: Double) -> String {
        r == r.rounded() ? String(Int(r)) : String(format: "%.3f", r)
    }
}
