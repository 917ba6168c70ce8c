import CLibUSB

/// One libusb context and the thread handling its events: what transports, discovery and hotplug share.
/// The context outlives everything opened through it because each of those holds the host.
/// Unchecked: immutable after init; libusb contexts are thread-safe.
public final class USBHost: @unchecked Sendable {
    private let context: USBContext
    private let events: EventThread

    public init() throws(USBError) {
        context = try USBContext()
        events = EventThread(context: context.raw)
    }

    deinit { events.stop() }

    var raw: OpaquePointer { context.raw }

    /// Whether this libusb (and platform) delivers hotplug callbacks; without them, monitors poll.
    public var supportsHotplug: Bool { libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 }
}
