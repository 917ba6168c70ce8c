/// Finds a key named twice in one JSON object. JSONDecoder keeps one of the two values without a word, so
/// `{"value":100,"value":5000000}` would be taken as one of them; a request that says two things at once is
/// refused instead (``JSON/decode(_:data:)``).
///
/// Runs on text JSONDecoder has already accepted, so it only tracks structure: one pass, no recursion (a
/// deeply nested body cannot exhaust the stack), keys compared after decoding their escapes and as Swift
/// strings compare them (canonical equivalence), exactly as the decoder looks them up.
enum DuplicateKeys {
    struct Found: Equatable {
        var key: String
        /// Where the object is: `outer.list[1]`; empty at the top level.
        var path: String
    }

    private struct Container {
        var isObject: Bool
        /// How its parent reaches it: `.name` or `[index]`; empty for the top level.
        var step: String
        var keys: Set<String> = []
        var currentKey = ""
        var index = 0
    }

    static func first(in json: [UInt8]) -> Found? {
        var stack: [Container] = []
        var expectingKey = false
        var i = 0
        while i < json.count {
            switch json[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let step: String
                if let parent = stack.last {
                    step = parent.isObject ? (stack.count == 1 ? parent.currentKey : "." + parent.currentKey) : "[\(parent.index)]"
                } else {
                    step = ""
                }
                let isObject = json[i] == UInt8(ascii: "{")
                stack.append(Container(isObject: isObject, step: step))
                expectingKey = isObject
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                expectingKey = false
                i += 1
            case UInt8(ascii: ","):
                if let top = stack.indices.last {
                    if stack[top].isObject { expectingKey = true } else { stack[top].index += 1 }
                }
                i += 1
            case UInt8(ascii: "\""):
                guard let (text, next) = string(in: json, at: i) else { return nil }
                if expectingKey, let top = stack.indices.last {
                    guard stack[top].keys.insert(text).inserted else {
                        return Found(key: text, path: stack.map(\.step).joined())
                    }
                    stack[top].currentKey = text
                    expectingKey = false
                }
                i = next
            default:
                i += 1
            }
        }
        return nil
    }

    /// The string starting at the quote at `start`, escapes decoded, and the index just past its closing quote.
    private static func string(in json: [UInt8], at start: Int) -> (String, Int)? {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
            utf8.removeAll(keepingCapacity: true)
        }
        var i = start + 1
        var pendingHigh: UInt32?
        while i < json.count {
            let byte = json[i]
            if byte == UInt8(ascii: "\"") {
                if pendingHigh != nil { scalars.append("\u{FFFD}") }
                flush()
                return (String(scalars), i + 1)
            }
            guard byte == UInt8(ascii: "\\") else {
                if pendingHigh != nil { flush(); scalars.append("\u{FFFD}"); pendingHigh = nil }
                utf8.append(byte)
                i += 1
                continue
            }
            guard i + 1 < json.count else { return nil }
            let escape = json[i + 1]
            i += 2
            if escape == UInt8(ascii: "u") {
                guard i + 4 <= json.count, let unit = UInt32(String(decoding: json[i..<(i + 4)], as: UTF8.self), radix: 16) else { return nil }
                i += 4
                flush()
                if let high = pendingHigh {
                    pendingHigh = nil
                    if (0xDC00...0xDFFF).contains(unit) {
                        scalars.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))!)
                        continue
                    }
                    scalars.append("\u{FFFD}")
                }
                if (0xD800...0xDBFF).contains(unit) { pendingHigh = unit } else { scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}") }
                continue
            }
            if pendingHigh != nil { flush(); scalars.append("\u{FFFD}"); pendingHigh = nil }
            switch escape {
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            default: utf8.append(escape)  // \" \\ \/
            }
        }
        return nil
    }
}
