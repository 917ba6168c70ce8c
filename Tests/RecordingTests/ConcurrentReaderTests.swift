import Foundation
import Testing
import TestSupport
@testable import Recording

@Suite struct ConcurrentReaderTests {
    /// A live-view reader keeping the file open must not stop the recorder from closing cleanly.
    @Test func closeSucceedsWhileAnotherProcessHoldsTheFileOpen() throws {
        let path = Fixtures.temporaryPath("held.h5")
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 1)]))
        try writer.append(try Fixtures.block(first: 0, count: 10, channels: 1), device: 0)
        try writer.flush()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        holder.arguments = ["-c", """
            import h5py, sys
            f = h5py.File(sys.argv[1], "r", swmr=True)
            print(f["devices/MQ-1/index"].shape[0], flush=True)
            sys.stdin.readline()  # holds the file open until the test closes our end of the pipe
            """, path]
        let out = Pipe(), release = Pipe()
        holder.standardOutput = out
        holder.standardInput = release
        try holder.run()
        defer {
            try? release.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        let firstLine = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        #expect(firstLine.hasPrefix("10"))
        try writer.close(stopTime: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(try HDF5RecordingReader(path: path).metadata.stopTime == "2026-09-21T14:13:20.000Z")
    }
}
