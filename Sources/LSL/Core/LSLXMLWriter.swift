/// Writes an element tree as pugixml's `save()` does with its defaults (the format liblsl sends): an XML
/// declaration, one element per line indented by tabs, text inline, `<x />` for an element with nothing in it.
enum LSLXMLWriter {
    static func document(_ root: LSLXMLElement) -> String {
        var out = "<?xml version=\"1.0\"?>\n"
        write(root, depth: 0, into: &out)
        return out
    }

    private static func write(_ e: LSLXMLElement, depth: Int, into out: inout String) {
        let indent = String(repeating: "\t", count: depth)
        if e.children.isEmpty {
            if let text = e.text {
                out += "\(indent)<\(e.name)>\(escaped(text))</\(e.name)>\n"
            } else {
                out += "\(indent)<\(e.name) />\n"
            }
            return
        }
        out += "\(indent)<\(e.name)>\n"
        if let text = e.text, !text.isEmpty { out += "\(indent)\t\(escaped(text))\n" }
        for c in e.children { write(c, depth: depth + 1, into: &out) }
        out += "\(indent)</\(e.name)>\n"
    }

    /// pugixml's escaping of character data: the three markup characters, and control characters as references.
    static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: out += "&#\(scalar.value);"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
