import CMosquitto

/// libmosquitto's functions, resolved from libmosquitto.so.1 when the first client is made rather than linked
/// (CMosquitto.h says why). Call them as `mosquitto.publish(…)`: the name of the C function without `mosquitto_`.
@dynamicMemberLookup
struct LibMosquitto: @unchecked Sendable {
    /// Sendable: the table is filled once, before the first successful load returns, and never written again.
    private let table: UnsafePointer<cmosquitto_functions>

    /// The loaded (and initialised) library, or why it cannot be loaded.
    static func load() throws(MQTTError) -> LibMosquitto {
        var why: UnsafePointer<CChar>?
        guard let table = cmosquitto_load(&why) else {
            throw MQTTError.libraryMissing(why.map { String(cString: $0) } ?? "libmosquitto.so.1 cannot be loaded")
        }
        return LibMosquitto(table: table)
    }

    /// libmosquitto's words for a `mosq_err_t`.
    func describe(error code: Int32) -> String { self.strerror(code).map { String(cString: $0) } ?? "error \(code)" }

    /// libmosquitto's words for an MQTT v5 reason code (a refused CONNECT).
    func describe(reason code: Int32) -> String { self.reason_string(code).map { String(cString: $0) } ?? "reason \(code)" }

    subscript<Function>(dynamicMember function: KeyPath<cmosquitto_functions, Function>) -> Function {
        table.pointee[keyPath: function]
    }
}
