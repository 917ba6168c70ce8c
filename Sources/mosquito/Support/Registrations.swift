import Device
import Replay

/// Transports that live above the device layer (USB, replay) register here.
enum Registrations {
    static func all(_ opener: inout DeviceOpener) {
        opener.registerReplay { uri throws(DeviceError) in try ReplayTransport.open(uri) }
    }
}
