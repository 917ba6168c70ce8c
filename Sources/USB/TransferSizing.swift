import MWP

/// How big each bulk IN transfer is: about `intervalMs` of the configured stream, a whole number of packets.
///
/// Small enough that eight in flight stay far inside Linux's 16 MiB usbfs budget, large enough that the host
/// handles ~100 completions a second at any rate instead of one per packet.
public enum TransferSizing {
    public static let transfersInFlight = 8
    public static let intervalMs = 10
    /// Before CONFIGURE the rate is unknown; replies and low-rate streams fit easily in this.
    public static let defaultBytes = 16 * 1024
    public static let maxBytes = 1 << 20

    /// Bytes a SAMPLES stream puts on the wire per second: values, COBS overhead (1 in 254), and per-frame
    /// header, CRC and delimiter at up to 500 frames a second (the firmware sends ~2 ms frames).
    public static func wireBytesPerSecond(rateHz: UInt32, channels: Int) -> Int {
        let values = Int(rateHz) * max(1, channels) * 4
        let cobs = values / 254 + 1
        let perFrame = 4 + SamplesHeader.wireLength + 4 + 2
        return values + cobs + 500 * perFrame
    }

    public static func transferBytes(rateHz: UInt32, channels: Int, maxPacketSize: Int) -> Int {
        let packet = max(1, maxPacketSize)
        let wanted = wireBytesPerSecond(rateHz: rateHz, channels: channels) * intervalMs / 1000
        let packets = max(1, (wanted + packet - 1) / packet)
        return min(maxBytes / packet * packet, packets * packet)
    }
}
