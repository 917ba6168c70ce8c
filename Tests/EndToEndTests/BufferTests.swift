import Foundation
import Testing

/// `record --buffer SECONDS`: the ring is sized by time at the run's rate, and the summary says how big it was
/// and how close the recorder came to filling it.
@Suite struct BufferTests {
    func summary(_ extra: [String]) throws -> [String: Any] {
        let out = temporaryPath("buffer.h5")
        let r = try Mosquito.run(["record", "--device", "sim?channels=2", "--duration", "0.5", "--rate", "1000",
                                  "--output", out, "--json"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        return (summary["devices"] as! [[String: Any]])[0]
    }

    @Test func theDefaultIsTheFloorAtLowRates() throws {
        let device = try summary([])
        // One second at 1 kHz is 1000 frames, under the 16384-frame floor.
        #expect(device["bufferFrames"] as? Int == 16384)
        let peak = try #require(device["bufferHighWaterFrames"] as? Int)
        #expect(peak > 0 && peak <= 16384)
    }

    @Test func secondsBecomeAPowerOfTwoOfFrames() throws {
        // 100 s at 1 kHz is 100,000 frames: the next power of two is 131,072.
        let device = try summary(["--buffer", "100"])
        #expect(device["bufferFrames"] as? Int == 131_072)
    }

    @Test func theTextSummaryStatesTheBuffer() throws {
        let out = temporaryPath("buffer-text.h5")
        let r = try Mosquito.run(["record", "--device", "sim?channels=1", "--duration", "0.3", "--rate", "1000",
                                  "--buffer", "20", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("buffer: 32.77 s (32768 frames), peak backlog"), "\(r.stdout)")
    }
}
