import CMWPTestSupport
import Foundation
import Testing

/// Replays through the fuzzer's properties (FuzzChecks) every input the fuzzer starts from and every input it
/// ever broke (Fuzz/regressions/), so a fixed fuzz finding stays fixed without running libFuzzer.
@Suite struct FuzzRegressionTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The same seeds Fuzz/seed-corpus.py writes for `make fuzz`.
    static var seeds: [(String, [UInt8])] {
        let file = VectorFile.shared
        var seeds: [(String, [UInt8])] = []
        for v in file.frames {
            seeds.append(("wire-\(v.name)", v.wire))
            seeds.append(("payload-\(v.name)", [v.type] + v.payload))
        }
        for v in file.invalid { seeds.append(("invalid-\(v.name)", v.wire)) }
        seeds.append(("stream-all-vectors", file.frames.flatMap(\.wire)))
        return seeds
    }

    static var regressions: [(String, [UInt8])] {
        let folder = repository.appendingPathComponent("Fuzz/regressions")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0 != "README.md" }.sorted().compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { (name, [UInt8]($0)) }
        }
    }

    @Test func seedCorpusPassesEveryProperty() {
        #expect(Self.seeds.count == 2 * VectorFile.shared.frames.count + VectorFile.shared.invalid.count + 1)
        for (name, input) in Self.seeds {
            #expect(FuzzChecks.check(input) == nil, "\(name)")
        }
    }

    @Test func savedFuzzFindingsStayFixed() {
        #expect(!Self.regressions.isEmpty)
        for (name, input) in Self.regressions {
            #expect(FuzzChecks.check(input) == nil, "Fuzz/regressions/\(name)")
        }
    }

    /// The checks themselves must see what they claim to: a valid stream yields its frames under every chunking,
    /// and an oversize frame is judged the same whatever its chunking.
    @Test func checksSeeFramesUnderEveryChunking() {
        let stream = VectorFile.shared.frames.flatMap(\.wire)
        let events = FuzzChecks.events(stream, chunks: [stream.count])
        #expect(events.count == VectorFile.shared.frames.count)
        #expect(FuzzChecks.events(stream, chunks: Array(repeating: 1, count: stream.count)) == events)
        let oversize = [UInt8](repeating: 0xFF, count: 4200) + [0x00]
        #expect(FuzzChecks.check(oversize) == nil)
    }
}
