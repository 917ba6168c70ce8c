import Simulator

/// Turns a device URI into a live transport. The device layer knows the simulator and ttys; higher layers
/// register the schemes they bring (USB, replay), so the dependency arrows keep pointing down.
public struct DeviceOpener: Sendable {
    public typealias Open = @Sendable (DeviceURI) throws(DeviceError) -> any Transport
    private var usb: Open?
    private var replay: Open?

    public init() {}

    public mutating func registerUSB(_ open: @escaping Open) { usb = open }
    public mutating func registerReplay(_ open: @escaping Open) { replay = open }

    public func openTransport(_ uri: DeviceURI) throws(DeviceError) -> any Transport {
        switch uri {
        case .simulator(let options):
            do throws(SimulatorError) {
                return SimulatorTransport(config: try SimulatorConfig(options: options))
            } catch {
                throw .transport(.other("simulator: \(error)"))
            }
        case .serial(let path):
            do throws(TransportError) { return try SerialTransport(path: path) } catch { throw .transport(error) }
        case .usb:
            guard let usb else { throw .transport(.other("this build has no USB driver")) }
            return try usb(uri)
        case .replay:
            guard let replay else { throw .transport(.other("this build cannot replay recordings")) }
            return try replay(uri)
        }
    }

    /// Opens the link and asks the instrument who it is.
    public func openSession(_ uri: DeviceURI, requestTimeoutMs: Int = 1000) throws(DeviceError) -> DeviceSession {
        let session = DeviceSession(transport: try openTransport(uri), requestTimeoutMs: requestTimeoutMs)
        do throws(DeviceError) {
            try session.identify()
        } catch {
            session.close()
            throw error
        }
        return session
    }

    public func openSession(_ text: String, requestTimeoutMs: Int = 1000) throws(DeviceError) -> DeviceSession {
        let uri: DeviceURI
        do throws(DeviceURIError) { uri = try DeviceURI(parsing: text) } catch { throw .uri(error) }
        return try openSession(uri, requestTimeoutMs: requestTimeoutMs)
    }
}
