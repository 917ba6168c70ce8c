/// An inlet's `LSL:streamfeed/<version> [uid]` request and the headers it sends (liblsl data_receiver), read as the
/// outlet reads them: key lower-cased and trimmed, value cut at `;`, lower-cased and trimmed.
public struct LSLStreamFeedRequest: Sendable, Equatable {
    public let version: Int
    public let uid: String
    public let headers: [String: String]

    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(requestLine: String, headerLines: [String]) throws(Malformed) {
        let parts = requestLine.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = parts.first, first.hasPrefix("LSL:streamfeed/"),
            let version = Int(first.dropFirst("LSL:streamfeed/".count))
        else { throw Malformed(description: "a stream-feed request line without a protocol version: \"\(requestLine)\"") }
        self.version = version
        uid = parts.count > 1 ? String(parts[1]) : ""
        var headers: [String: String] = [:]
        for line in headerLines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            var value = line[line.index(after: colon)...]
            if let semicolon = value.firstIndex(of: ";") { value = value[..<semicolon] }
            let key = line[..<colon].lowercased().trimmingXMLWhitespace()
            headers[key] = value.lowercased().trimmingXMLWhitespace()
        }
        self.headers = headers
    }

    /// A numeric header; absent gives `nil`, present but not a number is malformed.
    func integer(_ key: String) throws(Malformed) -> Int? {
        guard let text = headers[key] else { return nil }
        guard let value = Int(text) else { throw Malformed(description: "header \(key): \"\(text)\" is not an integer") }
        return value
    }

    /// liblsl reads booleans with `>>` into bool: "0" or "1" (anything else counts as false there; here it is
    /// malformed, since a header we misread would make the test patterns fail later with a vaguer message).
    func flag(_ key: String) throws(Malformed) -> Bool? {
        guard let text = headers[key] else { return nil }
        switch text {
        case "1", "true": return true
        case "0", "false": return false
        default: throw Malformed(description: "header \(key): \"\(text)\" is not 0 or 1")
        }
    }
}
