/// How an outlet trades memory and bytes for fidelity.
public struct LSLOutletOptions: Sendable, Equatable {
    /// The most samples queued for one inlet before its oldest are dropped (and counted). An inlet asking for
    /// fewer (its max_buflen) gets fewer. `nil`: ten seconds at the nominal rate, at least 1,024 samples.
    public var maxQueuedSamplesPerInlet: Int?
    /// How far (seconds) an inlet's deduced timestamp may be from the pushed one before the stamp is sent
    /// instead. 0.1 µs keeps every inlet's stamps within a tenth of a microsecond of the pushed ones; a larger
    /// value saves 8 bytes for more samples whose host stamps jitter around the nominal period.
    public var stampTolerance: Double

    public init(maxQueuedSamplesPerInlet: Int? = nil, stampTolerance: Double = 1e-7) {
        self.maxQueuedSamplesPerInlet = maxQueuedSamplesPerInlet
        self.stampTolerance = stampTolerance
    }

    func queueCapacity(nominalRate: Double) -> Int {
        if let maxQueuedSamplesPerInlet { return max(1, maxQueuedSamplesPerInlet) }
        return max(1024, Int(min(nominalRate * 10, 1e8)))
    }
}
