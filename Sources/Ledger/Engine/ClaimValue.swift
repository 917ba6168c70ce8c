extension ClaimRuleSpec {
    /// Claim value, fixed at creation: work = hours × rate × factor; others = value × factor;
    /// rounded half up to a minor unit once.
    func claimValue(of event: ContributionEvent, exponent: Int) throws(LedgerError) -> Int64 {
        let factor = self.factor ?? LedgerDecimal(1)
        if event.kind == .work, let hours = event.hours, let rate = event.rate {
            return try LedgerDecimal.minorUnits(product: [hours, rate, factor], exponent: exponent)
        }
        return try LedgerDecimal.minorUnits(product: [LedgerDecimal(mantissa: event.value, scale: 0), factor],
                                            exponent: 0)
    }
}
