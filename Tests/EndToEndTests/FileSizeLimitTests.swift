import Foundation
import Testing

/// A file-size limit (`ulimit -f`) reached mid-write, as a user meets it: the kernel's SIGXFSZ used to kill
/// `mosquito` silently (exit 153, no `Error:` line, a CSV cut mid-line). The shell here leaves the signal at its
/// default; `mosquito` must still stop with one line naming the file and the cause, exit 1, and leave a file that
/// reads back.
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
}
