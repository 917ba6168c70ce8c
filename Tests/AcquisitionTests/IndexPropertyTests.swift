import Acquisition
import MWP
import Signal
import Testing
import TestSupport

/// Index accounting over random frame streams from a misbehaving device: contiguous frames, skipped frames,
/// CRC errors, frames sent again, rewound, swapped, reconnects, and then jumps to anywhere in the u64 range
/// (near 2^64 most of all). Whatever it sends, the recorder's side of the ring gets strictly increasing indices,
/// each carrying the value the device sent for it, and delivered ∪ lost tiles `0 ..< nextIndex` exactly.
@Suite struct IndexPropertyTests {
    /// A device that sends frames of its own counter, and breaks the rules at random.
    struct UnrulyDevice {
        var rng: SplitMix64
        var cursor: UInt64 = 0
        var sent: [(UInt64, Int)] = []
        var held: (UInt64, Int)?

        enum Step { case frame(UInt64, Int), crcError, reconnect(outageNs: UInt64) }

        /// `wild` lets the device jump anywhere in the u64 range: once near 2^64 nothing more can be delivered,
        /// so the stream first breaks the rules in the low range, then goes wild.
        mutating func next(wild: Bool) -> [Step] {
            let count = Int.random(in: 1...40, using: &rng)
            let roll = Int.random(in: 0..<(wild ? 100 : 84), using: &rng)
            switch roll {
            case 0..<45: return [fresh(count)]
            case 45..<55:
                cursor &+= UInt64.random(in: 1...300, using: &rng)
                return [fresh(count)]
            case 55..<60:
                cursor &+= UInt64(count)
                return [.crcError, fresh(count)]
            case 60..<68: return sent.last.map { [.frame($0.0, $0.1)] } ?? [fresh(count)]
            case 68..<74:
                guard !sent.isEmpty else { return [fresh(count)] }
                let back = sent[max(0, sent.count - Int.random(in: 1...6, using: &rng))]
                return [.frame(back.0, back.1)]
            case 74..<80:
                // Late: this frame goes out after the next one.
                let late = (cursor, count)
                cursor &+= UInt64(count)
                let following = fresh(Int.random(in: 1...40, using: &rng))
                sent.append(late)
                return [following, .frame(late.0, late.1)]
            case 80..<84:
                cursor = 0
                return [.reconnect(outageNs: UInt64.random(in: 0...2_000_000_000, using: &rng))]
            case 84..<90:
                cursor = UInt64.max - UInt64.random(in: 0...400, using: &rng)
                return [fresh(count)]
            case 90..<94:
                cursor = UInt64.random(in: 0...UInt64.max, using: &rng)
                return [fresh(count)]
            default:
                // The reconnect that says the instrument was away for most of the index range.
                cursor = 0
                return [.reconnect(outageNs: UInt64.random(in: 0...UInt64.max, using: &rng))]
            }
        }

        private mutating func fresh(_ count: Int) -> Step {
            let frame = (cursor, count)
            cursor &+= UInt64(count)
            sent.append(frame)
            return .frame(frame.0, frame.1)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func deliveredIndicesAreUniqueIncreasingAndTileTheRangeWithTheLosses(seed: UInt64) throws {
        let h = IngestHarness(channels: 1)
        var device = UnrulyDevice(rng: SplitMix64(seed: seed))
        var samplesSent: UInt64 = 0
        var base: UInt64 = 0
        var checked = 0
        for round in 0..<600 {
            for step in device.next(wild: round >= 450) {
                switch step {
                case .frame(let first, let count):
                    try h.send(first, count)
                    samplesSent += UInt64(count)
                case .crcError:
                    h.ingest.frameError(.crc)
                case .reconnect(let outage):
                    h.ingest.reattach(outageNs: outage, detail: "back")
                    h.drain()
                    base = h.events.last { $0.kind == "reconnect" }?.afterIndex ?? base
                }
                // Each delivered sample carries the value its device index had under the base of its time.
                for sample in h.delivered[checked...] {
                    #expect(sample.values == [IngestHarness.value(wire: sample.index &- base, channel: 0)], "seed \(seed)")
                }
                checked = h.delivered.count
            }
        }
        let indices = h.indices
        #expect(zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 }, "seed \(seed)")
        let snap = h.ingest.snapshot()
        #expect(snap.samplesReceived == UInt64(indices.count))
        #expect(snap.samplesReceived.addingReportingOverflow(snap.loss.total) == (snap.nextIndex, false))
        #expect(tile(runs(indices) + h.gaps.map { ($0.firstMissingIndex, $0.count) }, exactly: snap.nextIndex), "seed \(seed)")
        // Every sample sent was delivered, or counted as a duplicate or an overflow: none vanished unreported.
        let v = snap.violations
        #expect(snap.samplesReceived + v.duplicateSamples + v.overflowSamples == samplesSent, "seed \(seed)")
        #expect(v.duplicateFrames > 0 && v.overflowFrames > 0, "seed \(seed): the stream broke every rule")
    }
}
