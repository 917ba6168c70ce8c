/// The value type of every channel of a stream, as `channel_format` names it in the info XML.
public enum LSLChannelFormat: String, Sendable, Equatable, CaseIterable {
    case float32, double64, string, int32, int16, int8, int64

    /// Bytes of one value on the wire; strings carry their own length.
    public var valueSize: Int {
        switch self {
        case .float32, .int32: 4
        case .double64, .int64: 8
        case .int16: 2
        case .int8: 1
        case .string: 0
        }
    }

    /// Whether an inlet that cannot handle subnormal numbers must be told to flush them (liblsl's format_subnormal).
    var hasSubnormals: Bool { self == .float32 || self == .double64 }
}
