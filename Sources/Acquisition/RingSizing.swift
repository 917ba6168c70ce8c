/// How many frames a device's ring holds: enough for the recorder to fall `seconds` behind at `rateHz`,
/// rounded up to a power of two.
///
/// Sized by time rather than by a fixed frame count because the ring is most of the process's memory at
/// high rates (16 channels at 100 kS/s fill 8 MB a second) and almost nothing at low ones; the floor keeps
/// many wire frames' worth of slack when the rate is low.
public enum RingSizing {
    public static let minimumFrames = 1 << 14
    public static let maximumFrames = 1 << 26
    public static let defaultSeconds = 1.0

    public static func capacity(rateHz: UInt32, seconds: Double) -> Int {
        let wanted = (Double(rateHz) * max(0, seconds)).rounded(.up)
        let frames = wanted.isFinite ? Int(min(wanted, Double(maximumFrames))) : maximumFrames
        var capacity = minimumFrames
        while capacity < frames { capacity <<= 1 }
        return capacity
    }
}
