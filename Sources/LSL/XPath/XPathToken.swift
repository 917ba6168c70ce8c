/// The lexical tokens of the XPath subset (XPath 1.0 §3.7), plus the ones recognised only to be refused clearly.
enum XPathToken: Equatable {
    case name(String)
    case literal(String)
    case number(Double)
    case slash, doubleSlash, leftParen, rightParen, comma, dot, dotDot, star, at, colonColon
    case leftBracket, rightBracket, pipe, plus, minus, dollar
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

enum XPathLexer {
    /// The tokens that are one character wherever they stand (`/`, `!`, `<`, `>`, `.` and `:` need a look ahead).
    private static let singleCharacter: [Unicode.Scalar: XPathToken] = [
        "(": .leftParen, ")": .rightParen, ",": .comma, "[": .leftBracket, "]": .rightBracket, "|": .pipe,
        "+": .plus, "-": .minus, "@": .at, "$": .dollar, "*": .star, "=": .equal,
    ]

    static func tokens(_ text: String) throws(XPathError) -> [XPathToken] {
        let s = Array(text.unicodeScalars)
        var out: [XPathToken] = []
        var i = 0
        func peek(_ k: Int = 1) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
        while i < s.count {
            let c = s[i]
            if let token = singleCharacter[c] {
                out.append(token)
                i += 1
                continue
            }
            switch c {
            case " ", "\t", "\n", "\r": i += 1
            case "/":
                if peek() == "/" { out.append(.doubleSlash); i += 2 } else { out.append(.slash); i += 1 }
            case "!":
                guard peek() == "=" else { throw XPathError("'!' without '=' at offset \(i)") }
                out.append(.notEqual); i += 2
            case "<":
                if peek() == "=" { out.append(.lessOrEqual); i += 2 } else { out.append(.less); i += 1 }
            case ">":
                if peek() == "=" { out.append(.greaterOrEqual); i += 2 } else { out.append(.greater); i += 1 }
            case ":":
                guard peek() == ":" else { throw XPathError("namespace prefixes are not supported (offset \(i))") }
                out.append(.colonColon); i += 2
            case "'", "\"":
                guard let end = s[(i + 1)...].firstIndex(of: c) else { throw XPathError("unterminated string literal") }
                var lit = String.UnicodeScalarView()
                lit.append(contentsOf: s[(i + 1)..<end])
                out.append(.literal(String(lit)))
                i = end + 1
            case ".":
                if let n = peek(), isDigit(n) {
                    out.append(.number(number(&i, s)))
                } else if peek() == "." {
                    out.append(.dotDot); i += 2
                } else {
                    out.append(.dot); i += 1
                }
            case _ where isDigit(c):
                out.append(.number(number(&i, s)))
            case _ where isNameStart(c):
                var name = String.UnicodeScalarView()
                while i < s.count, isNameStart(s[i]) || isDigit(s[i]) || s[i] == "-" || s[i] == "." {
                    name.append(s[i]); i += 1
                }
                out.append(.name(String(name)))
            default:
                throw XPathError("unexpected character '\(c)' at offset \(i)")
            }
        }
        return out
    }

    /// Digits ('.' digits?)? or '.' digits, the XPath Number production (no sign, no exponent).
    private static func number(_ i: inout Int, _ s: [Unicode.Scalar]) -> Double {
        var text = ""
        while i < s.count, isDigit(s[i]) { text.unicodeScalars.append(s[i]); i += 1 }
        if i < s.count, s[i] == "." {
            text += "."; i += 1
            while i < s.count, isDigit(s[i]) { text.unicodeScalars.append(s[i]); i += 1 }
        }
        return Double(text.hasPrefix(".") ? "0" + text : text) ?? .nan
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    static func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
}
