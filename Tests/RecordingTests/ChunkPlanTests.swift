import Testing
@testable import Recording

@Suite struct ChunkPlanTests {
    @Test func chunkHoldsAboutOneSecondCappedAtOneMebibyte() {
        #expect(ChunkPlan(rateHz: 1000, channelCount: 3).sampleChunkRows == 1000)
        #expect(ChunkPlan(rateHz: 999.5, channelCount: 3).sampleChunkRows == 1000)
        // 16 channels × 8 bytes: 1 MiB holds 8192 rows, less than one second at 100 kS/s.
        #expect(ChunkPlan(rateHz: 100_000, channelCount: 16).sampleChunkRows == 8192)
        #expect(ChunkPlan(rateHz: 0.5, channelCount: 1).sampleChunkRows == 1)
        #expect(ChunkPlan(rateHz: .nan, channelCount: 1).sampleChunkRows == 1)
    }

    @Test func deviceGroupNamesAreSafeAndUnique() {
        let devices = ["MQ-1", "MQ-1", "a/b.c", ""].map { Fixtures.device(serial: $0, channels: 1) }
        #expect(RecordingLayout.deviceGroupNames(devices) == ["MQ-1", "MQ-1-2", "a_b_c", "device"])
    }
}
