/// The outlet's answer to a stream-feed request (liblsl tcp_server handle_read_feedparams), decided without I/O.
public enum LSLStreamFeedReply: Sendable, Equatable {
    /// Send `header`, then the two test patterns; stream samples unless `maxBuffered` is 0 (then close, as liblsl
    /// does: a convenience its own tests use).
    case accept(header: String, maxBuffered: Int, maxChunk: Int)
    /// Send this status line (no line end, as liblsl sends it) and close.
    case refuse(statusLine: String, reason: String)

    public static func negotiate(_ request: LSLStreamFeedRequest, info: LSLStreamInfo) -> LSLStreamFeedReply {
        let ours = LSLStreamInfo.protocolVersion
        if request.version / 100 > ours / 100 {
            return .refuse(statusLine: "LSL/\(ours) 505 Version not supported", reason: "protocol \(request.version) is newer than \(ours)")
        }
        if !request.uid.isEmpty, request.uid != info.uid {
            return .refuse(statusLine: "LSL/\(ours) 404 Not found", reason: "uid \(request.uid) is not this stream's (it restarted)")
        }
        // Protocol 1.00 (portable binary archives) is what liblsl falls back to for a request below 1.10, a value
        // size other than ours, or non-IEEE floats. This outlet speaks 1.10 only; such an inlet is told so.
        let unsupported = LSLStreamFeedReply.refuse(
            statusLine: "LSL/\(ours) 505 Version not supported", reason: "the inlet needs protocol 1.00, which this outlet does not speak")
        guard request.version >= 110 else { return unsupported }
        do {
            let valueSize = try request.integer("value-size") ?? info.channelFormat.valueSize
            if info.channelFormat != .string, valueSize != info.channelFormat.valueSize { return unsupported }
            if try request.flag("has-ieee754-floats") == false { return unsupported }
            let supportsSubnormals = try request.flag("supports-subnormals") ?? true
            let suppress = info.channelFormat.hasSubnormals && !supportsSubnormals
            // Absent, liblsl's outlet keeps 0 for both: 0 buffered means "header and test patterns only".
            let maxBuffered = try request.integer("max-buffer-length") ?? 0
            let maxChunk = try request.integer("max-chunk-length") ?? 0
            _ = try request.integer("native-byte-order")
            let header = "LSL/\(ours) 200 OK\r\n" + "UID: \(info.uid)\r\n"
                + "Byte-Order: \(LSLSampleEncoder.hostByteOrder)\r\n" + "Suppress-Subnormals: \(suppress ? 1 : 0)\r\n"
                + "Data-Protocol-Version: \(min(ours, request.version))\r\n\r\n"
            return .accept(header: header, maxBuffered: maxBuffered, maxChunk: maxChunk)
        } catch {
            return .refuse(statusLine: "LSL/\(ours) 400 Bad request", reason: error.description)
        }
    }
}
