import Testing

@testable import LSL

/// The markers inlet's reader against liblsl 1.18's own bytes (SampleEncodingTests' goldens, captured from
/// pylsl): every format decodes to the pushed values and stamps, deduced ones included, however the bytes are
/// cut; bytes no outlet sends are refused, never a crash.
@Suite struct FeedDecoderTests {
    static func text(_ samples: LSLSamples, channels: Int) -> [[String]] {
        let all: [String] = switch samples {
        case .float32(let v): v.map { "\($0)" }
        case .double64(let v): v.map { "\($0)" }
        case .int32(let v): v.map { "\($0)" }
        case .int16(let v): v.map { "\($0)" }
        case .int8(let v): v.map { "\($0)" }
        case .int64(let v): v.map { "\($0)" }
        case .string(let v): v
        }
        return stride(from: 0, to: all.count, by: channels).map { Array(all[$0..<($0 + channels)]) }
    }

    @Test(arguments: SampleEncodingTests.goldens)
    func decodesLiblslBytesWholeAndByteByByte(_ golden: SampleEncodingTests.Golden) throws {
        let bytes = golden.hex.hexBytes
        let format = golden.values[0].format
        let expected = Self.text(golden.values[0], channels: 3) + Self.text(golden.values[1], channels: 3)
        let stamps = [1000.5, 2000.0 - 1.0 / 250.0, 2000.0]
        for pieceSize in [bytes.count, 1, 7] {
            var decoder = LSLFeedDecoder(format: format, channels: 3, nominalRate: 250)
            var fed: [UInt8] = [], offset = 0, samples: [LSLFeedDecoder.Sample] = []
            for start in stride(from: 0, to: bytes.count, by: pieceSize) {
                fed += bytes[start..<min(bytes.count, start + pieceSize)]
                while let s = try decoder.next(fed, offset: &offset) { samples.append(s) }
            }
            #expect(offset == bytes.count)
            #expect(samples.count == 5)
            #expect(samples.dropFirst(2).map(\.values) == expected, "\(format) in pieces of \(pieceSize)")
            #expect(samples.prefix(2).allSatisfy { $0.timestamp == LSLTestPattern.timestamp })
            let got = samples.dropFirst(2).map(\.timestamp)
            #expect(zip(got, stamps).allSatisfy { abs($0 - $1) < 1e-9 }, "\(got)")
        }
    }

    @Test func refusesBytesNoOutletSends() {
        var decoder = LSLFeedDecoder(format: .string, channels: 1, nominalRate: 0)
        var offset = 0
        #expect(throws: LSLFeedError.self) { _ = try decoder.next([0x07], offset: &offset) }
        #expect(throws: LSLFeedError.self) { _ = try decoder.next([0x01, 0x03, 0, 0, 0], offset: &offset) }
        // A length that says more than is there yet is not an error: the rest may come.
        #expect((try? decoder.next([0x01, 0x04, 0xFF, 0xFF, 0, 0], offset: &offset)) == .some(nil))
        #expect(throws: LSLFeedError.self) { _ = try decoder.next([0x01, 0x08] + [UInt8](repeating: 0xFF, count: 8), offset: &offset) }
        #expect(offset == 0)
    }
}
