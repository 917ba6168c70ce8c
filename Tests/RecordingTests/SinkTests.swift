import Foundation
import Testing
@testable import Recording

@Suite struct SinkTests {
    @Test func unwritablePathGivesTypedErrorAndLeavesNothing() throws {
        let directory = Fixtures.temporaryPath("missing-dir")
        for name in ["run.h5", "run.csv"] {
            let path = directory + "/" + name
            #expect {
                _ = try openRecordingSink(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 1)]))
            } throws: { error in
                guard case let .cannotCreate(failedPath, reason) = error as? RecordingError else { return false }
                return failedPath == path && reason.contains("No such file or directory")
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func existingFileIsNotReplacedUnlessAsked() throws {
        let path = Fixtures.temporaryPath("exists.h5")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: path))
        let header = Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 1)])
        #expect(throws: RecordingError.self) { _ = try openRecordingSink(path: path, header: header) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("keep".utf8))
        let sink = try openRecordingSink(path: path, header: header, options: .init(overwrite: true))
        try sink.close(stopTime: Date())
        #expect(try HDF5RecordingReader(path: path).metadata.stopTime != nil)
    }

    @Test func sinkIsChosenByExtension() throws {
        #expect(RecordingFormat(path: "a/run.H5") == .hdf5)
        #expect(RecordingFormat(path: "run.hdf5") == .hdf5)
        #expect(RecordingFormat(path: "run.csv") == .csv)
        #expect(RecordingFormat(path: "run.txt") == nil)
        let header = Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 1)])
        #expect(try openRecordingSink(path: Fixtures.temporaryPath("r.h5"), header: header) is HDF5RecordingWriter)
        #expect(try openRecordingSink(path: Fixtures.temporaryPath("r.csv"), header: header) is CSVRecordingWriter)
        #expect(throws: RecordingError.self) { _ = try openRecordingSink(path: Fixtures.temporaryPath("r.txt"), header: header) }
    }

    @Test func mismatchedBlockIsRejectedAndWriterStaysUsable() throws {
        let path = Fixtures.temporaryPath("shape.h5")
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 2)]))
        #expect(throws: RecordingError.self) { try writer.append(try Fixtures.block(first: 0, count: 3, channels: 3), device: 0) }
        #expect(throws: RecordingError.self) { try writer.append(try Fixtures.block(first: 0, count: 3, channels: 2), device: 1) }
        #expect(throws: RecordingError.self) {
            _ = try SampleBlock(channelCount: 2, index: [0, 1], deviceTimeUs: [0], hostTimeNs: [0, 1], raw: [], values: [])
        }
        try writer.append(try Fixtures.block(first: 0, count: 3, channels: 2), device: 0)
        try writer.close(stopTime: Date())
        #expect(try HDF5RecordingReader(path: path).sampleCount(device: 0) == 3)
        #expect(throws: RecordingError.closed(path: path)) { try writer.append(try Fixtures.block(first: 3, count: 1, channels: 2), device: 0) }
    }

    @Test func csvWriterRoundTripsDoublesExactly() throws {
        let path = Fixtures.temporaryPath("run.csv")
        var device = Fixtures.device(serial: "MQ-1", channels: 3)
        device.configuration.channels[2].name = "temp, °C"
        let writer = try CSVRecordingWriter(path: path, header: Fixtures.header([device]))
        let awkward: [Double] = [0.1, 1.0 / 3.0, -0.0, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 123456789.123456789, -2.5e-17, 1e21, 0.3]
        let values = awkward + awkward.map { -$0 } + awkward.map { $0 * 7.77 }
        let block = try SampleBlock(channelCount: 3, index: Array(0..<9), deviceTimeUs: (0..<9).map { $0 * 1000 },
                                    hostTimeNs: Array(repeating: 0, count: 9), raw: Array(repeating: 1, count: 27), values: values)
        try writer.append(block, device: 0)
        try writer.close(stopTime: Date())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        #expect(lines.removeFirst() == "index,device_time_us,ch0,ch1,\"temp, °C\"")
        let parsed = lines.flatMap { $0.split(separator: ",").dropFirst(2).map { Double(String($0))! } }
        #expect(parsed.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(lines[1].hasPrefix("1,1000,"))
        // Python parses the same text to the same doubles.
        let script = "import csv,sys,json; r=list(csv.reader(open(sys.argv[1]))); print(json.dumps([float(x).hex() for row in r[1:] for x in row[2:]]))"
        let hex = try Python.json([String].self, script, arguments: [path])
        let expectedHex = try Python.json([String].self, "import sys,json; print(json.dumps([float(x).hex() for x in sys.argv[1:]]))",
                                          arguments: values.map { String(format: "%.17g", $0) })
        #expect(hex == expectedHex)
    }

    @Test func csvWriterCanWriteRawCounts() throws {
        let path = Fixtures.temporaryPath("raw.csv")
        let writer = try CSVRecordingWriter(path: path, header: Fixtures.header([Fixtures.device(serial: "MQ-1", channels: 2)]),
                                            options: .init(csvRawCounts: true))
        let block = try Fixtures.block(first: 5, count: 2, channels: 2)
        try writer.append(block, device: 0)
        try writer.close(stopTime: Date())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "index,device_time_us,ch0,ch1\n5,5017,\(block.raw[0]),\(block.raw[1])\n6,6017,\(block.raw[2]),\(block.raw[3])\n")
    }

    @Test func csvHoldsOneDevice() {
        let header = Fixtures.header([Fixtures.device(serial: "A", channels: 1), Fixtures.device(serial: "B", channels: 1)])
        #expect(throws: RecordingError.self) { _ = try CSVRecordingWriter(path: Fixtures.temporaryPath("two.csv"), header: header) }
    }
}
