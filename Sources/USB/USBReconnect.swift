import Device
import Foundation
import MWP

/// After the instrument with a given serial went away, wait for it to come back and open it again. Woken by
/// hotplug arrivals; it also retries on its own, so a missed event costs one interval.
///
/// Each attempt opens through a libusb context of its own, as `USBDriver` does, because a new context begins with
/// a scan of the kernel's view: `host`'s device list is only as fresh as the udev events that reached it, and a
/// unit whose arrival event was lost would never appear there. `host` serves the hotplug monitor.
public enum USBReconnect {
    public static func waitAndReopen(
        serial: String, host: USBHost, timeoutMs: Int, retryIntervalMs: Int = 250,
        transfersInFlight: Int = TransferSizing.transfersInFlight
    ) throws(TransportError) -> USBTransport {
        try waitAndReopen(
            uri: .usb(vendorID: USBIdentity.vendorID, productID: USBIdentity.productID, serial: serial), host: host,
            timeoutMs: timeoutMs, retryIntervalMs: retryIntervalMs, transfersInFlight: transfersInFlight)
    }

    /// The same for any `usb:` URI (naming the serial to wait for).
    public static func waitAndReopen(
        uri: DeviceURI, host: USBHost, timeoutMs: Int, retryIntervalMs: Int = 250,
        transfersInFlight: Int = TransferSizing.transfersInFlight
    ) throws(TransportError) -> USBTransport {
        let deadline = MonotonicClock.nowNs() + UInt64(max(0, timeoutMs)) * 1_000_000
        let monitor = try? USBHotplugMonitor(host: host, pollIntervalMs: retryIntervalMs)
        defer { monitor?.stop() }
        var lastError: TransportError = .notFound(uri.description)
        while true {
            do throws(TransportError) {
                let fresh: USBHost
                do throws(USBError) { fresh = try USBHost() } catch { throw error.transportError("USB") }
                return try USBTransport(uri: uri, host: fresh, transfersInFlight: transfersInFlight)
            } catch {
                lastError = error
            }
            let now = MonotonicClock.nowNs()
            guard now < deadline else { break }
            let waitMs = min(retryIntervalMs, Int((deadline - now) / 1_000_000) + 1)
            if let monitor {
                _ = monitor.next(timeoutMs: waitMs)
            } else {
                Thread.sleep(forTimeInterval: Double(waitMs) / 1000)
            }
        }
        if case .permissionDenied = lastError { throw lastError }
        throw .notFound("\(uri) did not come back within \(timeoutMs) ms (last: \(lastError))")
    }

    /// Reopens and re-identifies: the session is ready for CONFIGURE and START again.
    public static func waitAndReopenSession(
        serial: String, host: USBHost, timeoutMs: Int, requestTimeoutMs: Int = 1000
    ) throws(DeviceError) -> DeviceSession {
        let transport: USBTransport
        do { transport = try waitAndReopen(serial: serial, host: host, timeoutMs: timeoutMs) } catch {
            throw .transport(error)
        }
        let session = DeviceSession(transport: transport, requestTimeoutMs: requestTimeoutMs)
        do throws(DeviceError) { try session.identify() } catch {
            session.close()
            throw error
        }
        return session
    }
}
