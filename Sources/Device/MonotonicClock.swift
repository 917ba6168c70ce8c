#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC in nanoseconds: the clock every interval here is measured on.
public enum MonotonicClock {
    public static func nowNs() -> UInt64 { UInt64(nanoseconds(CLOCK_MONOTONIC)) }
}

/// Wall-clock UTC in nanoseconds since the Unix epoch: for records, never for intervals.
public enum UTCClock {
    public static func nowNs() -> Int64 { nanoseconds(CLOCK_REALTIME) }
}

/// `clock`'s reading in nanoseconds (Int64 holds 292 years: since boot, or since 1970 until 2262).
private func nanoseconds(_ clock: clockid_t) -> Int64 {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}
