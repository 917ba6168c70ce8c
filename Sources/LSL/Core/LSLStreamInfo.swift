/// What an outlet announces: the fields of liblsl's stream_info in their XML order, and the `desc` tree.
/// The identity (name … source_id) is fixed at creation; the connection fields are filled by the outlet when
/// it opens its ports, as liblsl's tcp_server and udp_server do.
public struct LSLStreamInfo: Sendable, Equatable {
    /// The protocol this implementation speaks (1.10), announced as `version`.
    public static let protocolVersion = 110

    public let name: String
    public let type: String
    public let channelCount: Int
    /// Samples per second; 0 is liblsl's IRREGULAR_RATE (markers, events).
    public let nominalRate: Double
    public let channelFormat: LSLChannelFormat
    public let sourceID: String
    /// The `<desc>` element; children only (its own name stays `desc`).
    public var desc: LSLXMLElement

    public internal(set) var createdAt: Double = 0
    public internal(set) var uid: String = ""
    public internal(set) var sessionID: String = ""
    public internal(set) var hostname: String = ""
    public internal(set) var v4DataPort: Int = 0
    public internal(set) var v4ServicePort: Int = 0
    public internal(set) var v6DataPort: Int = 0
    public internal(set) var v6ServicePort: Int = 0

    public init(
        name: String, type: String, channelCount: Int, nominalRate: Double, channelFormat: LSLChannelFormat,
        sourceID: String, desc: LSLXMLElement = LSLXMLElement("desc")
    ) throws(LSLError) {
        // The same checks liblsl's constructor makes, so a reader never sees what liblsl could not have sent.
        guard !name.isEmpty else { throw .invalidStreamInfo("the name must not be empty") }
        guard channelCount >= 1, channelCount <= Int(Int32.max) else {
            throw .invalidStreamInfo("channel count \(channelCount) (needs at least 1)")
        }
        guard nominalRate.isFinite, nominalRate >= 0 else {
            throw .invalidStreamInfo("nominal rate \(nominalRate) (needs a finite value ≥ 0; 0 means irregular)")
        }
        self.name = name
        self.type = type
        self.channelCount = channelCount
        self.nominalRate = nominalRate
        self.channelFormat = channelFormat
        self.sourceID = sourceID
        self.desc = desc
        self.desc.name = "desc"
    }

    /// The `<info>` element, with the whole desc (fullinfo) or an empty one (shortinfo).
    public func infoElement(includingDesc: Bool) -> LSLXMLElement {
        func field(_ n: String, _ v: String) -> LSLXMLElement { LSLXMLElement(n, text: v) }
        return LSLXMLElement("info", children: [
            field("name", name),
            field("type", type),
            field("channel_count", String(channelCount)),
            field("channel_format", channelFormat.rawValue),
            field("source_id", sourceID),
            field("nominal_srate", LSLNumberText.infoField(nominalRate)),
            field("version", LSLNumberText.infoField(Double(Self.protocolVersion) / 100)),
            field("created_at", LSLNumberText.infoField(createdAt)),
            field("uid", uid),
            field("session_id", sessionID),
            field("hostname", hostname),
            // The resolver fills the addresses from the reply's source, so the outlet leaves them empty.
            field("v4address", ""),
            field("v4data_port", String(v4DataPort)),
            field("v4service_port", String(v4ServicePort)),
            field("v6address", ""),
            field("v6data_port", String(v6DataPort)),
            field("v6service_port", String(v6ServicePort)),
            includingDesc ? desc : LSLXMLElement("desc"),
        ])
    }

    /// The reply to `LSL:shortinfo`: everything but the desc.
    public var shortinfo: String { LSLXMLWriter.document(infoElement(includingDesc: false)) }
    /// The reply to `LSL:fullinfo`: the whole description.
    public var fullinfo: String { LSLXMLWriter.document(infoElement(includingDesc: true)) }

    /// Whether an XPath query from a resolver selects this stream; liblsl evaluates it on the full info.
    public func matches(_ query: String, warn: (String) -> Void = { _ in }) -> Bool {
        LSLQuery.matches(query, document: infoElement(includingDesc: true), warn: warn)
    }
}
