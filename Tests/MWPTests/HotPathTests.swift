import Testing
import TestSupport
@testable import MWP

/// The decoder's fast paths against the plain implementations they replace.
@Suite struct CRC32CImplementationTests {
    @Test(arguments: CRC32C.available)
    func checkValue(_ implementation: CRC32C.Implementation) {
        let crc = Array("123456789".utf8).withUnsafeBytes { ~CRC32C.update(0xFFFF_FFFF, $0, using: implementation) }
        #expect(crc == 0xE306_9283)
    }

    @Test func thisX86CPUUsesHardware() {
        #if arch(x86_64)
        // Every x86-64 CPU since 2008 (Nehalem, Bulldozer) has SSE4.2; if this fails the probe is broken.
        #expect(CRC32C.hardwareAvailable)
        #expect(CRC32C.preferred == .hardware)
        #else
        #expect(CRC32C.available == [.software])
        #endif
    }

    /// Random lengths at every alignment, with random starting registers, so the 8-byte and tail loops of both
    /// implementations meet every offset.
    @Test func hardwareEqualsSoftwareOverLengthsAndAlignments() {
        guard CRC32C.hardwareAvailable else { return }
        var rng = SplitMix64(seed: 0xC5C3_2C)
        let data = (0..<5000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        data.withUnsafeBytes { all in
            for alignment in 0..<16 {
                for length in Array(0..<40) + (0..<40).map({ _ in Int.random(in: 40...4900, using: &rng) }) {
                    let slice = UnsafeRawBufferPointer(rebasing: all[alignment..<alignment + length])
                    let register = UInt32(truncatingIfNeeded: rng.next())
                    let hardware = CRC32C.update(register, slice, using: .hardware)
                    let software = CRC32C.update(register, slice, using: .software)
                    #expect(hardware == software, "length \(length) alignment \(alignment)")
                }
            }
        }
    }
}

@Suite struct COBSZeroFreeDecodeTests {
    /// Decodes with the hot path into a buffer of exactly `capacity` + overrun, as the frame decoder does.
    func fast(_ input: [UInt8], capacity: Int) -> Result<[UInt8], COBS.DecodeError> {
        var out = [UInt8](repeating: 0xAA, count: capacity + COBS.decodeOverrun)
        // Followed by its delimiter, as in the stream (and so an empty input still has an address).
        let delimited = input + [0]
        let result = delimited.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                COBS.decodeZeroFree(src.baseAddress!, count: input.count, into: dst.baseAddress!, capacity: capacity)
            }
        }
        return result.map { Array(out.prefix($0)) }
    }

    /// The reference decoder limited to `capacity` output bytes.
    func reference(_ input: [UInt8], capacity: Int) -> Result<[UInt8], COBS.DecodeError> {
        var out = [UInt8](repeating: 0, count: capacity)
        let result = input.withUnsafeBytes { src in out.withUnsafeMutableBytes { COBS.decode(src, into: $0) } }
        return result.map { Array(out.prefix($0)) }
    }

    /// Payloads shaped like the real hot case (a zero every few bytes, as in small little-endian i32 samples),
    /// like sparse data (long runs, 254-byte blocks) and like everything in between.
    @Test func equalsReferenceOnEncodedData() {
        var rng = SplitMix64(seed: 7)
        for round in 0..<600 {
            let length = Int.random(in: 0...4200, using: &rng)
            let zeroOneIn = [2, 4, 8, 64, 300, 100_000][round % 6]
            let data = (0..<length).map { _ in
                Int.random(in: 0..<zeroOneIn, using: &rng) == 0 ? 0 : UInt8.random(in: 1...255, using: &rng)
            }
            let encoded = COBS.encode(data)
            for capacity in [4096, length, max(length - 1, 0), length / 2] {
                let got = fast(encoded, capacity: capacity)
                #expect(got == reference(encoded, capacity: capacity), "length \(length) capacity \(capacity)")
                if capacity >= length { #expect(got == .success(data)) }
            }
        }
    }

    /// Zero-free garbage: code bytes that overrun the end, and runs that overflow a small destination.
    @Test func equalsReferenceOnZeroFreeGarbage() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            let input = (0..<Int.random(in: 0...600, using: &rng)).map { _ in UInt8.random(in: 1...255, using: &rng) }
            for capacity in [0, 1, 17, 255, 600] {
                #expect(fast(input, capacity: capacity) == reference(input, capacity: capacity))
            }
        }
    }
}

@Suite struct SamplesCopyTests {
    /// The bulk copy must give what element-wise little-endian reads give, from the unaligned offset values sit
    /// at inside a frame (4-byte frame header + 22-byte samples header).
    @Test func copyValuesEqualsElementReads() throws {
        var encoder = FrameEncoder()
        var wire: [UInt8] = []
        let values: [Int32] = (0..<(63 * 16)).map { Int32(truncatingIfNeeded: $0 &* -2_654_435_761) }
        let block = SamplesPayload(firstIndex: 1, deviceTimeUs: 2, channelMask: 0xFFFF, count: 63, values: values)
        try encoder.encode(.samples(block), into: &wire)
        var decoder = FrameDecoder()
        decoder.append(wire)
        guard case .frame(let frame) = decoder.next() else { Issue.record("no frame"); return }
        try frame.payload.withUnsafeBytes { payload in
            let view = try SamplesView(payload: payload)
            var out = [Int32](repeating: 0, count: view.header.valueCount + 1)
            out.withUnsafeMutableBufferPointer { view.copyValues(into: $0) }
            #expect(Array(out.prefix(values.count)) == values)
            #expect(out.last == 0, "copyValues wrote past valueCount")
            for s in 0..<63 {
                for c in 0..<16 { #expect(view.value(sample: s, channel: c) == values[s * 16 + c]) }
            }
        }
    }
}
