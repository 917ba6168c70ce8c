import Acquisition
import Foundation
import Signal

enum SummaryText {
    static func print(_ s: RunSummary) {
        Console.line("recorded \(s.output) in \(String(format: "%.2f", s.elapsedSeconds)) s")
        for d in s.devices {
            let expected = d.samplesExpected.map { " of \($0)" } ?? ""
            Console.line("  \(d.uri) (\(d.serial)) \(d.rateHz) Hz → \(formatRate(d.outputRateHz)) Hz, channels \(d.channels.joined(separator: ","))")
            Console.line("    samples received \(d.samplesReceived)\(expected), written \(d.samplesWritten), frames \(d.framesReceived)")
            Console.line("    lost \(d.lost.total): transport gap \(d.lost.transportGap), CRC error \(d.lost.crcError), device overrun \(d.lost.deviceOverrun), host overrun \(d.lost.hostOverrun)\(writeFailed(d.lost.writeFailed))")
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

    static func causes(_ s: RunSummary) -> String {
        // Across devices, each of which may count up to 2^64 - 1: saturating.
        var t = (gap: UInt64(0), crc: UInt64(0), dev: UInt64(0), host: UInt64(0), write: UInt64(0))
        for d in s.devices {
            t.gap = t.gap.addingSaturating(d.lost.transportGap)
            t.crc = t.crc.addingSaturating(d.lost.crcError)
            t.dev = t.dev.addingSaturating(d.lost.deviceOverrun)
            t.host = t.host.addingSaturating(d.lost.hostOverrun)
            t.write = t.write.addingSaturating(d.lost.writeFailed)
        }
        return "transport gap \(t.gap), CRC error \(t.crc), device overrun \(t.dev), host overrun \(t.host)\(writeFailed(t.write))"
    }

    /// Named only when a write failed, so a run that wrote everything reads as it always did.
    private static func writeFailed(_ n: UInt64) -> String { n > 0 ? ", write failed \(n)" : "" }

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
