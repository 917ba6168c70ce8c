import Foundation
import MosquitoModel
import Recording
import Testing

/// A crafted file whose gap counts sum past 2^64 - 1 is summarised ("at least"), not trapped on: `inspect`
/// and the web summary route read it through `RecordingSummary`.
@Suite struct SummaryOverflowTests {
    @Test func gapCountsThatSumPast2To64Saturate() throws {
        let path = Fixtures.temporaryPath("crafted-gaps.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let device = Fixtures.device(serial: "MQ-0", channels: 1)
        let writer = try HDF5RecordingWriter(path: path, header: Fixtures.header([device]))
        try writer.record(Gap(firstMissingIndex: 0, count: .max - 1, cause: .transportGap), device: 0)
        try writer.record(Gap(firstMissingIndex: 5, count: 7, cause: .transportGap), device: 0)
        try writer.record(Gap(firstMissingIndex: 9, count: 3, cause: .crcError), device: 0)
        try writer.close(stopTime: Date())
        let summary = try RecordingSummary(reading: HDF5RecordingReader(path: path))
        let d = try #require(summary.devices.first)
        #expect(d.gapCount == 3)
        #expect(d.missingSamples == .max)
        #expect(d.missingByCause == ["transport_gap": .max, "crc_error": 3])
    }
}
