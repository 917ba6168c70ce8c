/// The two samples a stream feed starts with (liblsl sample::assign_test_pattern): an inlet compares them with
/// its own and drops the connection on any difference, so they prove the format was negotiated right.
public enum LSLTestPattern {
    /// Patterns are sent in this order, right after the feed header.
    public static let patterns = [4, 2]
    public static let timestamp = 123456.789

    /// Channel k holds k + offset, negated for odd k; the offset differs per type, and integers wrap modulo the
    /// type's maximum, so every byte of every value width is exercised.
    public static func values(_ pattern: Int, format: LSLChannelFormat, channels: Int) -> LSLSamples {
        let ks = 0..<channels
        func sign(_ k: Int) -> Int { k % 2 == 0 ? 1 : -1 }
        func wrapped(_ k: Int, _ offset: Int, _ max: Int) -> Int { sign(k) * ((k + offset) % max) }
        switch format {
        case .float32: return .float32(ks.map { Float(sign($0) * ($0 + pattern)) })
        case .double64: return .double64(ks.map { Double(sign($0) * ($0 + pattern + 16_777_217)) })
        case .int32: return .int32(ks.map { Int32(wrapped($0, pattern + 65_537, Int(Int32.max))) })
        case .int16: return .int16(ks.map { Int16(wrapped($0, pattern + 257, Int(Int16.max))) })
        case .int8: return .int8(ks.map { Int8(wrapped($0, pattern + 1, Int(Int8.max))) })
        case .int64: return .int64(ks.map { Int64(sign($0) * ($0 + 2_147_483_649 + pattern)) })
        case .string: return .string(ks.map { String(($0 + 10) * sign($0)) })
        }
    }
}
