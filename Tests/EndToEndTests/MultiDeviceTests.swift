import Foundation
import Testing

/// Two instruments recorded at once: one file, one group each, both stamped on the same host clock.
@Suite struct MultiDeviceTests {
    @Test func twoDevicesShareOneFileAlignedOnHostTime() throws {
        let sim = try Mosquito.Simulator(["--serial", "MQ-PTY-2", "--channels", "2", "--drift-ppm", "150"])
        let out = temporaryPath("two.h5")
        let r = try Mosquito.run([
            "record", "--device", "sim?serial=MQ-SIM-A&channels=1", "--device", "serial:" + sim.path,
            "--duration", "1.5", "--rate", "1000", "--channels", "0", "--output", out, "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let script = """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], "r")
            out = {}
            for name in f.attrs["device_groups"]:
                d = f["devices"][name]
                h = d["host_time_ns"][()]
                out[name] = {"rows": int(d["index"].shape[0]), "first": int(h[0]), "last": int(h[-1]),
                             "monotonic": bool((h[1:] > h[:-1]).all()), "clock": int(d["clock/host_send_ns"].shape[0])}
            print(json.dumps(out))
            """
        let groups = try H5py.run(script, [out]) as! [String: [String: Any]]
        #expect(Set(groups.keys) == ["MQ-SIM-A", "MQ-PTY-2"])
        let a = groups["MQ-SIM-A"]!, b = groups["MQ-PTY-2"]!
        #expect(a["rows"] as? Int == 1500 && b["rows"] as? Int == 1500)
        #expect(a["monotonic"] as? Bool == true && b["monotonic"] as? Bool == true)
        #expect((a["clock"] as! Int) >= 8 && (b["clock"] as! Int) >= 8)
        // Both started within a fraction of a second of each other on the host clock, and each spans 1.5 s.
        let firstA = a["first"] as! Int, firstB = b["first"] as! Int
        #expect(abs(firstA - firstB) < 500_000_000)
        for g in [a, b] {
            let span = Double((g["last"] as! Int) - (g["first"] as! Int)) / 1e9
            #expect(abs(span - 1.499) < 0.01, "span \(span)")
        }
    }

    /// Two instruments with one serial get groups `S` and `S-2`: `export --device` names the second by its group,
    /// and a device it does not know is refused listing the groups, which tell the two apart.
    @Test func exportNamesDevicesThatShareASerialByTheirGroups() throws {
        let out = temporaryPath("same-serial.h5")
        let r = try Mosquito.run([
            "record", "--device", "sim?serial=MQ-TWIN&channels=1", "--device", "sim?serial=MQ-TWIN&channels=2",
            "--duration", "0.2", "--rate", "1000", "--output", out,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let second = try Mosquito.run(["export", out, "--device", "MQ-TWIN-2", "--output", "-"])
        #expect(second.status == 0, "\(second.stderr)")
        let header = try #require(second.stdout.split(separator: "\n").first { !$0.hasPrefix("#") })
        #expect(header.split(separator: ",").count == 2 + 2, "the two-channel unit after index and device time: \(header)")

        let unknown = try Mosquito.run(["export", out, "--device", "5", "--output", "-"])
        #expect(unknown.status != 0)
        #expect(unknown.errorLines == ["Error: no device '5' in \(out) (devices: MQ-TWIN, MQ-TWIN-2)"], "\(unknown.stderr)")
    }
}
