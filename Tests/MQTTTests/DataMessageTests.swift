import Publish
import Testing

@Suite struct DataMessageTests {
    /// The documented layout byte for byte (docs/mqtt.md), and back through the reader.
    @Test func formatOneLayoutAndRoundTrip() throws {
        var encoder = DataMessageEncoder(channelCount: 2, metaID: [1, 2, 3, 4, 5, 6, 7, 8])
        encoder.begin(sequence: 7)
        let rows: [(UInt64, UInt64, Int64, [Int32])] = [(100, 5_000, -1, [-2, 3]), (101, 6_000, 1_700_000_000_000_000_000, [Int32.min, Int32.max])]
        for (i, d, h, raw) in rows {
            raw.withUnsafeBufferPointer { encoder.append(index: i, deviceTimeNs: d, hostTimeNs: h, raw: $0) }
        }
        let b = encoder.bytes
        #expect(b.count == 32 + 2 * (24 + 8))
        #expect(Array(b[0..<8]) == [1, 0, 2, 0, 2, 0, 0, 0])  // format 1, 2 channels, 2 frames
        #expect(Array(b[8..<16]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Array(b[16..<24]) == [7, 0, 0, 0, 0, 0, 0, 0])  // sequence
        #expect(Array(b[24..<32]) == [100, 0, 0, 0, 0, 0, 0, 0])  // first index
        #expect(Array(b[32..<40]) == [100, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(b[48..<56]) == [UInt8](repeating: 0xFF, count: 8))  // host time -1
        #expect(Array(b[56..<60]) == [0xFE, 0xFF, 0xFF, 0xFF])  // raw -2

        let decoded = try b.withUnsafeBytes { try DataMessage(decoding: $0) }
        #expect(decoded.sequence == 7)
        #expect(decoded.indices == [100, 101])
        #expect(decoded.deviceTimesNs == [5_000, 6_000])
        #expect(decoded.hostTimesNs == [-1, 1_700_000_000_000_000_000])
        #expect(decoded.raw == [-2, 3, Int32.min, Int32.max])
    }

    @Test func readerRefusesTruncatedAndForeignPayloads() {
        var encoder = DataMessageEncoder(channelCount: 1, metaID: [UInt8](repeating: 0, count: 8))
        encoder.begin(sequence: 0)
        [Int32(5)].withUnsafeBufferPointer { encoder.append(index: 0, deviceTimeNs: 0, hostTimeNs: 0, raw: $0) }
        let whole = encoder.bytes
        #expect(throws: DataMessage.DecodeError.lengthMismatch(expected: 60, actual: 59)) {
            try Array(whole.dropLast()).withUnsafeBytes { try DataMessage(decoding: $0) }
        }
        #expect(throws: DataMessage.DecodeError.tooShort) { try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try DataMessage(decoding: $0) } }
        var foreign = whole
        foreign[0] = 2
        #expect(throws: DataMessage.DecodeError.unknownFormat(2)) { try foreign.withUnsafeBytes { try DataMessage(decoding: $0) } }
    }
}
