import Foundation
import Testing

/// A file-size limit (`ulimit -f`) reached mid-write, as a user meets it: the kernel's SIGXFSZ used to kill
/// `mosquito` silently (exit 153, no `Error:` line, a CSV cut mid-line). The shell here leaves the signal at its
/// default; `mosquito` must still stop with one line naming the file and the cause, exit 1, and leave a file that
/// reads back (a recording) or no file (an export).
@Suite struct FileSizeLimitTests {
    static let record = ["record", "--device", "sim?channels=16", "--rate", "10000", "--duration", "30"]

    func expectOneLine(_ r: Mosquito.Result, naming path: String, then tail: String) {
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)")
        #expect(r.errorLines == ["Error: writing \(path) failed: File too large; \(tail)"], "\(r.stderr)")
    }

    @Test func recordToHDF5StopsWithOneLineAndAReadableFile() throws {
        let path = temporaryPath("limited.h5")
        // 16 MiB: several flushes of this run fit before the limit.
        let r = try DiskFullRecordTests.runUnderFileSizeLimit(blocks: 32768, Self.record + ["--output", path])
        expectOneLine(r, naming: path, then: "the file keeps what was written up to its last flush")
        let seen = try H5py.run(DiskFullRecordTests.rows, [path])
        let rows = try #require(seen["rows"] as? [String: Int])
        #expect(Set(rows.values).count == 1, "datasets disagree: \(rows)")
        #expect((rows["index"] ?? 0) > 0)
        #expect(seen["zero_rows"] as? Int == 0)
        #expect(seen["increasing"] as? Bool == true)
    }

    @Test func recordToCSVStopsWithOneLineAndWholeLines() throws {
        let path = temporaryPath("limited.csv")
        // 2 MiB: about a second of this run as text.
        let r = try DiskFullRecordTests.runUnderFileSizeLimit(blocks: 4096, Self.record + ["--output", path])
        expectOneLine(r, naming: path, then: "the file keeps what was written up to its last flush")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.utf8.count <= 4096 * 512)
        #expect(text.hasSuffix("\n"), "the file ends mid-line: …\(text.suffix(80))")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first?.hasPrefix("index,device_time_us,") == true)
        let rows = lines.dropFirst()
        #expect(rows.count > 0)
        // Every row is whole: its 2 + 16 fields, each a number.
        let broken = rows.filter { row in
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count != 18 || fields.contains { Double($0) == nil }
        }
        #expect(broken.isEmpty, "\(broken.count) broken rows, first: \(broken.first ?? "")")
        let indices = rows.compactMap { UInt64($0.prefix { $0 != "," }) }
        #expect(indices.count == rows.count && indices.first == 0)
        #expect(zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// An export that runs into the limit removes its partial output and says so (it used to say the file keeps
    /// what was written up to its last flush, which is what a recording does).
    @Test func exportRemovesItsPartialOutputAndSaysSo() throws {
        let h5 = temporaryPath("long.h5"), csv = temporaryPath("z3.csv")
        let recorded = try Mosquito.run(["record", "--device", "sim", "--rate", "1000", "--duration", "2", "--output", h5])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        // 10 KiB: less than the export's 2000 rows of 4 channels.
        let r = try DiskFullRecordTests.runUnderFileSizeLimit(blocks: 20, ["export", h5, "--output", csv])
        expectOneLine(r, naming: csv, then: "the partial output \(csv) was removed")
        #expect(!FileManager.default.fileExists(atPath: csv))
    }
}
