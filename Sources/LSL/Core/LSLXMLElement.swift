/// One element of the info XML: the stream's `desc` tree, and the `<info>` document the XPath queries run on.
/// An element holds text (`<unit>mV</unit>`, empty text written `<unit></unit>` as liblsl does), child elements,
/// or nothing (`<desc />`).
public struct LSLXMLElement: Sendable, Equatable {
    public var name: String
    public var text: String?
    public var children: [LSLXMLElement]

    public init(_ name: String, text: String? = nil, children: [LSLXMLElement] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// Appends a child and returns its position, so a caller can descend into it with `children[i]`.
    @discardableResult
    public mutating func append(_ child: LSLXMLElement) -> Int {
        children.append(child)
        return children.count - 1
    }

    /// Appends `<name>text</name>`, pylsl's `append_child_value`.
    public mutating func append(_ name: String, text: String) {
        children.append(LSLXMLElement(name, text: text))
    }

    /// The first child of that name, as pugixml's `child(name)`.
    public func child(_ name: String) -> LSLXMLElement? { children.first { $0.name == name } }

    /// XPath's string-value: this element's text and every descendant's, in document order.
    public var stringValue: String {
        var out = text ?? ""
        for c in children { out += c.stringValue }
        return out
    }

    /// A name pugixml would write back and every XML reader accepts: a letter or `_`, then letters, digits, `_ - .`.
    /// Checked before an outlet publishes, since a bad name would make the whole info unreadable.
    public func validateNames() throws(LSLError) {
        guard Self.isValidName(name) else { throw .invalidStreamInfo("element name \"\(name)\" is not an XML name") }
        for c in children { try c.validateNames() }
    }

    static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0) }
    }
}
