import LSL

/// Why a device could not be published.
public enum LSLPublishError: Error, Sendable, Equatable, CustomStringConvertible {
    case lsl(LSLError)
    /// The processing asked for does not fit the device's rate.
    case pipeline(String)

    public var description: String {
        switch self {
        case .lsl(let e): e.description
        case .pipeline(let why): why
        }
    }
}
