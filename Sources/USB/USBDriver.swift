import Device

/// Plugs the USB driver into the device layer: `usb:VVVV:PPPP[:SERIAL]` URIs open through here, and an
/// instrument followed through an outage is waited for on hotplug arrivals (``USBReconnect``), not by polling.
public enum USBDriver {
    /// Each transport gets its own libusb context, so closing one never disturbs another.
    public static func register(into opener: inout DeviceOpener) {
        opener.register(.usb, open: { uri throws(DeviceError) in
            let host = try host()
            do throws(TransportError) { return try USBTransport(uri: uri, host: host) } catch { throw .transport(error) }
        }, awaitReturn: { uri, serial, waitMs throws(DeviceError) in
            guard case .usb(let vendorID, let productID, _) = uri else { throw .transport(.other("\(uri) is not a USB URI")) }
            let host = try host()
            do throws(TransportError) {
                return try USBReconnect.waitAndReopen(
                    uri: .usb(vendorID: vendorID, productID: productID, serial: serial), host: host, timeoutMs: waitMs)
            } catch {
                throw .transport(error)
            }
        })
    }

    private static func host() throws(DeviceError) -> USBHost {
        do throws(USBError) { return try USBHost() } catch { throw .transport(.other("USB unavailable: \(error)")) }
    }

    /// What `mosquito list` shows for USB: every Mosquito, accessible or not (with why and the fix).
    public static func listMosquitos() throws(USBError) -> [USBDeviceInfo] {
        try USBDiscovery.list(host: USBHost())
    }
}
