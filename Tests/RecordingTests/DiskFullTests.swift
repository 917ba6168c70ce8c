import Foundation
import Testing
import TestSupport
@testable import Recording
#if canImport(Glibc)
import Glibc
#endif

/// A real full disk: tmpfs mounts of growing size, so the same recording runs out of space at a different point
/// each time (creating the file, in a flush — chunks or the metadata after them — or closing). Each file is read back with
/// h5py and must be exactly the last successful flush. Where no tmpfs can be mounted (not root), the same sizes
/// are enforced by `FailingDisk(.capacity)` on the ordinary disk, so the test always runs.
///
/// The test this replaces flushed after every append, checked `rows >= flushed` on `index` alone and read back
/// only the first 500 rows: the zero rows a failed flush left in every dataset were invisible to it.
@Suite struct DiskFullTests {
    /// From below an empty recording's size (about 20 KB) to above the whole script's (about 540 KB), plus one
    /// that fits everything but the close (which adds about 6 KB).
    static let sizes = stride(from: 16 << 10, through: 544 << 10, by: 24 << 10).map { $0 } + [536 << 10, 1 << 20]

    @Test func hdf5OnAFillingDiskKeepsExactlyTheLastFlush() throws {
        var expectations: [H5Check.Expectation] = []
        var surfacedAt: [String: Int] = [:]
        for size in Self.sizes {
            try Self.onDisk(of: size, file: "run.h5") { path, disk in
                let outcome = ScriptedRecording.run(path: path, disk: disk)
                surfacedAt[outcome.failedAt ?? "none", default: 0] += 1
                switch outcome.error {
                case nil: break
                case let .cannotCreate(_, reason)?:
                    #expect(reason == "No space left on device", "size \(size)")
                    #expect(!FileManager.default.fileExists(atPath: path))
                    return
                case let .writeFailed(_, reason)?:
                    #expect(reason == "No space left on device", "size \(size)")
                    #expect(outcome.error!.description.count - path.count <= 150)
                default:
                    Issue.record("size \(size): \(String(describing: outcome.error))")
                }
                // What a run's summary reports as written; h5py checks below that the file holds exactly these rows.
                #expect(outcome.durableRows == UInt64(outcome.expected.rows), "size \(size)")
                // Kept off the tmpfs, which goes away when this closure returns; all are read back together.
                let copy = Fixtures.temporaryPath("size-\(size).h5")
                try FileManager.default.copyItem(atPath: path, toPath: copy)
                expectations.append(.init(path: copy, state: outcome.expected))
            }
        }
        let problems = try H5Check.failures(expectations)
        #expect(problems.isEmpty, "\(problems.sorted { $0.key < $1.key }.prefix(5))")
        // The disk ran out while creating, in flushes and while closing, and the largest let the recording finish.
        #expect(Set(surfacedAt.keys).isSuperset(of: ["create", "flush", "close", "none"]), "\(surfacedAt)")
    }

    @Test func csvOnAFillingDiskEndsOnTheLastWholeLine() throws {
        // Sizes between the file's size at each of the script's commits: nothing, the header, then each write.
        let commits = try [0, 1200, 21200, 21500, 22000].map { try CSVWriteFailureTests.expectedText(rows: $0).utf8.count }
        let sizes = [0] + zip(commits, commits.dropFirst()).map { ($0 + $1) / 2 } + [commits.last! + (64 << 10)]
        var committed: Set<Int> = []
        for size in sizes {
            try Self.onDisk(of: size, file: "run.csv") { path, disk in
                let outcome = CSVWriteFailureTests.run(path: path, disk: disk)
                try CSVWriteFailureTests.check(outcome, path: path, cause: outcome.error == nil ? nil : "No space left on device")
                committed.insert(outcome.committedRows)
            }
        }
        #expect(committed == [0, 1200, 21200, 21500, 22000], "\(committed)")
    }

    /// Runs `body` with a path on a disk that holds `size` bytes: a tmpfs of that size when one can be mounted,
    /// else the ordinary disk behind `FailingDisk(.capacity)`.
    static func onDisk(of size: Int, file: String, _ body: (String, any RecordingDisk) throws -> Void) throws {
        if let tmpfs = SmallTmpfs.mount(bytes: max(size, 4096)) {
            defer { tmpfs.unmount() }
            if size == 0 {
                // Fill it completely: the file itself then cannot get a single byte.
                _ = FileManager.default.createFile(atPath: tmpfs.directory + "/filler", contents: Data(count: 4096))
            }
            try body(tmpfs.directory + "/" + file, SystemDisk())
        } else {
            try body(Fixtures.temporaryPath(file), FailingDisk(.capacity(bytes: UInt64(size))))
        }
    }
}
