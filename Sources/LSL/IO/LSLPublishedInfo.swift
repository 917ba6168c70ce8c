/// The stream description as announced, with everything a request needs precomputed once.
final class LSLPublishedInfo: Sendable {
    let info: LSLStreamInfo
    let shortinfo: String
    let fullinfo: String
    /// The `<info>` element with the full desc: what queries are evaluated against.
    let document: LSLXMLElement

    init(_ info: LSLStreamInfo) {
        self.info = info
        shortinfo = info.shortinfo
        fullinfo = info.fullinfo
        document = info.infoElement(includingDesc: true)
    }

    func matches(_ query: LSLQuery, log: LSLLog) -> Bool {
        do {
            return try query.matches(document: document)
        } catch {
            log.warning("query \"\(query.text)\" cannot be evaluated (\(error)); it matches no stream")
            return false
        }
    }

    func matches(_ query: String, log: LSLLog) -> Bool {
        LSLQuery.matches(query, document: document, warn: log.warning)
    }
}
