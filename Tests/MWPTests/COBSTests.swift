import Testing
import MWP
import TestSupport

@Suite struct COBSTests {
    static let cases: [(String, [UInt8])] = [
        ("empty", []),
        ("one zero", [0]),
        ("all zeros", [UInt8](repeating: 0, count: 300)),
        ("253 non-zero", (0..<253).map { UInt8($0 % 255 + 1) }),
        ("254 non-zero", (0..<254).map { UInt8($0 % 255 + 1) }),
        ("255 non-zero", (0..<255).map { UInt8($0 % 255 + 1) }),
        ("254 non-zero then zero", (0..<254).map { UInt8($0 % 255 + 1) } + [0]),
        ("zero then 254 non-zero", [0] + (0..<254).map { UInt8($0 % 255 + 1) }),
        ("1000 non-zero", (0..<1000).map { UInt8($0 % 255 + 1) }),
    ]

    @Test(arguments: cases.indices)
    func roundTripsWithoutZeros(_ i: Int) throws {
        let input = Self.cases[i].1
        let encoded = COBS.encode(input)
        #expect(!encoded.contains(0))
        #expect(encoded.count <= COBS.maxEncodedLength(input.count))
        #expect(try COBS.decode(encoded).get() == input)
    }

    @Test func knownEncodings() {
        #expect(COBS.encode([]) == [0x01])
        #expect(COBS.encode([0x00]) == [0x01, 0x01])
        #expect(COBS.encode([0x11, 0x22, 0x00, 0x33]) == [0x03, 0x11, 0x22, 0x02, 0x33])
        let run254 = [UInt8](repeating: 0x42, count: 254)
        #expect(COBS.encode(run254) == [0xFF] + run254 + [0x01])
        #expect(COBS.encode(run254 + [0x42]) == [0xFF] + run254 + [0x02, 0x42])
    }

    @Test func rejectsMalformedInput() {
        #expect(COBS.decode([0x05, 0x01, 0x02]) == .failure(.blockPastEnd))
        #expect(COBS.decode([0x03, 0x01, 0x00]) == .failure(.zeroByte))
        #expect(COBS.decode([0x00]) == .failure(.zeroByte))
    }
}

@Suite struct CRC32CTests {
    @Test func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func piecewiseEqualsWhole() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = CRC32C.checksum(data)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            var reg: UInt32 = 0xFFFF_FFFF
            data.withUnsafeBytes { p in
                reg = CRC32C.update(reg, UnsafeRawBufferPointer(rebasing: p[0..<split]))
                reg = CRC32C.update(reg, UnsafeRawBufferPointer(rebasing: p[split...]))
            }
            #expect(~reg == whole)
        }
    }

    @Test func matchesBitwiseReference() {
        func bitwise(_ d: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in d {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            }
            return ~c
        }
        var rng = SplitMix64(seed: 42)
        for len in 0..<64 {
            let d = (0..<len).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(CRC32C.checksum(d) == bitwise(d))
        }
    }
}

