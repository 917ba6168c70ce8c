/// Lowercase hexadecimal of a digest. `verify` hashes every event: `String(format: "%02x")` per byte was most
/// of its time on a ledger of 100,000 events.
extension Sequence<UInt8> {
    var lowercaseHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
