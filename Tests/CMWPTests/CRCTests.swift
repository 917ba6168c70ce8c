import CMWP
import CMWPTestSupport
import Testing

@Suite struct CRCTests {
    @Test func checkValue() {
        #expect(CCodec.crc32c(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func emptyInputIsZero() {
        #expect(CCodec.crc32c([]) == 0)
    }

    /// Known CRC-32C values from RFC 3720 (iSCSI), appendix B.4.
    @Test func rfc3720Vectors() {
        #expect(CCodec.crc32c([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CCodec.crc32c([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CCodec.crc32c((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CCodec.crc32c((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    @Test func incrementalEqualsOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for split in [0, 1, 7, 500, 999, 1000] {
            var state = MWP_CRC32C_INIT
            data[..<split].withContiguousStorageIfAvailable { state = mwp_crc32c_update(state, $0.baseAddress, $0.count) }
            data[split...].withContiguousStorageIfAvailable { state = mwp_crc32c_update(state, $0.baseAddress, $0.count) }
            #expect(state ^ 0xFFFF_FFFF == CCodec.crc32c(data), "split at \(split)")
        }
    }
}
