/// The Mosquito on USB. The one place these numbers live: udev rules and the USB driver read them from here.
public enum USBIdentity {
    /// pid.codes, the open-hardware vendor ID.
    public static let vendorID: UInt16 = 0x1209
    /// pid.codes test PID, until the project has its own.
    public static let productID: UInt16 = 0x0001
    public static let interfaceNumber: UInt8 = 0
    public static let bulkOut: UInt8 = 0x01
    public static let bulkIn: UInt8 = 0x81
}
