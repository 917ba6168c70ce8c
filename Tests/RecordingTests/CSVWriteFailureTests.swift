import Foundation
import Testing
@testable import Recording

/// CSV on a disk that fails: at every write (the disk filling up in the middle of it, or an I/O error), and at a
/// range of disk sizes. The file must end with the last whole line of the last successful write — byte for byte
/// the lines written up to then — never with part of a line.
@Suite struct CSVWriteFailureTests {
    /// Small appends stay buffered until a flush; the big one (over the 1 MiB buffer) is written in the middle of
    /// the append, and so counts as committed once the append returns.
    enum Step { case append(rows: Int), bigAppend(rows: Int), flush, close }
    static let steps: [Step] = [.append(rows: 600), .append(rows: 600), .flush, .bigAppend(rows: 20000),
                                .append(rows: 300), .flush, .append(rows: 500), .close]

    struct Outcome {
        var created = true
        var error: RecordingError?
        var committedRows = 0
        /// The rows the writer says the file holds once the run ended (`durableSampleCount`).
        var durableRows: UInt64 = 0
    }

    static func run(path: String, disk: any RecordingDisk) -> Outcome {
        let channels = ScriptedRecording.channels
        let writer: CSVRecordingWriter
        do {
            writer = try CSVRecordingWriter(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: channels)]),
                                            options: RecordingOptions(flushInterval: .seconds(3600)), disk: disk)
        } catch { return Outcome(created: false, error: error) }
        var outcome = Outcome()
        var rows = 0
        for step in steps {
            do throws(RecordingError) {
                switch step {
                case let .append(count), let .bigAppend(count):
                    try writer.append(try Fixtures.block(first: UInt64(rows), count: count, channels: channels), device: 0)
                    rows += count
                    if case .bigAppend = step { outcome.committedRows = rows }
                case .flush:
                    try writer.flush()
                    outcome.committedRows = rows
                case .close:
                    try writer.close(stopTime: Date())
                    outcome.committedRows = rows
                }
            } catch {
                outcome.error = error
                do throws(RecordingError) { try writer.close(stopTime: Date()) } catch { outcome.error = error }
                outcome.durableRows = writer.durableSampleCount(device: 0)
                return outcome
            }
        }
        outcome.durableRows = writer.durableSampleCount(device: 0)
        return outcome
    }

    /// The CSV text of rows `0..<rows`, header first: what the file must be.
    static func expectedText(rows: Int) throws -> String {
        let channels = ScriptedRecording.channels
        var text = CSVFormat.header(channelNames: (0..<channels).map { "ch\($0)" })
        if rows > 0 {
            CSVFormat.appendRows(of: try Fixtures.block(first: 0, count: rows, channels: channels),
                                 columns: Array(0..<channels), rawCounts: false, to: &text)
        }
        return text
    }

    /// Checks one run's file against its outcome; returns where the failure was, for coverage.
    static func check(_ outcome: Outcome, path: String, cause: String?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if let cause {
            switch outcome.error {
            case let .writeFailed(_, reason)?, let .cannotCreate(_, reason)?:
                #expect(reason == cause, sourceLocation: sourceLocation)
            default:
                Issue.record("expected a write failure, got \(String(describing: outcome.error))", sourceLocation: sourceLocation)
            }
            #expect((outcome.error?.description.count ?? 0) - path.count <= 150, sourceLocation: sourceLocation)
        }
        guard outcome.created else {
            #expect(!FileManager.default.fileExists(atPath: path), "a CSV that could not be created stays",
                    sourceLocation: sourceLocation)
            return
        }
        // What a run's summary reports as written: the rows the file holds, not the rows handed to the writer.
        #expect(outcome.durableRows == UInt64(outcome.committedRows), sourceLocation: sourceLocation)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"), "ends inside a line", sourceLocation: sourceLocation)
        let expected = try expectedText(rows: outcome.committedRows)
        #expect(text == expected,
                "\(text.utf8.count) bytes, expected the \(expected.utf8.count) of \(outcome.committedRows) rows",
                sourceLocation: sourceLocation)
        if text == expected { Fixtures.remove(path) }
    }

    @Test(arguments: WriteFailureSweepTests.DiskFault.allCases)
    func csvEndsOnTheLastWholeLineAfterEveryFailedWrite(_ kind: WriteFailureSweepTests.DiskFault) throws {
        let counter = FailingDisk(.none), countPath = Fixtures.temporaryPath("count.csv")
        let clean = Self.run(path: countPath, disk: counter)
        #expect(clean.error == nil)
        Fixtures.remove(countPath)
        var failedRows: Set<Int> = []
        for n in 1 ... counter.writes {
            let disk = FailingDisk(kind == .full ? .full(atWrite: n) : .ioError(atWrite: n))
            let path = Fixtures.temporaryPath("fail-\(n).csv")
            let outcome = Self.run(path: path, disk: disk)
            #expect(disk.failures > 0, "write \(n) was not refused")
            try Self.check(outcome, path: path, cause: DiskError(errno: kind == .full ? ENOSPC : EIO).message)
            failedRows.insert(outcome.committedRows)
        }
        // Failures on the header, on a flush, in the middle of the big append, and on close.
        #expect(failedRows.count >= 4, "\(failedRows)")
    }
}
