import CMWP
import CMWPTestSupport
import TestSupport
import Testing

@Suite struct COBSTests {
    private func run(_ count: Int, from first: UInt8 = 1) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: Int(first) + $0 % 255) }.map { $0 == 0 ? 1 : $0 }
    }

    @Test func empty() throws {
        #expect(try CCodec.cobsEncode([]) == [0x01])
        #expect(try CCodec.cobsDecode([0x01]) == [])
        #expect(try CCodec.cobsDecode([]) == [])
    }

    @Test func allZeros() throws {
        #expect(try CCodec.cobsEncode([0]) == [0x01, 0x01])
        #expect(try CCodec.cobsEncode([0, 0]) == [0x01, 0x01, 0x01])
        let zeros = [UInt8](repeating: 0, count: 300)
        #expect(try CCodec.cobsEncode(zeros) == [UInt8](repeating: 0x01, count: 301))
        #expect(try CCodec.cobsDecode(CCodec.cobsEncode(zeros)) == zeros)
    }

    @Test func run253() throws {
        let data = run(253)
        #expect(try CCodec.cobsEncode(data) == [0xFE] + data)
        #expect(try CCodec.cobsDecode([0xFE] + data) == data)
    }

    /// As in Cheshire and Baker's reference code, data ending on a full 254-byte block gets a final 0x01 code
    /// byte (PROTOCOL.md, "COBS").
    @Test func run254() throws {
        let data = run(254)
        #expect(try CCodec.cobsEncode(data) == [0xFF] + data + [0x01])
        #expect(try CCodec.cobsDecode([0xFF] + data + [0x01]) == data)
        // Receivers also accept the shorter form some encoders produce.
        #expect(try CCodec.cobsDecode([0xFF] + data) == data)
    }

    @Test func run255() throws {
        let data = run(255)
        #expect(try CCodec.cobsEncode(data) == [0xFF] + data[..<254] + [0x02, data[254]])
        #expect(try CCodec.cobsDecode(CCodec.cobsEncode(data)) == data)
    }

    @Test func run254FollowedByZero() throws {
        let data = run(254) + [0]
        #expect(try CCodec.cobsEncode(data) == [0xFF] + data[..<254] + [0x01, 0x01])
        #expect(try CCodec.cobsEncode(run(508)) == [0xFF] + run(508)[..<254] + [0xFF] + run(508)[254...] + [0x01])
        #expect(try CCodec.cobsDecode(CCodec.cobsEncode(data)) == data)
    }

    @Test func zeroThenRun254() throws {
        let data = [0] + run(254)
        #expect(try CCodec.cobsEncode(data) == [0x01, 0xFF] + data[1...] + [0x01])
        #expect(try CCodec.cobsDecode(CCodec.cobsEncode(data)) == data)
    }

    @Test(arguments: [1, 2, 252, 253, 254, 255, 256, 507, 508, 509, 4096])
    func roundTripsWithoutZerosInOutput(length: Int) throws {
        var rng = SplitMix64(seed: UInt64(length))
        for _ in 0..<20 {
            let data = (0..<length).map { _ in rng.next() % 4 == 0 ? 0 : UInt8(truncatingIfNeeded: rng.next()) }
            let encoded = try CCodec.cobsEncode(data)
            #expect(!encoded.contains(0))
            #expect(encoded.count <= length + length / 254 + 1)
            #expect(try CCodec.cobsDecode(encoded) == data)
        }
    }

    @Test func blockPastEndIsRejected() {
        #expect(throws: CCodecError(result: MWP_ERR_COBS)) { try CCodec.cobsDecode([0x05, 0x01, 0x02, 0x03]) }
        #expect(throws: CCodecError(result: MWP_ERR_COBS)) { try CCodec.cobsDecode([0xFF, 0x01]) }
    }

    @Test func zeroInsideIsRejected() {
        #expect(throws: CCodecError(result: MWP_ERR_COBS)) { try CCodec.cobsDecode([0x03, 0x01, 0x00]) }
        #expect(throws: CCodecError(result: MWP_ERR_COBS)) { try CCodec.cobsDecode([0x00]) }
    }

    @Test func outputCapacityIsRespected() {
        #expect(throws: CCodecError(result: MWP_ERR_BUFFER)) { try CCodec.cobsDecode([0x04, 1, 2, 3], capacity: 2) }
        #expect(throws: CCodecError(result: MWP_ERR_BUFFER)) { try CCodec.cobsDecode([0x02, 1, 0x02, 2], capacity: 2) }
        #expect(throws: CCodecError(result: MWP_ERR_BUFFER)) {
            try CCodec.encoding(capacity: 3) { dst, cap, len in
                [UInt8](repeating: 7, count: 3).withUnsafeBufferPointer {
                    mwp_cobs_encode($0.baseAddress, $0.count, dst, cap, len)
                }
            }
        }
    }
}

