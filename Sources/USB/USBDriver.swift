import Device

/// Plugs the USB driver into the device layer: `usb:VVVV:PPPP[:SERIAL]` URIs open through here.
public enum USBDriver {
    /// Each transport gets its own libusb context, so closing one never disturbs another.
    public static func register(into opener: inout DeviceOpener) {
        opener.registerUSB { uri throws(DeviceError) in
            let host: USBHost
            do throws(USBError) { host = try USBHost() } catch { throw .transport(.other("USB unavailable: \(error)")) }
            do throws(TransportError) { return try USBTransport(uri: uri, host: host) } catch { throw .transport(error) }
        }
    }

    /// What `mosquito list` shows for USB: every Mosquito, accessible or not (with why and the fix).
    public static func listMosquitos() throws(USBError) -> [USBDeviceInfo] {
        try USBDiscovery.list(host: USBHost())
    }
}
