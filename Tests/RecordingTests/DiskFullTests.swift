import Foundation
import Testing
@testable import Recording
#if canImport(Glibc)
import Glibc
#endif

/// A real full disk: a tiny tmpfs mounted for the test (needs root; skipped otherwise).
@Suite(.enabled(if: geteuid() == 0, "mounting a tiny tmpfs needs root"))
struct DiskFullTests {
    @Test func diskFullIsTypedAndFileStaysValidToLastFlush() throws {
        let mountPoint = Fixtures.temporaryPath("full")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try runChecked("/bin/mount", ["-t", "tmpfs", "-o", "size=384k", "tmpfs", mountPoint])
        defer { try? runChecked("/bin/umount", [mountPoint]) }

        let path = mountPoint + "/run.h5"
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 4)]))
        var flushedRows = 0
        var failure: RecordingError?
        for round in 0..<200 {
            do throws(RecordingError) {
                try writer.append(try Fixtures.block(first: UInt64(round * 500), count: 500, channels: 4), device: 0)
                try writer.flush()
                flushedRows += 500
            } catch {
                failure = error
                break
            }
        }
        guard case let .writeFailed(failedPath, reason)? = failure else {
            Issue.record("expected writeFailed, got \(String(describing: failure))")
            return
        }
        #expect(failedPath == path)
        #expect(reason.contains("No space left on device") || reason.contains("errno = 28"), "\(reason)")
        #expect(flushedRows > 0)
        #expect(throws: RecordingError.closed(path: path)) { try writer.flush() }

        // What was flushed before the disk filled up is readable, by us and by h5py.
        let copy = Fixtures.temporaryPath("after-full.h5")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let reader = try HDF5RecordingReader(path: copy)
        let rows = try reader.sampleCount(device: 0)
        #expect(rows >= UInt64(flushedRows))
        #expect(try reader.readSamples(device: 0, rows: 0 ..< 500) == (try Fixtures.block(first: 0, count: 500, channels: 4)))
        let count = try Python.run(
            "import h5py, sys; print(h5py.File(sys.argv[1], 'r', swmr=True)['devices/MQ-1/index'].shape[0])", arguments: [copy])
        #expect(Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) == Int(rows))
    }

    private func runChecked(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        struct ToolFailed: Error { let tool: String, status: Int32 }
        guard process.terminationStatus == 0 else { throw ToolFailed(tool: tool, status: process.terminationStatus) }
    }
}
