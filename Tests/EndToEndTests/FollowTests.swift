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
        // The run's end may fall inside an outage: then the last gap runs to the end, with an `end` event and
        // the link error saying so, and that outage is no reconnect (the instrument never came back).
        let endedAway = kinds.last == "end"
        #expect(gaps.count == reconnects + (endedAway ? 1 : 0))
        #expect(gaps.allSatisfy { $0.cause == "transport_gap" })
        #expect(kinds.filter { $0 == "reconnect" }.count == reconnects)
        #expect(device["linkError"] as? String == (endedAway ? "instrument still away when the run ended" : nil))
        // Rows and gaps tile 0..<6000 exactly: every sample slot is either in the file or in a gap.
        var covered = Set(index)
        #expect(covered.count == index.count)
        for g in gaps { for i in g.first..<(g.first + g.count) { #expect(covered.insert(i).inserted) } }
        #expect(covered == Set(0..<6000))
        // Each connection delivered its 300 samples whole before it dropped.
        let runs = index.count / 300
        #expect(runs >= 3)
    }

    /// The instrument hangs up and never comes back (the pty simulator exits after its 300th frame): the run
    /// still ends at its duration, the rest of it one transport gap with an `end` event, and no reconnect is
    /// counted anywhere (it used to say "reconnected 1 time(s)").
    @Test func anInstrumentThatNeverComesBackIsNoReconnect() throws {
        let sim = try Mosquito.Simulator(["--disconnect-after", "300", "--channels", "1"])
        let out = temporaryPath("away.h5")
        let r = try Mosquito.run(["record", "--device", "serial:" + sim.path, "--follow", "--duration", "2",
                                  "--rate", "1000", "--raw", "--output", out, "--json"])
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: 1400 samples lost (transport gap 1400, CRC error 0, device overrun 0, host overrun 0)"],
                "\(r.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let device = (summary["devices"] as! [[String: Any]])[0]
        #expect(device["reconnects"] as? Int == 0)
        #expect(device["linkError"] as? String == "instrument still away when the run ended")
        // 300 frames of 2 samples arrived; the other 1400 of the 2000 are the outage.
        #expect(device["samplesReceived"] as? Int == 600)
        #expect((device["lost"] as? [String: Int])?["transportGap"] == 1400)

        let script = """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], "r")
            d = f["devices"][f.attrs["device_groups"][0]]
            gaps = zip(d["gaps/first_missing_index"][()], d["gaps/count"][()], d["gaps/cause"][()])
            events = zip(d["events/kind"][()], d["events/detail"][()])
            print(json.dumps({"rows": int(d["index"].shape[0]),
                              "gaps": ["%d+%d %s" % (a, b, c.decode()) for a, b, c in gaps],
                              "events": ["%s: %s" % (k.decode(), t.decode()) for k, t in events]}))
            """
        let file = try H5py.run(script, [out])
        #expect(file["rows"] as? Int == 600)
        #expect(file["gaps"] as? [String] == ["600+1400 transport_gap"])
        let events = try #require(file["events"] as? [String])
        #expect(events.count == 2 && events[0].hasPrefix("disconnect: "), "\(events)")
        #expect(events.last == "end: the run ended while the instrument was away")
    }
}
