extension UInt64 {
    /// `self + other`, or `UInt64.max` when that does not fit.
    ///
    /// For counts the index rule keeps below 2⁶⁴ (every index below `StreamIndex.nextIndex` is counted
    /// once, received or lost), summed across causes or devices: a count that would pass 2⁶⁴ − 1 means a
    /// broken or hostile instrument pushed it there, and a summary that says "at least this many" is
    /// better than a recorder that traps and loses the file.
    @inlinable
    public func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
