/// Why a query is outside the XPath 1.0 subset this outlet evaluates. liblsl answers such a query with no
/// match and a logged warning; so does this outlet.
public struct XPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
