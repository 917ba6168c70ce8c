/// Evaluates a parsed query against the `<info>` element, as pugixml's `evaluate_boolean(info)` does.
struct XPathEvaluator {
    let context: LSLXMLElement
    /// The document node: its one child is `<info>`.
    private var root: LSLXMLElement { LSLXMLElement("", children: [context]) }

    func evaluate(_ e: XPathExpression) throws(XPathError) -> XPathValue {
        switch e {
        // Short-circuit as XPath does (§3.4); spelled out because `||` would widen the typed throw.
        case .or(let a, let b):
            if try evaluate(a).boolean { return .boolean(true) }
            return .boolean(try evaluate(b).boolean)
        case .and(let a, let b):
            if try !evaluate(a).boolean { return .boolean(false) }
            return .boolean(try evaluate(b).boolean)
        case .compare(let op, let a, let b): return .boolean(Self.compare(op, try evaluate(a), try evaluate(b)))
        case .negate(let a): return .number(-(try evaluate(a).number))
        case .literal(let s): return .string(s)
        case .number(let n): return .number(n)
        case .path(let absolute, let steps): return .nodes(walk(from: absolute ? root : context, steps))
        case .call(let name, let args): return try call(name, args)
        }
    }

    private func walk(from start: LSLXMLElement, _ steps: [XPathStep]) -> [LSLXMLElement] {
        var set = [start]
        for step in steps {
            switch step {
            case .child(let n): set = set.flatMap { $0.children.filter { $0.name == n } }
            case .anyChild: set = set.flatMap(\.children)
            case .current: break
            }
        }
        return set
    }

    private func call(_ name: String, _ args: [XPathExpression]) throws(XPathError) -> XPathValue {
        var values: [XPathValue] = []
        for a in args { values.append(try evaluate(a)) }
        func arity(_ allowed: ClosedRange<Int>) throws(XPathError) {
            guard allowed.contains(values.count) else {
                throw XPathError("\(name)() takes \(allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) to \(allowed.upperBound)") arguments, not \(values.count)")
            }
        }
        // The zero-argument forms of string(), number() … apply to the context node.
        let implicit = values.first ?? .nodes([context])
        switch name {
        case "not": try arity(1...1); return .boolean(!values[0].boolean)
        case "true": try arity(0...0); return .boolean(true)
        case "false": try arity(0...0); return .boolean(false)
        case "boolean": try arity(1...1); return .boolean(values[0].boolean)
        case "string": try arity(0...1); return .string(implicit.string)
        case "number": try arity(0...1); return .number(implicit.number)
        case "string-length": try arity(0...1); return .number(Double(implicit.string.count))
        case "normalize-space":
            try arity(0...1)
            return .string(implicit.string.split(whereSeparator: { " \t\n\r".contains($0) }).joined(separator: " "))
        case "starts-with": try arity(2...2); return .boolean(values[0].string.hasPrefix(values[1].string))
        case "contains":
            try arity(2...2)
            let needle = values[1].string
            return .boolean(needle.isEmpty || values[0].string.contains(needle))
        case "concat":
            guard values.count >= 2 else { throw XPathError("concat() takes at least 2 arguments") }
            return .string(values.map(\.string).joined())
        case "count":
            try arity(1...1)
            guard case .nodes(let n) = values[0] else { throw XPathError("count() takes a node-set") }
            return .number(Double(n.count))
        default:
            throw XPathError("function \(name)() is not supported")
        }
    }

    /// §3.4: a node-set compares through each of its nodes' string-values (true if any node satisfies the
    /// comparison), against a boolean through its own truth; otherwise `=`/`!=` compare as booleans if either side
    /// is one, as numbers if either is one, else as strings, and the order relations always compare numbers.
    static func compare(_ op: XPathComparison, _ a: XPathValue, _ b: XPathValue) -> Bool {
        switch (a, b) {
        case (.nodes(let x), .nodes(let y)):
            return x.contains { n in y.contains { m in atoms(op, .string(n.stringValue), .string(m.stringValue)) } }
        case (.nodes(let x), .boolean):
            return atoms(op, .boolean(!x.isEmpty), b)
        case (.boolean, .nodes(let y)):
            return atoms(op, a, .boolean(!y.isEmpty))
        case (.nodes(let x), _):
            return x.contains { atoms(op, .string($0.stringValue), b) }
        case (_, .nodes(let y)):
            return y.contains { atoms(op, a, .string($0.stringValue)) }
        default:
            return atoms(op, a, b)
        }
    }

    private static func atoms(_ op: XPathComparison, _ a: XPathValue, _ b: XPathValue) -> Bool {
        switch op {
        case .equal, .notEqual:
            let equal: Bool
            if case .boolean = a { equal = a.boolean == b.boolean }
            else if case .boolean = b { equal = a.boolean == b.boolean }
            else if case .number = a { equal = a.number == b.number }
            else if case .number = b { equal = a.number == b.number }
            else { equal = a.string == b.string }
            return op == .equal ? equal : !equal
        case .less: return a.number < b.number
        case .lessOrEqual: return a.number <= b.number
        case .greater: return a.number > b.number
        case .greaterOrEqual: return a.number >= b.number
        }
    }
}
