/// 128 bytes of nothing, placed between fields written by different threads so that the producer's
/// and the consumer's hot words never share a cache line (128 rather than 64 because x86's adjacent-line
/// prefetcher pulls lines in pairs). Swift lays out a final class's stored properties in declaration order.
struct CacheLinePadding {
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    init() {}
}
