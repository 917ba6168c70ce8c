/// Exact counts of missing samples per cause: the one type for loss by cause, in a run's summary, a hub's
/// status, a recording's summary and an LSL or MQTT outlet.
public struct LossTotals: Sendable, Hashable {
    public var transportGap: UInt64 = 0
    public var crcError: UInt64 = 0
    public var deviceOverrun: UInt64 = 0
    public var hostOverrun: UInt64 = 0
    public var network: UInt64 = 0
    public var writeFailed: UInt64 = 0

    public init() {}

    /// The sum of `gaps`' counts by cause (saturating: a crafted file's counts may add up past 2⁶⁴ − 1).
    public init<S: Sequence<Gap>>(gaps: S) {
        for gap in gaps { self[gap.cause] = self[gap.cause].addingSaturating(gap.count) }
    }

    /// The causes cover disjoint indices of one stream, so the sum fits; it saturates rather than trap if a
    /// caller adds up totals that are not disjoint.
    public var total: UInt64 {
        GapCause.allCases.reduce(0) { $0.addingSaturating(self[$1]) }
    }

    public subscript(cause: GapCause) -> UInt64 {
        get {
            switch cause {
            case .transportGap: transportGap
            case .crcError: crcError
            case .deviceOverrun: deviceOverrun
            case .hostOverrun: hostOverrun
            case .network: network
            case .writeFailed: writeFailed
            }
        }
        set {
            switch cause {
            case .transportGap: transportGap = newValue
            case .crcError: crcError = newValue
            case .deviceOverrun: deviceOverrun = newValue
            case .hostOverrun: hostOverrun = newValue
            case .network: network = newValue
            case .writeFailed: writeFailed = newValue
            }
        }
    }

    /// By the name a recording's gaps table gives each cause: every cause an acquisition declares, zeros
    /// included, and `network` or `write_failed` when there is any.
    public var byName: [String: UInt64] {
        var named: [String: UInt64] = [:]
        for cause in GapCause.allCases where GapCause.acquisition.contains(cause) || self[cause] > 0 {
            named[cause.rawValue] = self[cause]
        }
        return named
    }

    /// Only the causes that lost something, by name.
    public var nonzeroByName: [String: UInt64] { byName.filter { $0.value > 0 } }
}

/// JSON (`record --json`): the acquisition's four causes and their total, as it always was; `network` only
/// when an archive counted any, `writeFailed` only when a recording's write failed.
extension LossTotals: Codable {
    private enum CodingKeys: String, CodingKey {
        case transportGap, crcError, deviceOverrun, hostOverrun, network, writeFailed, total
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transportGap = try c.decode(UInt64.self, forKey: .transportGap)
        crcError = try c.decode(UInt64.self, forKey: .crcError)
        deviceOverrun = try c.decode(UInt64.self, forKey: .deviceOverrun)
        hostOverrun = try c.decode(UInt64.self, forKey: .hostOverrun)
        network = try c.decodeIfPresent(UInt64.self, forKey: .network) ?? 0
        writeFailed = try c.decodeIfPresent(UInt64.self, forKey: .writeFailed) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(transportGap, forKey: .transportGap)
        try c.encode(crcError, forKey: .crcError)
        try c.encode(deviceOverrun, forKey: .deviceOverrun)
        try c.encode(hostOverrun, forKey: .hostOverrun)
        if network > 0 { try c.encode(network, forKey: .network) }
        if writeFailed > 0 { try c.encode(writeFailed, forKey: .writeFailed) }
        try c.encode(total, forKey: .total)
    }
}
