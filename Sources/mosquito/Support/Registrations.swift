import Device
import Replay
import Simulator
import USB

/// Every transport this build knows registers its URI scheme here; the device layer itself opens only ttys.
enum Registrations {
    static func all(_ opener: inout DeviceOpener) {
        SimulatorDriver.register(into: &opener)
        USBDriver.register(into: &opener)
        opener.register(.replay) { uri throws(DeviceError) in try ReplayTransport.open(uri) }
    }
}
