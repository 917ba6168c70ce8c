import Foundation
import Testing

/// `record --follow`: an instrument that drops off the link and comes back keeps one recording going; each
/// outage is a transport gap and a reconnect event, and nothing received around it is lost.
@Suite struct FollowTests {
    @Test func outagesBecomeGapsAndTheRecordingGoesOn() throws {
        let out = temporaryPath("follow.h5")
        // The simulated unit hangs up after every 150 frames (300 samples at 1 kHz); it is back at once. Six
        // seconds leave room for three outages even when a loaded machine takes a second over each reconnect.
        let r = try Mosquito.run(["record", "--device", "sim?disconnect_after=150&channels=1", "--follow",
                                  "--duration", "6", "--rate", "1000", "--raw", "--output", out, "--json"])
        #expect(r.status != 0)
        #expect(r.errorLines.count == 1 && r.errorLines[0].contains("samples lost"))
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let device = (summary["devices"] as! [[String: Any]])[0]
        let reconnects = device["reconnects"] as! Int
        #expect(reconnects >= 3)
        #expect(device["linkError"] == nil)

        let script = """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], "r")
            d = f["devices"][f.attrs["device_groups"][0]]
            idx = d["index"][()].tolist()
            gaps = list(zip(d["gaps/first_missing_index"][()].tolist(), d["gaps/count"][()].tolist(),
                            [c.decode() for c in d["gaps/cause"][()]]))
            kinds = [k.decode() for k in d["events/kind"][()]]
            print(json.dumps({"index": idx, "gaps": gaps, "kinds": kinds}))
            """
        let file = try H5py.run(script, [out])
        let index = (file["index"] as! [Int])
        let gaps = (file["gaps"] as! [[Any]]).map { (first: $0[0] as! Int, count: $0[1] as! Int, cause: $0[2] as! String) }
        let kinds = file["kinds"] as! [String]
        #expect(gaps.count == reconnects)
        #expect(gaps.allSatisfy { $0.cause == "transport_gap" })
        #expect(kinds.filter { $0 == "reconnect" }.count == reconnects)
        // Rows and gaps tile 0..<6000 exactly: every sample slot is either in the file or in a gap.
        var covered = Set(index)
        #expect(covered.count == index.count)
        for g in gaps { for i in g.first..<(g.first + g.count) { #expect(covered.insert(i).inserted) } }
        #expect(covered == Set(0..<6000))
        // Each connection delivered its 300 samples whole before it dropped.
        let runs = index.count / 300
        #expect(runs >= 3)
    }
}
