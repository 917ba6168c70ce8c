/// Recursive descent over XPath 1.0's precedence (or < and < equality < relational < unary) for the subset
/// resolvers send. What XPath has and this does not (predicates, attributes, axes, `//`, `|`, arithmetic,
/// variables) is refused with a reason, never guessed at.
struct XPathParser {
    private let tokens: [XPathToken]
    private var position = 0

    static func parse(_ text: String) throws(XPathError) -> XPathExpression {
        var p = XPathParser(tokens: try XPathLexer.tokens(text))
        let e = try p.orExpression()
        if let extra = p.peek { throw XPathError("unsupported or unexpected \(describe(extra))") }
        return e
    }

    private init(tokens: [XPathToken]) { self.tokens = tokens }

    private var peek: XPathToken? { position < tokens.count ? tokens[position] : nil }
    private mutating func advance() -> XPathToken? {
        defer { position += 1 }
        return peek
    }

    private mutating func orExpression() throws(XPathError) -> XPathExpression {
        var e = try andExpression()
        while peek == .name("or") { position += 1; e = .or(e, try andExpression()) }
        return e
    }

    private mutating func andExpression() throws(XPathError) -> XPathExpression {
        var e = try equalityExpression()
        while peek == .name("and") { position += 1; e = .and(e, try equalityExpression()) }
        return e
    }

    private mutating func equalityExpression() throws(XPathError) -> XPathExpression {
        var e = try relationalExpression()
        while let t = peek, t == .equal || t == .notEqual {
            position += 1
            e = .compare(t == .equal ? .equal : .notEqual, e, try relationalExpression())
        }
        return e
    }

    private mutating func relationalExpression() throws(XPathError) -> XPathExpression {
        var e = try unaryExpression()
        while let op = Self.relational(peek) {
            position += 1
            e = .compare(op, e, try unaryExpression())
        }
        return e
    }

    private static func relational(_ t: XPathToken?) -> XPathComparison? {
        switch t {
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        default: nil
        }
    }

    private mutating func unaryExpression() throws(XPathError) -> XPathExpression {
        if peek == .minus {
            position += 1
            return .negate(try unaryExpression())
        }
        return try primary()
    }

    private mutating func primary() throws(XPathError) -> XPathExpression {
        guard let t = advance() else { throw XPathError("the query ends where a value was expected") }
        switch t {
        case .literal(let s): return .literal(s)
        case .number(let n): return .number(n)
        case .leftParen:
            let e = try orExpression()
            guard advance() == .rightParen else { throw XPathError("missing ')'") }
            return e
        case .name(let n) where peek == .leftParen:
            position += 1
            return .call(n, try arguments())
        case .slash:
            // "/" alone is the root; "/info/..." walks down from it.
            guard Self.startsStep(peek) else { return .path(absolute: true, steps: []) }
            return .path(absolute: true, steps: try steps())
        case .name, .star, .dot:
            position -= 1
            return .path(absolute: false, steps: try steps())
        default:
            throw XPathError("unsupported or unexpected \(Self.describe(t))")
        }
    }

    private mutating func arguments() throws(XPathError) -> [XPathExpression] {
        var args: [XPathExpression] = []
        if peek == .rightParen { position += 1; return args }
        while true {
            args.append(try orExpression())
            switch advance() {
            case .comma: continue
            case .rightParen: return args
            default: throw XPathError("missing ')' after function arguments")
            }
        }
    }

    private mutating func steps() throws(XPathError) -> [XPathStep] {
        var out: [XPathStep] = []
        while true {
            switch advance() {
            case .name(let n):
                if peek == .colonColon { throw XPathError("axis '\(n)::' is not supported") }
                out.append(.child(n))
            case .star: out.append(.anyChild)
            case .dot: out.append(.current)
            case let t?: throw XPathError("unsupported or unexpected \(Self.describe(t)) in a path")
            case nil: throw XPathError("a path ends with '/'")
            }
            if peek == .leftBracket { throw XPathError("predicates ([…]) are not supported") }
            guard peek == .slash else { return out }
            position += 1
        }
    }

    private static func startsStep(_ t: XPathToken?) -> Bool {
        switch t {
        case .name, .star, .dot: true
        default: false
        }
    }

    static func describe(_ t: XPathToken) -> String {
        switch t {
        case .name(let n): "name '\(n)'"
        case .literal(let s): "string '\(s)'"
        case .number(let n): "number \(n)"
        case .slash: "'/'"
        case .doubleSlash: "'//' (descendant paths)"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .comma: "','"
        case .dot: "'.'"
        case .dotDot: "'..' (parent paths)"
        case .star: "'*'"
        case .at: "'@' (attributes)"
        case .colonColon: "'::' (axes)"
        case .leftBracket: "'[' (predicates)"
        case .rightBracket: "']'"
        case .pipe: "'|' (unions)"
        case .plus: "'+' (arithmetic)"
        case .minus: "'-' (arithmetic)"
        case .dollar: "'$' (variables)"
        case .equal: "'='"
        case .notEqual: "'!='"
        case .less: "'<'"
        case .lessOrEqual: "'<='"
        case .greater: "'>'"
        case .greaterOrEqual: "'>='"
        }
    }
}
