/// Exact counts of missing samples per cause.
public struct LossTotals: Sendable, Hashable, Codable {
    public var transportGap: UInt64 = 0
    public var crcError: UInt64 = 0
    public var deviceOverrun: UInt64 = 0
    public var hostOverrun: UInt64 = 0

    public init() {}

    /// The causes cover disjoint indices of one stream, so the sum fits; it saturates rather than trap if a
    /// caller adds up totals that are not disjoint.
    public var total: UInt64 {
        transportGap.addingSaturating(crcError).addingSaturating(deviceOverrun).addingSaturating(hostOverrun)
    }

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
