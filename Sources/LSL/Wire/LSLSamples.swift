/// Values of one or more samples, sample-major (sample 0's channels, then sample 1's …), in the stream's type.
public enum LSLSamples: Sendable, Equatable {
    case float32([Float])
    case double64([Double])
    case int32([Int32])
    case int16([Int16])
    case int8([Int8])
    case int64([Int64])
    case string([String])

    public var format: LSLChannelFormat {
        switch self {
        case .float32: .float32
        case .double64: .double64
        case .int32: .int32
        case .int16: .int16
        case .int8: .int8
        case .int64: .int64
        case .string: .string
        }
    }

    public var valueCount: Int {
        switch self {
        case .float32(let v): v.count
        case .double64(let v): v.count
        case .int32(let v): v.count
        case .int16(let v): v.count
        case .int8(let v): v.count
        case .int64(let v): v.count
        case .string(let v): v.count
        }
    }
}
