/// A parsed query. Paths are child steps from the `<info>` element (or, absolute, from the document root).
indirect enum XPathExpression: Equatable, Sendable {
    case or(XPathExpression, XPathExpression)
    case and(XPathExpression, XPathExpression)
    case compare(XPathComparison, XPathExpression, XPathExpression)
    case negate(XPathExpression)
    case literal(String)
    case number(Double)
    case path(absolute: Bool, steps: [XPathStep])
    case call(String, [XPathExpression])
}

enum XPathComparison: Equatable, Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

enum XPathStep: Equatable, Sendable {
    case child(String)
    case anyChild
    case current
}
