import Device
import Replay
import USB

/// Transports that live above the device layer (USB, replay) register here.
enum Registrations {
    static func all(_ opener: inout DeviceOpener) {
        USBDriver.register(into: &opener)
        opener.registerReplay { uri throws(DeviceError) in try ReplayTransport.open(uri) }
    }
}
