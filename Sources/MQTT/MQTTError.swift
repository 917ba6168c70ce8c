import CMosquitto
import Glibc

/// A libmosquitto failure, by name. Every libmosquitto call that returns a `mosq_err_t` goes through
/// `MQTTCall.check`, the one place a non-zero code becomes this.
public struct MQTTError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32
    /// The libmosquitto function that failed, or what was being set up.
    public let call: String
    /// errno when libmosquitto says MOSQ_ERR_ERRNO (a refused or unreachable connection, a missing file).
    public let systemError: Int32

    public init(code: Int32, call: String, systemError: Int32 = 0) {
        self.code = code
        self.call = call
        self.systemError = systemError
    }

    /// The `code` of a failure to load libmosquitto itself (then `call` is the loader's reason): below every
    /// `mosq_err_t`, which run from −4 up.
    public static let libraryMissingCode = Int32.min

    static func libraryMissing(_ why: String) -> MQTTError { MQTTError(code: libraryMissingCode, call: why) }

    public var description: String {
        if code == Self.libraryMissingCode {
            return "MQTT needs libmosquitto (\(call)): install the Debian package libmosquitto1"
        }
        if code == Int32(MOSQ_ERR_ERRNO.rawValue), systemError != 0 {
            return "\(call): \(String(cString: strerror(systemError)))"
        }
        // Any other code came from a call into the library, so it is loaded.
        guard let mosquitto = try? LibMosquitto.load() else { return "\(call): libmosquitto error \(code)" }
        return "\(call): \(mosquitto.describe(error: code))"
    }
}

enum MQTTCall {
    static func check(_ call: String, _ rc: Int32) throws(MQTTError) {
        guard rc != Int32(MOSQ_ERR_SUCCESS.rawValue) else { return }
        throw MQTTError(code: rc, call: call, systemError: rc == Int32(MOSQ_ERR_ERRNO.rawValue) ? errno : 0)
    }
}
