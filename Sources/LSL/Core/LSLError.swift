/// What can go wrong when describing or publishing a stream. Bad input from the network is never an error of
/// this kind: it is logged and counted, and the outlet goes on.
public enum LSLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stream description liblsl's readers would refuse, or XML that could not be written faithfully.
    case invalidStreamInfo(String)
    /// A push that does not fit the stream: wrong value type, a count that is not a whole number of samples,
    /// a timestamp that is not finite.
    case invalidPush(String)
    /// No port in the configured range was free for the stream's data and service sockets.
    case portRangeTaken(base: Int, range: Int)
    /// A socket could not be opened for another reason.
    case network(String)
    /// The outlet was closed before this call.
    case closed

    public var description: String {
        switch self {
        case .invalidStreamInfo(let why): "invalid LSL stream description: \(why)"
        case .invalidPush(let why): "invalid LSL push: \(why)"
        case .portRangeTaken(let base, let range):
            "no free LSL port: every port in \(base)..\(base + range - 1) (TCP and UDP) is taken by other outlets; "
                + "close some, or set [ports] BasePort/PortRange in lsl_api.cfg"
        case .network(let why): "LSL network error: \(why)"
        case .closed: "the LSL outlet is closed"
        }
    }
}
