#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lsl_local_clock()`: std::chrono::steady_clock in seconds, which is CLOCK_MONOTONIC on Linux. Timestamps pushed
/// to an outlet and the times in time-correction replies are on this clock.
public enum LSLClock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)) / 1e9
    }
}
