import Foundation
import Testing

/// `inspect` and `export` on files that are not recordings: one `Error:` line, non-zero exit, nothing written.
@Suite struct RecordingBadInputTests {
    func notHDF5() throws -> String {
        let path = temporaryPath("not-hdf5.h5")
        try "index,device_time_us\n0,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: ["missing", "text"]) func inspectRefuses(_ kind: String) throws {
        let path = kind == "missing" ? temporaryPath("missing.h5") : try notHDF5()
        for arguments in [["inspect", path], ["inspect", path, "--json"]] {
            let r = try Mosquito.run(arguments)
            #expect(r.status != 0)
            #expect(r.errorLines.count == 1, "\(r.stderr)")
            #expect(r.errorLines.first?.contains(path) == true)
            #expect(r.stdout.isEmpty)
            if kind == "text" {
                // In the user's words, not HDF5's call chain.
                #expect(r.errorLines.first?.contains("not an HDF5 file") == true, "\(r.stderr)")
                #expect(r.errorLines.first?.contains("H5F") == false, "\(r.stderr)")
            }
        }
    }

    @Test(arguments: ["missing", "text"]) func exportRefusesAndWritesNothing(_ kind: String) throws {
        let path = kind == "missing" ? temporaryPath("missing.h5") : try notHDF5()
        let out = temporaryPath("out.csv")
        let r = try Mosquito.run(["export", path, "--format", "csv", "--output", out])
        #expect(r.status != 0)
        #expect(r.errorLines.count == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func exportOfAnUnknownChannelWritesNothing() throws {
        let h5 = temporaryPath("channels.h5")
        let recorded = try Mosquito.run(["record", "--device", "sim?channels=1", "--duration", "0.2", "--output", h5])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let out = temporaryPath("out.csv")
        let r = try Mosquito.run(["export", h5, "--format", "csv", "--channels", "nonsense", "--output", out])
        #expect(r.status != 0)
        #expect(r.errorLines.count == 1)
        #expect(r.errorLines.first?.contains("nonsense") == true)
        #expect(!FileManager.default.fileExists(atPath: out))
        let backwards = try Mosquito.run(["export", h5, "--format", "csv", "--from", "0.5", "--to", "0.1", "--output", out])
        #expect(backwards.status != 0)
        #expect(backwards.errorLines.count == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
