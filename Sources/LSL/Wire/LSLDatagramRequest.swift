/// A UDP request to the discovery port or a stream's service port (liblsl udp_server): a method line, then
/// the method's arguments.
public enum LSLDatagramRequest: Sendable, Equatable {
    /// `LSL:shortinfo\r\n<query>\r\n<return port> <query id>\r\n`: reply `<query id>\r\n<shortinfo>` to the
    /// sender's address at the return port, if the query matches.
    case shortinfo(query: String, returnPort: Int, queryID: String)
    /// `LSL:timedata\r\n<wave id> <t0>\r\n`: a time-correction probe (service port only).
    case timedata(waveID: Int, t0: Double)

    /// Anything else is ignored (as liblsl does); the reason is for a debug line, not an error.
    public static func parse(_ bytes: some Collection<UInt8>) -> Result<LSLDatagramRequest, Unparsable> {
        // Split on LF bytes: as Characters, "\r\n" is one grapheme and would never split at "\n".
        var lines = Array(bytes).split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }.makeIterator()
        let method = lines.next()?.trimmingXMLWhitespace() ?? ""
        switch method {
        case "LSL:shortinfo":
            guard let query = lines.next()?.trimmingXMLWhitespace() else {
                return .failure(Unparsable(reason: "shortinfo without a query line"))
            }
            let words = (lines.next() ?? "").split(whereSeparator: \.isWhitespace)
            guard words.count >= 2, let port = Int(words[0]), (1...65535).contains(port) else {
                return .failure(Unparsable(reason: "shortinfo without a valid return port and query id"))
            }
            return .success(.shortinfo(query: query, returnPort: port, queryID: String(words[1])))
        case "LSL:timedata":
            let words = (lines.next() ?? "").split(whereSeparator: \.isWhitespace)
            guard words.count >= 2, let wave = Int(words[0]), let t0 = Double(words[1]) else {
                return .failure(Unparsable(reason: "timedata without a wave id and t0"))
            }
            return .success(.timedata(waveID: wave, t0: t0))
        default:
            return .failure(Unparsable(reason: "unknown method \"\(method.prefix(40))\""))
        }
    }

    public struct Unparsable: Error, Sendable, Equatable {
        public let reason: String
    }

    /// The reply to a matching shortinfo query.
    public static func shortinfoReply(queryID: String, shortinfo: String) -> String { queryID + "\r\n" + shortinfo }

    /// The reply to a timedata probe: ` <wave id> <t0> <t1> <t2>`, each time with 16 significant digits
    /// (t1 = receipt, t2 = send, on the outlet's clock).
    public static func timedataReply(waveID: Int, t0: Double, t1: Double, t2: Double) -> String {
        " \(waveID) \(LSLNumberText.timeField(t0)) \(LSLNumberText.timeField(t1)) \(LSLNumberText.timeField(t2))"
    }
}
