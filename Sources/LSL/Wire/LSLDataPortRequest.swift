/// What a client asks on a stream's TCP data port (liblsl tcp_server client_session): the first line names the
/// request, and each kind reads what it needs after it.
public enum LSLDataPortRequest: Sendable, Equatable {
    /// `LSL:shortinfo`, then one query line.
    case shortinfo(query: String)
    /// `LSL:fullinfo`: the whole info XML, then close.
    case fullinfo
    /// `LSL:streamfeed/<version> [uid]`, then header lines up to an empty line.
    case streamfeed(LSLStreamFeedRequest)
    /// Anything else, the legacy `LSL:streamfeed` of protocol 1.00 included: named so it can be logged once.
    case unsupported(String)
}

/// Accumulates bytes from a data-port connection until one whole request is there. Lines end with LF (a CR
/// before it is trimmed, like liblsl's getline + trim); a request that grows past `maxBytes` without completing
/// is garbage, not a slow client.
public struct LSLDataPortRequestParser: Sendable {
    public enum Outcome: Sendable, Equatable {
        case needMoreData
        case request(LSLDataPortRequest)
        /// The bytes cannot become a request; the connection should be closed with this reason logged.
        case garbage(String)
    }

    public static let defaultMaxBytes = 64 * 1024
    private let maxBytes: Int
    private var buffered: [UInt8] = []

    public init(maxBytes: Int = defaultMaxBytes) { self.maxBytes = maxBytes }

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> Outcome where Bytes.Element == UInt8 {
        buffered.append(contentsOf: bytes)
        let outcome = Self.parse(buffered)
        if outcome == .needMoreData, buffered.count > maxBytes {
            return .garbage("no complete request in the first \(maxBytes) bytes")
        }
        return outcome
    }

    static func parse(_ bytes: [UInt8]) -> Outcome {
        var lines = LineScanner(bytes)
        guard let method = lines.next() else { return .needMoreData }
        switch method {
        case "LSL:shortinfo":
            guard let query = lines.next() else { return .needMoreData }
            return .request(.shortinfo(query: query))
        case "LSL:fullinfo":
            return .request(.fullinfo)
        case _ where method.hasPrefix("LSL:streamfeed/"):
            var headers: [String] = []
            while true {
                guard let line = lines.next() else { return .needMoreData }
                if line.isEmpty { break }
                headers.append(line)
            }
            do {
                return .request(.streamfeed(try LSLStreamFeedRequest(requestLine: method, headerLines: headers)))
            } catch {
                return .garbage(error.description)
            }
        case "LSL:streamfeed":
            return .request(.unsupported("a protocol 1.00 stream feed (liblsl before 1.10)"))
        default:
            let shown = method.count > 60 ? String(method.prefix(60)) + "…" : method
            return .request(.unsupported("an unknown request line \"\(shown)\""))
        }
    }
}

/// Lines of a byte buffer, trimmed of surrounding whitespace; the last, unterminated piece is not a line yet.
struct LineScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> String? {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self).trimmingXMLWhitespace()
    }
}
