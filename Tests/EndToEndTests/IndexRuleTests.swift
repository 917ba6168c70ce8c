import Foundation
import Testing

/// `mosquito record` from an instrument that repeats frames, sends them late, or counts from near 2^64 (the
/// simulator's `repeat_every`, `late_every` and `first_index` faults, and a recording rewritten to end at
/// 2^64 - 1 played back): the file holds each index once, in order, never a row inside a gap it declares; the
/// duplicates and refused frames are in the summary, the JSON, the file's events and the exit status.
@Suite(.serialized) struct IndexRuleTests {
    /// One device's index, gaps and events, read by h5py. Indices travel as strings: they pass 2^63.
    static let tables = """
        import h5py, json, sys
        with h5py.File(sys.argv[1], "r") as f:
            def s(x): return x.decode() if isinstance(x, bytes) else str(x)
            d = f["devices"][s(f.attrs["device_groups"][0])]
            g, e = d["gaps"], d["events"]
            print(json.dumps({
                "index": [str(int(i)) for i in d["index"][()]],
                "gaps": [[str(int(a)), str(int(b)), s(c)] for a, b, c in zip(g["first_missing_index"][()], g["count"][()], g["cause"][()])],
                "events": [[str(int(i)), s(k), s(t)] for i, k, t in zip(e["sample_index"][()], e["kind"][()], e["detail"][()])],
            }))
        """

    /// Rewrites a recording's index so that it ends at 2^64 - 1, as a crafted file would.
    static let endAtTheTop = """
        import h5py, json, sys, numpy as np
        with h5py.File(sys.argv[1], "r+") as f:
            d = f["devices"][f.attrs["device_groups"][0].decode() if isinstance(f.attrs["device_groups"][0], bytes) else f.attrs["device_groups"][0]]
            n = d["index"].shape[0]
            d["index"][...] = np.uint64(2**64 - n) + np.arange(n, dtype=np.uint64)
        print(json.dumps({"rows": n}))
        """

    struct Tables {
        let index: [UInt64]
        let gaps: [(first: UInt64, count: UInt64, cause: String)]
        let events: [(index: UInt64, kind: String, detail: String)]

        init(_ path: String) throws {
            let t = try H5py.run(IndexRuleTests.tables, [path])
            index = (t["index"] as! [String]).map { UInt64($0)! }
            gaps = (t["gaps"] as! [[String]]).map { (UInt64($0[0])!, UInt64($0[1])!, $0[2]) }
            events = (t["events"] as! [[String]]).map { (UInt64($0[0])!, $0[1], $0[2]) }
        }

        /// Each index once, increasing, and none inside a declared gap.
        var isClean: Bool {
            zip(index, index.dropFirst()).allSatisfy { $0 < $1 }
                && gaps.allSatisfy { gap in !index.contains { $0 >= gap.first && $0 - gap.first < gap.count } }
        }
    }

    func device(_ r: Mosquito.Result) throws -> [String: Any] {
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        return (summary["devices"] as! [[String: Any]])[0]
    }

    /// 250 frames of 2 samples at 1 kHz: every 7th sent twice (35), every 11th after the one that follows it
    /// (22, whose samples are a proven gap by then); frames 77, 154 and 231 are both.
    func expectRepeatsAndLateFrames(_ r: Mosquito.Result, file: String) throws {
        #expect(r.status == 1)
        #expect(r.errorLines == [
            "Error: 44 samples lost (transport gap 44, CRC error 0, device overrun 0, host overrun 0); "
                + "114 duplicate samples discarded (57 frames sent again, backwards or late)",
        ])
        let d = try device(r)
        let violations = d["indexViolations"] as! [String: Any]
        #expect(violations["duplicateFrames"] as? Int == 57)
        #expect(violations["duplicateSamples"] as? Int == 114)
        #expect(violations["overflowFrames"] as? Int == 0)
        #expect(d["nextIndex"] as? Int == 500)
        #expect(d["samplesReceived"] as? Int == 456)
        #expect((d["lost"] as! [String: Any])["total"] as? Int == 44)
        #expect(d["samplesWritten"] as? Int == 456)
        let t = try Tables(file)
        #expect(t.isClean)
        #expect(t.index.count == 456)
        #expect(t.gaps.count == 22 && t.gaps.allSatisfy { $0.count == 2 && $0.cause == "transport_gap" })
        #expect(t.events.filter { $0.kind == "duplicate" }.count == 57)
    }

    @Test func repeatedAndLateFramesFromTheBuiltInSimulator() throws {
        let out = temporaryPath("repeats.h5")
        let r = try Mosquito.run(["record", "--device", "sim?channels=2&repeat_every=7&late_every=11", "--duration", "0.5",
                                  "--rate", "1000", "--output", out, "--json"])
        try expectRepeatsAndLateFrames(r, file: out)
    }

    @Test func repeatedAndLateFramesOverASerialLink() throws {
        let sim = try Mosquito.Simulator(["--channels", "2", "--repeat-every", "7", "--late-every", "11"])
        let out = temporaryPath("repeats-serial.h5")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--duration", "0.5", "--rate", "1000",
                                  "--output", out, "--json"])
        try expectRepeatsAndLateFrames(r, file: out)
    }

    @Test func theTextSummaryNamesTheDuplicates() throws {
        let out = temporaryPath("repeats-text.h5")
        let r = try Mosquito.run(["record", "--device", "sim?channels=1&repeat_every=5", "--duration", "0.2", "--rate", "1000",
                                  "--output", out])
        #expect(r.status == 1)
        // 100 frames; frames 5, 10, … 100 are sent twice.
        #expect(r.stdout.contains("    index: 40 duplicate samples discarded (20 frames sent again, backwards or late)"), "\(r.stdout)")
        #expect(r.errorLines == ["Error: 40 duplicate samples discarded (20 frames sent again, backwards or late)"])
        #expect(try Tables(out).index == Array(0..<200))
    }

    @Test func anInstrumentCountingFromNear2To64KeepsEverythingBeforeTheWrap() throws {
        // 2^64 - 500: frame 250 would hold 2^64 - 1 and wrap; the 50 frames after it start from 0 again.
        let sim = try Mosquito.Simulator(["--channels", "1", "--first-index", "18446744073709551116", "--disconnect-after", "300"])
        let out = temporaryPath("top.h5")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--rate", "1000", "--output", out, "--json"])
        #expect(r.status == 1)
        #expect(r.errorLines == [
            "Error: 18446744073709551116 samples lost (transport gap 18446744073709551116, CRC error 0, device overrun 0, "
                + "host overrun 0); 100 duplicate samples discarded (50 frames sent again, backwards or late); "
                + "1 frame refused whose indices would reach 2^64-1 (2 samples)",
        ])
        #expect(r.stdout.contains("\"nextIndex\" : 18446744073709551614"), "\(r.stdout)")
        #expect(r.stdout.contains("\"overflowFrames\" : 1"))
        #expect(r.stdout.contains("\"samplesReceived\" : 498"))
        let t = try Tables(out)
        #expect(t.isClean)
        #expect(t.index == Array(UInt64.max - 499 ..< UInt64.max - 1))
        #expect(t.gaps.map { [$0.first, $0.count] } == [[0, UInt64.max - 499]])
        #expect(t.events.filter { $0.kind == "index_overflow" }.count == 1)
        #expect(t.events.filter { $0.kind == "duplicate" }.count == 50)
    }

    @Test func aRecordingEndingAt2To64Minus1ReplaysWithoutItsLastFrame() throws {
        let source = temporaryPath("crafted.h5")
        let made = try Mosquito.run(["record", "--device", "sim?channels=1", "--duration", "0.2", "--rate", "1000", "--output", source])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try H5py.run(Self.endAtTheTop, [source])["rows"] as? Int == 200)
        let out = temporaryPath("replayed-top.h5")
        let r = try Mosquito.run(["record", "--device", "replay:\(source):0", "--output", out, "--json"])
        // Indices 2^64 - 200 … 2^64 - 3 come back; the last frame (2^64 - 2 and 2^64 - 1) is refused.
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"overflowFrames\" : 1"), "\(r.stdout)")
        let t = try Tables(out)
        #expect(t.isClean)
        #expect(t.index == Array(UInt64.max - 199 ..< UInt64.max - 1))
    }
}
