// Compiled twice: into CodecCrossCheckTests (which replays the seed corpus and every saved crash as regression
// tests), and by mk/fuzz.mk together with Sources/MWP into one module for libFuzzer, where MWP is not imported.
#if !MWP_FUZZ_SINGLE_MODULE
import MWP
#endif

/// The properties the MWP fuzzer checks on every input. Each returns nil when the input passes, or what went wrong.
/// Crashes (traps, sanitizer reports) are the other half of the check, found by running the code at all.
enum FuzzChecks {
    static func check(_ input: [UInt8]) -> String? {
        streamingDecoder(input) ?? messageParsers(input)
    }

    /// Every message type the codec knows, tried on every input as a bare payload.
    static let messageTypes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x40, 0x41, 0x42,
                                        0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87]

    enum Event: Equatable {
        case frame(type: UInt8, seq: UInt16, payload: [UInt8])
        case error(String)
    }

    /// The input as a byte stream: the same events for four chunkings, and every frame whose message decodes
    /// re-encodes to the same payload.
    static func streamingDecoder(_ input: [UInt8]) -> String? {
        let whole = events(input, chunks: [input.count])
        var rng = input.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        var sizes: [Int] = []
        var left = input.count
        while left > 0 {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let size = min(left, 1 + Int((rng >> 33) % UInt64(max(1, input.count / 3 + 1))))
            sizes.append(size)
            left -= size
        }
        // Pseudo-random pieces, 64-byte reads (a USB full-speed packet), and single bytes for short inputs.
        let packets = Array(repeating: 64, count: input.count / 64) + (input.count % 64 == 0 ? [] : [input.count % 64])
        let bytes = input.count <= 512 ? Array(repeating: 1, count: input.count) : []
        for split in [sizes, packets, bytes] where !split.isEmpty {
            let other = events(input, chunks: split)
            if other != whole {
                return "chunking changed the events: whole \(whole), split \(split.prefix(20))… \(other)"
            }
        }
        for case .frame(let type, let seq, let payload) in whole {
            if let failure = roundTrip(type: type, seq: seq, payload: payload) { return failure }
        }
        return nil
    }

    /// The input as a payload: every parser either rejects it with an error or accepts it, and what it accepts
    /// re-encodes to the same bytes.
    static func messageParsers(_ input: [UInt8]) -> String? {
        guard let first = input.first else { return nil }
        let rest = Array(input.dropFirst())
        if let failure = roundTrip(type: first, seq: 0, payload: rest) { return failure }
        for type in messageTypes {
            if let failure = roundTrip(type: type, seq: 0, payload: input) { return failure }
        }
        return nil
    }

    static func events(_ input: [UInt8], chunks: [Int]) -> [Event] {
        var decoder = FrameDecoder()
        var out: [Event] = []
        var offset = 0
        for size in chunks {
            decoder.append(Array(input[offset..<offset + size]))
            offset += size
            loop: while true {
                switch decoder.next() {
                case .needMoreData: break loop
                case .frame(let f): out.append(.frame(type: f.type.rawValue, seq: f.seq, payload: Array(f.payload)))
                case .error(let e): out.append(.error(errorName(e)))
                }
            }
        }
        return out
    }

    /// Decode, encode, decode: an accepted payload must come back byte for byte.
    static func roundTrip(type: UInt8, seq: UInt16, payload: [UInt8]) -> String? {
        let decoded: Message
        do {
            decoded = try payload.withUnsafeBytes { p throws(MessageError) in
                try Message.decode(type: MessageType(rawValue: type), payload: p)
            }
        } catch {
            return nil  // rejected with a typed error: fine
        }
        var encoder = FrameEncoder(firstSeq: seq)
        var wire: [UInt8] = []
        do {
            try encoder.encode(decoded, into: &wire)
        } catch {
            return "type 0x\(String(type, radix: 16)): decoder accepted \(decoded), encoder refused it: \(error)"
        }
        let again = events(wire, chunks: [wire.count])
        guard again == [.frame(type: type, seq: seq, payload: payload)] else {
            return "type 0x\(String(type, radix: 16)): \(payload) decoded to \(decoded), re-encoded to \(again)"
        }
        return nil
    }

    static func errorName(_ e: FrameError) -> String {
        switch e {
        case .cobs: "cobs"
        case .crc: "crc"
        case .version: "version"
        case .length: "length"
        case .oversize: "oversize"
        }
    }

}
