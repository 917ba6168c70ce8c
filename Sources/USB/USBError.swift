import CLibUSB
import Device

/// A libusb failure, by name. Every libusb call goes through `USBCall.check`, which is the one place a
/// negative return code becomes this.
public struct USBError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Int32, Sendable {
        case io = -1, invalidParam = -2, access = -3, noDevice = -4, notFound = -5, busy = -6, timeout = -7
        case overflow = -8, pipe = -9, interrupted = -10, noMemory = -11, notSupported = -12, other = -99
    }
    public let code: Code
    /// The libusb function that failed, for the message.
    public let call: String

    public init(code: Code, call: String) {
        self.code = code
        self.call = call
    }

    /// libusb's own name for the code (`LIBUSB_ERROR_ACCESS`…).
    public var name: String { String(cString: libusb_error_name(code.rawValue)) }

    public var description: String { "\(call): \(name)" }
}

enum USBCall {
    /// Returns a non-negative result unchanged; maps a negative one to a typed error.
    @discardableResult
    static func check(_ call: String, _ rc: Int32) throws(USBError) -> Int32 {
        guard rc < 0 else { return rc }
        throw USBError(code: USBError.Code(rawValue: rc) ?? .other, call: call)
    }
}

extension USBError {
    /// What the device layer reports, phrased for a user holding the cable.
    func transportError(_ what: String) -> TransportError {
        switch code {
        case .access: .permissionDenied(what)
        case .noDevice: .disconnected("\(what) was unplugged")
        case .notFound: .notFound(what)
        case .timeout: .other("\(what): USB transfer timed out (\(call))")
        case .busy: .other("\(what) is busy: another program has claimed its interface")
        default: .other("\(what): \(description)")
        }
    }
}
