import CMWP
import CMWPTestSupport
import MWP
import Testing

/// Rules PROTOCOL.md states beyond the vectors, where the two codecs once disagreed: both must now follow them.
@Suite struct SpecConformanceTests {
    private func swiftAccepts(_ type: UInt8, _ payload: [UInt8]) -> Bool {
        (try? SwiftCodec.decodePayload(type: type, payload)) != nil
    }

    private func cAccepts(_ type: UInt8, _ payload: [UInt8]) -> Bool {
        (try? CCodec.decodePayload(type: type, payload)) != nil
    }

    /// PROTOCOL.md §4: an error reply carries only its status byte, PONG included (a device answering a PING of the
    /// wrong length with BAD_LENGTH has no host time to echo). Swift's `Message.decode` requires 17 bytes for every
    /// PONG and `FrameEncoder` writes 17 for `.pong(.badLength, …)`.
    @Test func pongErrorReplyIsTheStatusByteAlone() throws {
        #expect(cAccepts(0x87, [2]))
        #expect(!cAccepts(0x87, [2] + [UInt8](repeating: 0, count: 16)))
                #expect(swiftAccepts(0x87, [2]))
        #expect(!swiftAccepts(0x87, [2] + [UInt8](repeating: 0, count: 16)))
        var encoder = FrameEncoder()
        var wire: [UInt8] = []
        try encoder.encode(.pong(.badLength, hostTimeNs: 0, deviceTimeUs: 0), into: &wire)
        #expect(CReceiver().feed(wire) == [.frame(type: 0x87, seq: 0, payload: [2])])
    }

    /// PROTOCOL.md §5.1: `adc_bits` is 1…32. Swift accepts 0 and anything up to 255.
    @Test func adcBitsOutsideOneToThirtyTwoIsRejected() throws {
        var payload = try #require(VectorFile.shared.frames.first { $0.name == "identity" }).payload
        for bits: UInt8 in [0, 33, 255] {
            payload[43 + 1] = bits
            #expect(!cAccepts(0x81, payload))
            #expect(!swiftAccepts(0x81, payload))
        }
    }

    /// PROTOCOL.md §4.2: SAMPLES has `channel_mask ≠ 0` and `count ≥ 1`. Swift accepts a 22-byte SAMPLES frame with
    /// either zero, and encodes one.
    @Test func emptySamplesAreRejected() {
        let header = Array(VectorFile.shared.frames.first { $0.name == "samples_small" }!.payload[..<22])
        var noChannels = header
        noChannels.replaceSubrange(16..<20, with: [0, 0, 0, 0])
        var noSamples = header
        noSamples.replaceSubrange(20..<22, with: [0, 0])
        for payload in [noChannels, noSamples] {
            #expect(!cAccepts(0x40, payload))
            #expect(!swiftAccepts(0x40, payload))
        }
    }

    /// Issue 2 requires the streaming decoder to be "correct on any chunking". A 4200-byte chunk of 0xFF then a
    /// delimiter decodes past 4096 bytes inside its last (incomplete) COBS block: fed in small pieces, FrameDecoder
    /// reports `oversize` (it sees more than 4113 bytes without a delimiter); fed whole, its COBS decoder checks
    /// "block past end" before capacity and reports `cobs`. PROTOCOL.md §9 orders `oversize` first, as the C
    /// receiver does for every chunking.
    @Test func oversizeWithBrokenLastBlockIsOversizeForEveryChunking() {
        let stream = [UInt8](repeating: 0xFF, count: 4200) + [0x00]
        #expect(CReceiver().feed(stream) == [.error("oversize")])
        #expect(SwiftCodec.receive(stream.map { [$0][...] }) == [.error("oversize")])
                #expect(SwiftCodec.receive([stream[...]]) == [.error("oversize")])
    }

    /// An IDENTITY or CALIBRATION reply with status OK must carry its record. Swift's `validate()` lets
    /// `.identity(.ok, nil)` through and encodes the 1-byte payload `00`, which its own decoder then rejects.
    @Test func okReplyWithoutRecordIsRefusedByTheEncoder() {
        for message: Message in [.identity(.ok, nil), .calibration(.ok, nil)] {
                        var encoder = FrameEncoder()
            var wire: [UInt8] = []
            #expect(throws: MessageError.self) { try encoder.encode(message, into: &wire) }
        }
    }
}
