/// A stream as a resolver sees it: the fields of a shortinfo reply, and where the reply came from.
public struct LSLResolvedStream: Sendable, Equatable {
    public var name: String
    public var type: String
    public var channelCount: Int
    public var channelFormat: String
    public var sourceID: String
    public var nominalRate: Double
    public var uid: String
    public var sessionID: String
    public var hostname: String
    public var v4DataPort: Int
    public var v4ServicePort: Int
    public var v6DataPort: Int
    /// The address the reply came from (what liblsl fills into v4address/v6address).
    public var address: String

    /// Reads the flat fields of a shortinfo document (its desc is empty); nil without a name and a uid, which
    /// liblsl's reader needs too.
    public init?(shortinfo xml: String, address: String) {
        func field(_ tag: String) -> String {
            guard let open = xml.range(of: "<\(tag)>"), let close = xml.range(of: "</\(tag)>", range: open.upperBound..<xml.endIndex)
            else { return "" }
            return Self.unescaped(String(xml[open.upperBound..<close.lowerBound]))
        }
        name = field("name")
        uid = field("uid")
        guard !name.isEmpty, !uid.isEmpty else { return nil }
        type = field("type")
        channelCount = Int(field("channel_count")) ?? 0
        channelFormat = field("channel_format")
        sourceID = field("source_id")
        nominalRate = Double(field("nominal_srate")) ?? 0
        sessionID = field("session_id")
        hostname = field("hostname")
        v4DataPort = Int(field("v4data_port")) ?? 0
        v4ServicePort = Int(field("v4service_port")) ?? 0
        v6DataPort = Int(field("v6data_port")) ?? 0
        self.address = address
    }

    static func unescaped(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
