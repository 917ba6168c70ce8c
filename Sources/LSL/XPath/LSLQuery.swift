/// A resolver's query, compiled once and evaluated against any number of streams' info documents.
public struct LSLQuery: Sendable {
    public let text: String
    private let expression: XPathExpression?

    /// Parses a query; an empty query matches every stream (liblsl's rule).
    public init(_ text: String) throws(XPathError) {
        self.text = text.trimmingXMLWhitespace()
        expression = self.text.isEmpty ? nil : try XPathParser.parse(self.text)
    }

    /// Whether the query selects a stream, given its `<info>` element with the full desc.
    public func matches(document info: LSLXMLElement) throws(XPathError) -> Bool {
        guard let expression else { return true }
        return try XPathEvaluator(context: info).evaluate(expression).boolean
    }

    /// The whole rule in one call: a query that cannot be evaluated matches nothing, and says why once to `warn`.
    public static func matches(_ query: String, document info: LSLXMLElement, warn: (String) -> Void) -> Bool {
        do {
            return try LSLQuery(query).matches(document: info)
        } catch {
            warn("LSL query \"\(query)\" is outside the supported XPath subset (\(error)); it matches no stream")
            return false
        }
    }
}
