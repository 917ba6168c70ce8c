import Acquisition
import MWP
import MosquitoModel
import Signal

/// A `StreamIngest` fed SAMPLES frames as a session's reader thread would, and the recorder's side of its ring
/// read back after every frame: what a recording of the stream would hold, in order.
final class IngestHarness {
    let ingest: StreamIngest
    let ring: FrameRing
    let channels: Int
    /// Every delivered sample: host index, device time (ns), values.
    private(set) var delivered: [(index: UInt64, timeNs: UInt64, values: [Int32])] = []
    private(set) var gaps: [Gap] = []
    private(set) var events: [IngestEvent] = []

    init(channels: Int = 2, endIndex: UInt64? = nil, outlets: StreamOutlets? = nil, trigger: TriggerGate? = nil) {
        self.channels = channels
        ring = FrameRing(capacity: 1 << 16, channelCount: channels, policy: .lossless)
        ingest = StreamIngest(
            channelMask: (1 << UInt32(channels)) - 1, rateHz: 1000, rings: [ring], endIndex: endIndex, outlets: outlets,
            trigger: trigger)
    }

    /// What the device sends for wire index `wire` on `channel`: recognisable, so a sample delivered at the
    /// wrong index or twice shows.
    static func value(wire: UInt64, channel: Int) -> Int32 {
        Int32(truncatingIfNeeded: wire &* 7 &+ UInt64(channel) &* 1_000_003)
    }

    /// Sends one frame of `count` samples from wire index `first`, stamped as a 1 kHz device would stamp it.
    func send(_ first: UInt64, _ count: Int) throws {
        var w = WireWriter(capacity: 22 + 4 * count * channels)
        w.u64(first)
        w.u64(first &* 1000)
        w.u32((1 << UInt32(channels)) - 1)
        w.u16(UInt16(count))
        for s in 0..<UInt64(count) {
            for c in 0..<channels { w.i32(Self.value(wire: first &+ s, channel: c)) }
        }
        let refused: MessageError? = w.bytes.withUnsafeBytes { raw in
            do throws(MessageError) { ingest.samples(try SamplesView(payload: raw)) } catch { return error }
            return nil
        }
        if let refused { throw refused }
        drain()
    }

    func send(_ frames: [(UInt64, Int)]) throws {
        for (first, count) in frames { try send(first, count) }
    }

    /// Reads what the ingest published and the gaps and events it reported.
    func drain() {
        let reports = ingest.takeReports()
        gaps += reports.gaps
        events += reports.events
        ring.read { spans in
            spans.forEach { span in
                for k in 0..<span.count {
                    delivered.append((span.indices[k], span.deviceTimesNs[k], Array(span.values(ofFrame: k))))
                }
            }
            return spans.count
        }
    }

    var indices: [UInt64] { delivered.map(\.index) }
}

/// `ranges` (each `start ..< start + count`, as UInt64 pairs so none can overflow) cover `0 ..< end` exactly
/// once: sorted, each starting where the previous ended.
func tile(_ ranges: [(start: UInt64, count: UInt64)], exactly end: UInt64) -> Bool {
    var at: UInt64 = 0
    for r in ranges.sorted(by: { $0.start < $1.start }) {
        guard r.start == at, r.count > 0 else { return false }
        let (next, overflow) = r.start.addingReportingOverflow(r.count)
        guard !overflow else { return false }
        at = next
    }
    return at == end
}

/// Delivered indices as runs of consecutive ones.
func runs(_ indices: [UInt64]) -> [(start: UInt64, count: UInt64)] {
    var out: [(start: UInt64, count: UInt64)] = []
    for i in indices {
        if let last = out.last, last.start &+ last.count == i, i != 0 {
            out[out.count - 1].count += 1
        } else {
            out.append((i, 1))
        }
    }
    return out
}
