import NIOCore
import Testing

@testable import LSL

/// The bytes of a stream feed after its header, in every channel format, against what liblsl 1.18 itself sends
/// (captured with Support/capture_golden.py from pylsl 1.18.6): the two test patterns, one sample pushed at
/// 1000.5, then two pushed at 1999.996 and 2000.0 on a 250 Hz stream (the second deduced).
@Suite struct SampleEncodingTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        let values: [LSLSamples]
        let hex: String
        var testDescription: String { values[0].format.rawValue }
    }

    static let goldens: [Golden] = [
        Golden(values: [.float32([1, 2, 3]), .float32([4, 5, 6, 7, 8, 9])], hex: "02c976be9f0c24fe40000080400000a0c00000c04002c976be9f0c24fe4000000040000040c000008040020000000000448f400000803f000000400000404002448b6ce7fb3f9f40000080400000a0400000c040010000e0400000004100001041"),
        Golden(values: [.double64([1, 2, 3]), .double64([4, 5, 6, 7, 8, 9])], hex: "02c976be9f0c24fe40000000500000704100000060000070c1000000700000704102c976be9f0c24fe40000000300000704100000040000070c10000005000007041020000000000448f40000000000000f03f0000000000000040000000000000084002448b6ce7fb3f9f40000000000000104000000000000014400000000000001840010000000000001c4000000000000020400000000000002240"),
        Golden(values: [.int32([1, -2, 70000]), .int32([4, 5, 6, 7, 8, 9])], hex: "02c976be9f0c24fe4005000100fafffeff0700010002c976be9f0c24fe4003000100fcfffeff05000100020000000000448f4001000000feffffff7011010002448b6ce7fb3f9f4004000000050000000600000001070000000800000009000000"),
        Golden(values: [.int16([1, -2, 300]), .int16([4, 5, 6, 7, 8, 9])], hex: "02c976be9f0c24fe400501fafe070102c976be9f0c24fe400301fcfe0501020000000000448f400100feff2c0102448b6ce7fb3f9f4004000500060001070008000900"),
        Golden(values: [.int8([1, -2, 100]), .int8([4, 5, 6, 7, 8, 9])], hex: "02c976be9f0c24fe4005fa0702c976be9f0c24fe4003fc05020000000000448f4001fe6402448b6ce7fb3f9f4004050601070809"),
        Golden(values: [.int64([1, -2, 5_000_000_000]), .int64([4, 5, 6, 7, 8, 9])], hex: "02c976be9f0c24fe400500008000000000faffff7fffffffff070000800000000002c976be9f0c24fe400300008000000000fcffff7fffffffff0500008000000000020000000000448f400100000000000000feffffffffffffff00f2052a0100000002448b6ce7fb3f9f4004000000000000000500000000000000060000000000000001070000000000000008000000000000000900000000000000"),
        Golden(values: [.string(["a", "", "ccc"]), .string([String(repeating: "x", count: 300), "y", "z", "7", "8", "9"])], hex: "02c976be9f0c24fe400102313001032d31310102313202c976be9f0c24fe400102313001032d313101023132020000000000448f400101610100010363636302448b6ce7fb3f9f40042c010000" + String(repeating: "78", count: 300) + "01017901017a01010137010138010139"),
    ]

    @Test(arguments: goldens)
    func feedBytesEqualLiblsl(_ golden: Golden) {
        let format = golden.values[0].format
        var out = ByteBuffer()
        for p in LSLTestPattern.patterns {
            LSLSampleEncoder.write(stamp: LSLTestPattern.timestamp, sample: 0, of: LSLTestPattern.values(p, format: format, channels: 3), channels: 3, into: &out)
        }
        let interval = 1.0 / LSLNumberText.rateAsInletReadsIt(250)
        var queue = LSLInletQueue(capacity: 100)
        let first = LSLStampPlan(timestamps: [1000.5], indices: nil, interval: interval, tolerance: 1e-7)
        queue.append(LSLEncodedChunk(firstSequence: 0, samples: golden.values[0], channels: 3, plan: first))
        // liblsl's push_chunk stamps the first sample t − (n−1)/rate and leaves the rest to be deduced.
        let chunk = LSLStampPlan(timestamps: [2000.0 - 1.0 / 250.0, 2000.0], indices: nil, interval: interval, tolerance: 1e-7)
        queue.append(LSLEncodedChunk(firstSequence: 1, samples: golden.values[1], channels: 3, plan: chunk))
        #expect(queue.write(maxBytes: .max, into: &out) == 3)
        #expect(out.hex == golden.hex)
    }

    /// Integer patterns wrap modulo the type's maximum (liblsl `val %= max(T)`): channel 122 of an int8 stream
    /// under pattern 4 is (122 + 5) mod 127 = 0, channel 123 is −1.
    @Test func int8PatternWraps() {
        guard case .int8(let v) = LSLTestPattern.values(4, format: .int8, channels: 130) else { Issue.record(); return }
        #expect(v[121] == -126 && v[122] == 0 && v[123] == -1 && v[129] == -7)
        guard case .int16(let w) = LSLTestPattern.values(2, format: .int16, channels: 4) else { Issue.record(); return }
        #expect(w == [259, -260, 261, -262])
    }
}
