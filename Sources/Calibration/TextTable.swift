/// A plain-text table for terminals: a header row, a rule, right-aligned columns (left for the first).
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]] = []

    public init(_ header: [String]) { self.header = header }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render(indent: String = "  ") -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            indent + cells.enumerated().map { c, text in
                let pad = String(repeating: " ", count: max(0, widths[c] - text.count))
                return c == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        let rule = indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Numbers as the reports print them: four significant digits, scientific outside 1e-3…1e6.
public func formatNumber(_ x: Double, digits: Int = 4) -> String { fmt(x, digits) }
