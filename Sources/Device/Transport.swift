/// A byte pipe to one instrument. MWP/1 rides on it unchanged whatever carries it (USB bulk, CDC-ACM, UART,
/// a pseudo-terminal, or the in-process simulator).
public protocol Transport: AnyObject, Sendable {
    var description: String { get }
    func send(_ bytes: UnsafeRawBufferPointer) throws(TransportError)
    /// Waits up to `timeoutMs` for bytes; returns how many arrived (0 on timeout).
    func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws(TransportError) -> Int
    /// Releases the link; later calls fail with `.closed`.
    func close()
    /// Sets what the instrument measures, where the host can (a simulated unit standing in for a calibration
    /// rig); nil for a real instrument, which only a technician at the bench can move.
    var physicalInput: (any PhysicalInput)? { get }
}

/// The measured quantity of a simulated instrument, set from the host.
public protocol PhysicalInput: Sendable {
    func apply(physical value: Double, channel: Int)
}

extension Transport {
    public var physicalInput: (any PhysicalInput)? { nil }

    public func send(_ bytes: [UInt8]) throws(TransportError) {
        let result: Result<Void, TransportError> = bytes.withUnsafeBytes { p in
            Result { () throws(TransportError) in try send(p) }
        }
        try result.get()
    }
}

public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case permissionDenied(String)
    case notASerialPort(String)
    /// The instrument went away (unplugged, link closed by the other end).
    case disconnected(String)
    /// The source has nothing more to send and says so: a replayed recording reached its last sample.
    /// Not a failure: a recorder ends the run cleanly.
    case endOfStream(String)
    case closed
    case io(SystemError)
    /// Anything else a transport needs to say, already phrased for the user.
    case other(String)

    public var description: String {
        switch self {
        case .notFound(let what): "no such device: \(what)"
        case .permissionDenied(let what):
            "permission denied opening \(what); install the udev rules (make install-udev) or join the plugdev group"
        case .notASerialPort(let what): "\(what) is not a serial port"
        case .disconnected(let what): "device disconnected: \(what)"
        case .endOfStream(let what): "end of stream: \(what)"
        case .closed: "link already closed"
        case .io(let e): e.description
        case .other(let why): why
        }
    }
}
