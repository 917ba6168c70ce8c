import Device

/// Plugs the simulated instrument into the device layer: `sim[?options]` URIs open through here, in process.
public enum SimulatorDriver {
    public static func register(into opener: inout DeviceOpener) {
        opener.register(.simulator) { uri throws(DeviceError) in
            guard case .simulator(let options) = uri else { throw .transport(.other("\(uri) is not a sim URI")) }
            do throws(SimulatorError) {
                return SimulatorTransport(config: try SimulatorConfig(options: options))
            } catch {
                throw .transport(.other("simulator: \(error)"))
            }
        }
    }
}

extension DeviceOpener {
    /// An opener that knows ttys and the simulator: what tests and tools without hardware use.
    public static var simulated: DeviceOpener {
        var opener = DeviceOpener()
        SimulatorDriver.register(into: &opener)
        return opener
    }
}
