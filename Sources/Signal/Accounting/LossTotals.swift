/// Exact counts of missing samples per cause.
public struct LossTotals: Sendable, Hashable, Codable {
    public var transportGap: UInt64 = 0
    public var crcError: UInt64 = 0
    public var deviceOverrun: UInt64 = 0
    public var hostOverrun: UInt64 = 0

    public init() {}

    public var total: UInt64 { transportGap + crcError + deviceOverrun + hostOverrun }

    public subscript(cause: Gap.Cause) -> UInt64 {
        get {
            switch cause {
            case .transportGap: transportGap
            case .crcError: crcError
            case .deviceOverrun: deviceOverrun
            case .hostOverrun: hostOverrun
            }
        }
        set {
            switch cause {
            case .transportGap: transportGap = newValue
            case .crcError: crcError = newValue
            case .deviceOverrun: deviceOverrun = newValue
            case .hostOverrun: hostOverrun = newValue
            }
        }
    }
}
