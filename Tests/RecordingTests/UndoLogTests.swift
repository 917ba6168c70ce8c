import Testing
@testable import Recording

/// `UndoLog` must save each committed byte once — the first time it is overwritten — and never a byte past the
/// committed length. Checked against a byte-by-byte model for several committed lengths and every pair of overwrites
/// within 16 bytes (disjoint, touching, overlapping, nested, empty), then a third covering everything.
@Suite struct UndoLogTests {
    static let ranges: [Range<UInt64>] = (0 ..< 16).flatMap { start in (0 ... 5).map { start ..< start + $0 } }

    @Test(arguments: [0, 1, 7, 12, 16] as [UInt64])
    func savesEachCommittedByteOnceAndNothingBeyond(_ committed: UInt64) {
        for first in Self.ranges {
            for second in Self.ranges {
                var log = UndoLog(committedLength: committed)
                var saved = Set<UInt64>()
                for range in [first, second, 0 ..< 24] {
                    let missing = log.unsaved(range)
                    let expected = range.filter { $0 < committed && !saved.contains($0) }
                    guard missing.flatMap(Array.init) == expected, missing.allSatisfy({ !$0.isEmpty }) else {
                        Issue.record("committed \(committed), overwrites \(first) \(second), then \(range): \(missing), expected \(expected)")
                        return
                    }
                    for piece in missing {
                        // Stands for the committed content, read before the overwrite: each byte its own offset.
                        log.save(piece.map { UInt8($0) }, at: piece.lowerBound)
                        saved.formUnion(piece)
                    }
                }
                // A restore writes every committed byte back, once, in offset order, with its committed value.
                let restored = log.saved.flatMap { entry in entry.bytes.indices.map { (entry.offset + UInt64($0), entry.bytes[$0]) } }
                #expect(restored.map(\.0) == Array(0 ..< committed))
                #expect(restored.allSatisfy { UInt64($0.1) == $0.0 })
            }
        }
    }

    @Test func aCommitForgetsWhatWasSaved() {
        var log = UndoLog(committedLength: 8)
        log.save([1, 2, 3], at: 2)
        log.commit(length: 10)
        #expect(log.saved.isEmpty)
        #expect(log.committedLength == 10)
        #expect(log.unsaved(0 ..< 20) == [0 ..< 10])
    }
}
