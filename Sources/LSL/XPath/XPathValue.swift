/// XPath 1.0's four value types and its conversions between them (§4.2–4.4).
enum XPathValue {
    case nodes([LSLXMLElement])
    case string(String)
    case number(Double)
    case boolean(Bool)

    var boolean: Bool {
        switch self {
        case .nodes(let n): !n.isEmpty
        case .string(let s): !s.isEmpty
        case .number(let d): d != 0 && !d.isNaN
        case .boolean(let b): b
        }
    }

    var string: String {
        switch self {
        case .nodes(let n): n.first?.stringValue ?? ""
        case .string(let s): s
        case .number(let d): Self.text(of: d)
        case .boolean(let b): b ? "true" : "false"
        }
    }

    var number: Double {
        switch self {
        case .nodes, .string: Self.number(from: string)
        case .number(let d): d
        case .boolean(let b): b ? 1 : 0
        }
    }

    /// `number()` of a string: optional whitespace, an optional '-', digits with an optional fraction, optional
    /// whitespace; anything else is NaN. So `250.0000000000000` is 250, and `1e3` or `0x10` are not numbers.
    static func number(from s: String) -> Double {
        var body = Substring(s.trimmingXMLWhitespace())
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digitsOnly = { (p: Substring) in p.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        guard parts.allSatisfy(digitsOnly), parts.contains(where: { !$0.isEmpty }) else { return .nan }
        let whole = parts[0].isEmpty ? "0" : String(parts[0])
        let fraction = parts.count > 1 && !parts[1].isEmpty ? "." + parts[1] : ""
        return Double((negative ? "-" : "") + whole + fraction) ?? .nan
    }

    /// `string()` of a number: integers without a decimal point, NaN and the infinities by name.
    static func text(of d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }
}

extension String {
    func trimmingXMLWhitespace() -> String {
        let ws: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r"]
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !ws.contains($0) }),
            let end = scalars.lastIndex(where: { !ws.contains($0) })
        else { return "" }
        return String(scalars[start...end])
    }
}
