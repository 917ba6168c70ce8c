/// Turns a device URI into a live transport. The device layer opens ttys itself; every other scheme (the
/// simulator, USB, replay) is registered by the layer that brings it, so the dependency arrows keep pointing down.
public struct DeviceOpener: Sendable {
    public typealias Open = @Sendable (DeviceURI) throws(DeviceError) -> any Transport
    /// Opens the instrument with `serial` at a URI once it is back after going away, waiting up to `waitMs` for
    /// it: a scheme that is told of arrivals (USB hotplug) registers one, so that a follow is woken by them.
    public typealias AwaitReturn = @Sendable (DeviceURI, _ serial: String, _ waitMs: Int) throws(DeviceError) -> any Transport

    private struct Driver: Sendable {
        var open: Open
        var awaitReturn: AwaitReturn?
    }

    private var drivers: [DeviceURI.Scheme: Driver] = [:]

    public init() {
        register(.serial) { uri throws(DeviceError) in
            guard case .serial(let path) = uri else { throw .transport(.other("\(uri) is not a serial URI")) }
            do throws(TransportError) { return try SerialTransport(path: path) } catch { throw .transport(error) }
        }
    }

    public mutating func register(_ scheme: DeviceURI.Scheme, open: @escaping Open, awaitReturn: AwaitReturn? = nil) {
        drivers[scheme] = Driver(open: open, awaitReturn: awaitReturn)
    }

    public func openTransport(_ uri: DeviceURI) throws(DeviceError) -> any Transport {
        guard let driver = drivers[uri.scheme] else {
            throw .transport(.other("this build cannot open \(uri.scheme.rawValue): devices"))
        }
        return try driver.open(uri)
    }

    /// Opens the link and asks the instrument who it is.
    public func openSession(_ uri: DeviceURI, requestTimeoutMs: Int = 1000) throws(DeviceError) -> DeviceSession {
        try identified(try openTransport(uri), requestTimeoutMs: requestTimeoutMs)
    }

    public func openSession(_ text: String, requestTimeoutMs: Int = 1000) throws(DeviceError) -> DeviceSession {
        try openSession(try Self.parse(text), requestTimeoutMs: requestTimeoutMs)
    }

    /// Opens an instrument that went away again: woken by its scheme's arrival events where it has them
    /// (waiting up to `waitMs`), otherwise one attempt now.
    public func reopenSession(
        _ text: String, serial: String, waitMs: Int, requestTimeoutMs: Int = 1000
    ) throws(DeviceError) -> DeviceSession {
        let uri = try Self.parse(text)
        guard let awaitReturn = drivers[uri.scheme]?.awaitReturn else {
            return try openSession(uri, requestTimeoutMs: requestTimeoutMs)
        }
        return try identified(try awaitReturn(uri, serial, waitMs), requestTimeoutMs: requestTimeoutMs)
    }

    private static func parse(_ text: String) throws(DeviceError) -> DeviceURI {
        do throws(DeviceURIError) { return try DeviceURI(parsing: text) } catch { throw .uri(error) }
    }

    private func identified(_ transport: any Transport, requestTimeoutMs: Int) throws(DeviceError) -> DeviceSession {
        let session = DeviceSession(transport: transport, requestTimeoutMs: requestTimeoutMs)
        do throws(DeviceError) {
            try session.identify()
        } catch {
            session.close()
            throw error
        }
        return session
    }
}
