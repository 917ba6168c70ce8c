/// What a consumer's ring does when the producer has more frames than the ring has room for.
/// Chosen per consumer; neither policy loses a sample without counting it and reporting its indices.
public enum OverflowPolicy: Sendable, Hashable {
    /// The recorder's path: the producer is told (back-pressure) and may wait; if it gives up, the frames
    /// that did not fit are dropped and reported as a ``Gap`` with cause ``Gap/Cause/hostOverrun``.
    case lossless
    /// The live view's path: the producer never waits; the oldest unread frames make room for the newest,
    /// and those dropped are reported as ``Gap/Cause/hostOverrun`` gaps.
    case keepNewest
}
