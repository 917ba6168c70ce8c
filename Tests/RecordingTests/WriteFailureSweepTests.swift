import Foundation
import Testing
@testable import Recording

/// Every write a short recording makes, failed in turn — the disk filling up in the middle of it, or an I/O error
/// on that one write — and every HDF5 call that grows or writes a dataset, refused in turn: each time the file must
/// read back (h5py) exactly as after the last flush that succeeded, and the error must be one short line saying why.
///
/// HDF5 keeps a SWMR file's chunks in memory until the flush, which writes the chunks first and then the metadata
/// that points at them (extents, chunk index); so a disk filling up "during a chunk write" does so inside a flush.
/// The sweep checks it met both kinds of write there, as well as failures while creating and while closing.
@Suite struct WriteFailureSweepTests {
    enum DiskFault: String, CaseIterable { case full, ioError }

    @Test(arguments: DiskFault.allCases)
    func hdf5FileIsItsLastFlushAfterEveryFailedWrite(_ kind: DiskFault) throws {
        let counter = FailingDisk(.none), countPath = Fixtures.temporaryPath("count.h5")
        let clean = ScriptedRecording.run(path: countPath, disk: counter)
        Fixtures.remove(countPath)
        #expect(clean.failedAt == nil)
        let writes = counter.writes
        #expect(writes > 20, "the script should make HDF5 write many times, made \(writes)")
        #expect(clean.writesDuring["flush", default: 0] > 10, "\(clean.writesDuring)")

        var expectations: [H5Check.Expectation] = []
        var surfacedAt: Set<String> = []
        var flushFailures: (chunks: Int, metadata: Int) = (0, 0)
        for n in 1 ... writes {
            let disk = FailingDisk(kind == .full ? .full(atWrite: n) : .ioError(atWrite: n))
            let path = Fixtures.temporaryPath("fail-\(kind)-\(n).h5")
            let outcome = ScriptedRecording.run(path: path, disk: disk)
            guard disk.failures > 0 else {
                // A full disk only refuses writes that grow the file; none came after this one.
                #expect(outcome.failedAt == nil, "write \(n): \(String(describing: outcome.error))")
                Fixtures.remove(path)
                continue
            }
            let failedAt = try #require(outcome.failedAt, "write \(n) failed but the writer did not say so")
            surfacedAt.insert(failedAt)
            if failedAt == "flush", let size = disk.faultedWriteSize {
                if size >= 8000 { flushFailures.chunks += 1 } else { flushFailures.metadata += 1 }
            }
            expectOneLineNamingTheCause(outcome.error, cause: DiskError(errno: kind == .full ? ENOSPC : EIO).message, path: path)
            if outcome.created {
                // The writer's own count of the rows in the file, which h5py checks against the same state.
                #expect(outcome.durableRows == UInt64(outcome.expected.rows), "write \(n)")
                expectations.append(.init(path: path, state: outcome.expected))
            } else {
                #expect(!FileManager.default.fileExists(atPath: path), "write \(n): a file that could not be created stays")
            }
        }
        let problems = try H5Check.failures(expectations)
        #expect(problems.isEmpty, "\(problems.sorted { $0.key < $1.key }.prefix(5))")
        // Failures while creating, in a flush (writing chunks, at least 8000 bytes each here, and writing the
        // metadata after them) and while closing.
        #expect(surfacedAt.isSuperset(of: ["create", "flush", "close"]), "\(surfacedAt)")
        #expect(flushFailures.chunks > 0 && flushFailures.metadata > 0, "\(flushFailures)")
    }

    /// HDF5 refusing a call, no disk involved: growing an extent, writing rows, flushing. The columns grown before
    /// the refusal (raw before values before index) must not reach the file.
    @Test(arguments: ["H5Dset_extent", "H5Dwrite", "H5Fflush"])
    func hdf5FileIsItsLastFlushAfterEveryRefusedCall(_ operation: String) throws {
        var expectations: [H5Check.Expectation] = []
        var surfacedAt: Set<String> = []
        var call = 1
        while true {
            let fault = HDF5InjectedFault(operation, call: call)
            let path = Fixtures.temporaryPath("\(operation)-\(call).h5")
            let outcome = HDF5.$injectedFault.withValue(fault) { ScriptedRecording.run(path: path, disk: SystemDisk()) }
            guard fault.hasFired else { break }
            let failedAt = try #require(outcome.failedAt, "\(operation) #\(call) failed but the writer did not say so")
            surfacedAt.insert(failedAt)
            expectOneLineNamingTheCause(outcome.error, cause: "\(operation) failed", path: path)
            if outcome.created {
                expectations.append(.init(path: path, state: outcome.expected))
            } else {
                #expect(!FileManager.default.fileExists(atPath: path), "\(operation) #\(call): a file that could not be created stays")
            }
            call += 1
        }
        #expect(call > 3, "\(operation) was called only \(call - 1) times")
        let problems = try H5Check.failures(expectations)
        #expect(problems.isEmpty, "\(problems.sorted { $0.key < $1.key }.prefix(5))")
        if operation != "H5Fflush" { #expect(surfacedAt.contains("append"), "\(surfacedAt)") }
    }

    private func expectOneLineNamingTheCause(_ error: RecordingError?, cause: String, path: String,
                                             sourceLocation: SourceLocation = #_sourceLocation) {
        switch error {
        case let .writeFailed(failedPath, reason)?, let .cannotCreate(failedPath, reason)?:
            #expect(failedPath == path, sourceLocation: sourceLocation)
            #expect(reason.hasPrefix(cause), "\(reason)", sourceLocation: sourceLocation)
            #expect(!reason.contains("could not be returned"), "\(reason)", sourceLocation: sourceLocation)
        default:
            Issue.record("expected writeFailed or cannotCreate, got \(String(describing: error))", sourceLocation: sourceLocation)
        }
        let line = error?.description ?? ""
        #expect(!line.contains("\n") && line.count - path.count <= 150, "\(line)", sourceLocation: sourceLocation)
    }
}
